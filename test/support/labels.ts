import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import request from 'supertest';
import type { Keyring } from '../../src/labels/signing/keyring.js';
import { verifyCanonical } from '../../src/labels/signing/key-crypto.js';
import { canonicalLabelString, parseLabel, type SignedLabel } from '../../src/labels/format/label-url.js';
import { apiKeyFor, bearer } from './app.js';
import { BatchModel, type BatchDoc } from '../../src/batches/batch.model.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { revokeCertification } from '../../src/registry/certifications/certification.service.js';
import { buildCertification, buildProducer, buildProduct, monthsAgo } from './factories.js';

/**
 * Factories for batch and label tests (and the label benchmark), on top of the
 * registry's shared factories. Unique data on every call.
 */
export const aCommune = { code: '00577', provinceCode: '01' };

export async function buildBatch(product: { _id: string; producerId: string }, overrides: Partial<BatchDoc> = {}): Promise<BatchDoc> {
  const doc = await BatchModel.create({
    productId: product._id,
    producerId: product.producerId,
    lotCode: `L${Date.now().toString(36).toUpperCase()}${randomInt(1e6)}`.slice(0, 20),
    productionDate: new Date(Date.UTC(2025, 8, 1)),
    expiryDate: new Date(Date.UTC(2027, 8, 1)),
    quantity: 500,
    unit: 'jar',
    origin: { provinceCode: aCommune.provinceCode, communeCode: aCommune.code, placeName: 'Vườn ong đồi Đá Chông' },
    ...overrides,
  });
  return doc.toObject() as BatchDoc;
}

export type CertificationState = 'current' | 'none' | 'expired' | 'revoked';

/**
 * A producer, a product (Vietnamese name, GTIN if asked), its certification in the
 * given state and one batch: what a label run needs.
 */
export async function buildLabelledBatch(opts: { stars?: number; gtin?: boolean; certification?: CertificationState } = {}) {
  const producer = await buildProducer();
  const product = await buildProduct({
    producerId: producer._id,
    name: { vi: `Mật ong rừng Ba Vì – hũ thủy tinh ${randomInt(1e6)}`, en: null },
    group: 'food',
    gtin: opts.gtin ? true : null,
  });
  const state = opts.certification ?? 'current';
  let certification = null;
  if (state !== 'none') {
    // 37 months back: past the 36 months of validity.
    certification = await buildCertification({ productId: product._id, stars: opts.stars ?? 4, ...(state === 'expired' ? { decisionDate: monthsAgo(37) } : {}) });
    if (state === 'revoked') certification = await revokeCertification(certification._id, 'quality inspection failed', systemPrincipal);
  }
  const batch = await buildBatch(product);
  return { producer, product, certification, batch };
}

/** Issues a run over the API (an app, or a running service's base URL) with a producer key of the batch's producer. */
export async function issueRunThroughApi(app: Express | string, count: number, opts: { stars?: number; gtin?: boolean } = {}) {
  const fixture = await buildLabelledBatch(opts);
  const key = await apiKeyFor('producer', fixture.producer._id);
  const res = await request(app)
    .post(`/api/v1/batches/${fixture.batch._id}/label-runs`)
    .set(bearer(key))
    .set('Idempotency-Key', randomUUID())
    .send({ count })
    .expect(201);
  return { ...fixture, key, runId: res.body.id as string };
}

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
