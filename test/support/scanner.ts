import { expect } from 'chai';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Keyring } from '../../src/labels/signing/keyring.js';
import { verifyCanonical } from '../../src/labels/signing/key-crypto.js';
import { canonicalLabelString, parseLabel, type SignedLabel } from '../../src/labels/format/label-url.js';

/** Reading a printed label back as a phone does: decode its QR code, parse and check its URL. */

// jsqr is CommonJS whose typings declare an ES default export: at run time the module is the function.
export const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/** The text of the QR code in a PNG, decoded as a phone's scanner library would. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
}

/** What a scanner holds after reading a label: its URL, parsed and signature-checked against the keyring. */
export async function parseAndVerifyLabelUrl(keyring: Keyring, base: string, text: string): Promise<SignedLabel> {
  expect(text.startsWith(`${base}/`), text).to.equal(true);
  const url = new URL(text);
  const parsed = parseLabel(url.pathname, Object.fromEntries(url.searchParams));
  if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
  const key = await keyring.findByShortKid(parsed.label.kid);
  expect(key, `key ${parsed.label.kid}`).to.exist;
  expect(verifyCanonical(key!, canonicalLabelString(parsed.label), parsed.label.sig), text).to.equal(true);
  return parsed.label;
}
