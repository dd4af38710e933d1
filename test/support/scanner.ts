import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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

// ---------------------------------------------------------------------------------
// Printing and scanning back: PDFs rasterised as a printer would (poppler's pdftoppm),
// read by two decoders, jsqr (the project's) and zbar (Debian's zbarimg). Both tools
// come from Debian packages (poppler-utils, zbar-tools); .ci/run installs them.

const run = promisify(execFile);

/** Fails with what to install when pdftoppm or zbarimg is missing. */
export async function requirePrintTools(): Promise<void> {
  for (const [tool, pkg] of [['pdftoppm', 'poppler-utils'], ['zbarimg', 'zbar-tools']] as const) {
    try {
      await run(tool, ['-h']);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${tool} is not installed: apt-get install -y ${pkg} (.ci/run does)`, { cause: err });
    }
  }
}

/** A fresh folder for a test's files, removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-print-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every page of a PDF as an 8-bit grey PNG at `dpi` (anti-aliased, as pdftoppm renders by default), in page order. */
export async function rasterisePdf(pdf: Buffer, dpi: number, dir: string): Promise<{ file: string; png: PNG }[]> {
  const input = path.join(dir, `in-${Date.now()}.pdf`);
  fs.writeFileSync(input, pdf);
  const prefix = path.join(dir, `page-${dpi}-${Date.now()}`);
  await run('pdftoppm', ['-r', String(dpi), '-gray', '-png', input, prefix]);
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.png'));
  // pdftoppm numbers pages page-1, page-01 or page-001 depending on the page count.
  files.sort((a, b) => Number(/-(\d+)\.png$/.exec(a)![1]) - Number(/-(\d+)\.png$/.exec(b)![1]));
  return files.map((f) => ({ file: path.join(dir, f), png: PNG.sync.read(fs.readFileSync(path.join(dir, f))) }));
}

/** Writes RGBA pixels as a PNG file (for zbarimg). */
export function writePng(file: string, width: number, height: number, rgba: Uint8ClampedArray): string {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length);
  fs.writeFileSync(file, PNG.sync.write(png));
  return file;
}

/** The QR code in a rectangle of an image (pixels), read by jsqr. */
export function decodeRegion(png: PNG, x: number, y: number, width: number, height: number): string | null {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const w = Math.min(png.width - x0, Math.round(width));
  const h = Math.min(png.height - y0, Math.round(height));
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let row = 0; row < h; row++) rgba.set(png.data.subarray(((y0 + row) * png.width + x0) * 4, ((y0 + row) * png.width + x0 + w) * 4), row * w * 4);
  return jsQR(rgba, w, h)?.data ?? null;
}

/** Every QR code zbarimg finds in the images, one entry per symbol, in file order. */
export async function zbarDecode(files: string[]): Promise<string[]> {
  try {
    const { stdout } = await run('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', ...files], { maxBuffer: 64 * 1024 * 1024 });
    return stdout.split('\n').filter(Boolean);
  } catch (err) {
    // Exit status 4: no symbol found in some image; what was found is still on stdout.
    const e = err as { code?: number; stdout?: string };
    if (e.code === 4 && typeof e.stdout === 'string') return e.stdout.split('\n').filter(Boolean);
    throw err;
  }
}
