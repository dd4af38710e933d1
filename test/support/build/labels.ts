import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { newId } from '../../../src/ids.js';
import { systemPrincipal } from '../../../src/policy/principal.js';
import { revokeCertification, type CertificationRecord } from '../../../src/registry/certifications/certification.service.js';
import { generateSigningJwk, shortKid, signCanonical, toSigningKey, type SigningKey } from '../../../src/labels/signing/key-crypto.js';
import { SigningKeyModel } from '../../../src/labels/signing/signing-key.model.js';
import { buildLabelUrl, canonicalLabelString, toYYMMDD, type LabelFields } from '../../../src/labels/format/label-url.js';
import { newSerial } from '../../../src/labels/format/serial.js';
import { LabelModel } from '../../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../../src/labels/runs/label-run.model.js';
import { batchRuns } from '../../../src/labels/runs/label-run-page.model.js';
import { appendSlot } from '../../../src/slots.js';
import type { LabelRun } from '../../../src/labels/runs/issue-run.service.js';
import { apiKeyFor, bearer, PUBLIC_BASE_URL } from '../app.js';
import { buildCertification, buildProducer, buildProduct, monthsAgo } from './registry.js';
import { buildBatch } from './batches.js';

/**
 * Everything a label needs, from a certified product with a batch to signed labels.
 * Registry records and batches go through the services. Runs, labels and signing keys
 * are written straight to their models where a test needs a state the services never
 * leave behind (a run still pending, a label signed by a key of a chosen status, a run
 * whose certification has since expired); each such builder says so.
 */

export type CertificationState = 'current' | 'none' | 'expired' | 'revoked';

export type LabelledBatchOptions = {
  stars?: number;
  gtin?: boolean;
  certification?: CertificationState;
  /** Overrides for the batch, in the API's input shape (e.g. `{ expiryDate: daysAgo(1) }`). */
  batch?: Record<string, unknown>;
};

/**
 * A producer, a product (Vietnamese and English names, GTIN if asked), its certification
 * in the given state and one batch: what a label run needs.
 */
export async function buildLabelledBatch(opts: LabelledBatchOptions = {}) {
  const producer = await buildProducer();
  const n = randomInt(1e6);
  const product = await buildProduct({
    producerId: producer._id,
    name: { vi: `Mật ong rừng Ba Vì – hũ thủy tinh ${n}`, en: `Ba Vi wild honey – glass jar ${n}` },
    group: 'food',
    gtin: opts.gtin ? true : null,
  });
  const state = opts.certification ?? 'current';
  let certification: CertificationRecord | null = null;
  if (state !== 'none') {
    // 37 months back: past the 36 months of validity.
    certification = await buildCertification({ productId: product._id, stars: opts.stars ?? 4, ...(state === 'expired' ? { decisionDate: monthsAgo(37) } : {}) });
    if (state === 'revoked') certification = await revokeCertification(certification._id, 'quality inspection failed', systemPrincipal);
  }
  const batch = await buildBatch(product, opts.batch);
  return { producer, product, certification, batch };
}

export type LabelledBatch = Awaited<ReturnType<typeof buildLabelledBatch>>;

/**
 * Issues a run over the API (an app, or a running service's base URL) with a producer
 * key of the batch's producer; the batch holds at least `count` packages.
 */
export async function issueRunThroughApi(app: Express | string, count: number, opts: { stars?: number; gtin?: boolean } = {}) {
  const fixture = await buildLabelledBatch({ ...opts, batch: { quantity: Math.max(500, count) } });
  const key = await apiKeyFor('producer', fixture.producer._id);
  const res = await request(app)
    .post(`/api/v1/batches/${fixture.batch._id}/label-runs`)
    .set(bearer(key))
    .set('Idempotency-Key', randomUUID())
    .send({ count })
    .expect(201);
  return { ...fixture, key, runId: res.body.id as string };
}

/**
 * A run record of the batch in the given state, with no labels. Written to the model:
 * the run service issues only for a usable certification and never leaves a run pending.
 */
export async function storeRun(
  fixture: LabelledBatch,
  opts: { state?: 'pending' | 'issued' | 'revoked'; count?: number; idempotencyKey?: string } = {},
): Promise<LabelRun> {
  const state = opts.state ?? 'issued';
  const _id = newId();
  await appendSlot(batchRuns, fixture.batch._id, _id); // listed with its batch, as the run service does
  const doc = await LabelRunModel.create({
    _id,
    batchId: fixture.batch._id,
    productId: fixture.product._id,
    producerId: fixture.product.producerId,
    certificationId: fixture.certification?._id ?? 'none',
    count: opts.count ?? 10,
    requestedBy: 'test',
    idempotencyKey: opts.idempotencyKey ?? randomUUID(),
    state,
    issuedAt: state === 'pending' ? null : new Date(),
  });
  return doc.toObject() as LabelRun;
}

export type IssuedRun = LabelledBatch & { certification: CertificationRecord; run: LabelRun };

/** A certified product, a batch and a run of it (issued unless `runState` says otherwise), for signing labels into. */
export async function buildIssuedRun(
  opts: Omit<LabelledBatchOptions, 'certification'> & { certification?: Exclude<CertificationState, 'none'>; runState?: 'pending' | 'issued' | 'revoked' } = {},
): Promise<IssuedRun> {
  const fixture = await buildLabelledBatch(opts);
  const certification = fixture.certification;
  if (!certification) throw new Error('a run needs a certification');
  const run = await storeRun(fixture, { state: opts.runState });
  return { ...fixture, certification, run };
}

/**
 * A signing key of our own, registered with a status (the keyring reads it on refresh).
 * Written to the model: the keyring registers only the key in its own folder, as active.
 */
export async function registerKey(status: 'active' | 'retired' | 'revoked' = 'active'): Promise<SigningKey> {
  const key = toSigningKey(generateSigningJwk());
  await SigningKeyModel.create({ _id: key.kid, shortKid: shortKid(key.kid), publicJwk: key.publicJwk, status });
  return key;
}

/** A key nobody registered: what a counterfeiter signs with. */
export const strangerKey = () => toSigningKey(generateSigningJwk());

export type IssuedLabel = { serial: string; fields: LabelFields; sig: string; path: string; url: string };

/** The fields and signature of a label of the run's batch (not stored), as a run signs them. */
export function signLabel(world: IssuedRun, key: SigningKey, overrides: Partial<LabelFields> = {}): IssuedLabel {
  const fields: LabelFields = {
    product: world.product.gtin ? { kind: 'gtin', gtin: world.product.gtin } : { kind: 'product', productId: world.product._id },
    lot: world.batch.lotCode,
    serial: newSerial(),
    stars: world.certification.stars,
    validUntil: toYYMMDD(world.certification.validUntil),
    kid: shortKid(key.kid),
    ...overrides,
  };
  const sig = signCanonical(key, canonicalLabelString(fields));
  const url = buildLabelUrl(PUBLIC_BASE_URL, { ...fields, sig });
  return { serial: fields.serial, fields, sig, path: url.slice(PUBLIC_BASE_URL.length), url };
}

/**
 * A serial as labels were issued before the look-alike-free alphabet: 13 characters of
 * [0-9A-Za-z], here always holding some of the look-alikes (0 O 1 l I) the new one drops.
 */
export const legacySerial = () => `0Ol1I${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x')}`.slice(0, 13);

/**
 * Signs and stores a label in the run, as an issued run does. Written to the model so
 * the test chooses the key (registered with any status, see registerKey), the label's
 * status and its position.
 */
export async function issueLabel(
  world: IssuedRun,
  key: SigningKey,
  opts: { status?: 'active' | 'void' | 'revoked'; seq?: number; serial?: string } = {},
): Promise<IssuedLabel & { seq: number }> {
  const label = signLabel(world, key, opts.serial ? { serial: opts.serial } : {});
  const seq = opts.seq ?? randomInt(1, 1_000_000_000);
  await LabelModel.create({
    _id: label.serial,
    runId: world.run._id,
    batchId: world.batch._id,
    productId: world.product._id,
    producerId: world.product.producerId,
    kid: label.fields.kid,
    stars: label.fields.stars,
    validUntil: label.fields.validUntil,
    sig: label.sig,
    status: opts.status ?? 'active',
    issuedAt: new Date(),
    seq,
  });
  return { ...label, seq };
}

/**
 * A run that died half-way: pending, with only the labels at `survivingSeqs` stored,
 * signed by `signer` (the key the run service would sign with). What a crash between
 * two label chunks leaves; a retry with the same Idempotency-Key resumes it.
 */
export async function buildInterruptedRun(
  fixture: LabelledBatch,
  opts: { count: number; idempotencyKey: string; survivingSeqs: number[]; signer: SigningKey },
): Promise<{ runId: string; survivors: { _id: string; seq: number }[] }> {
  const run = await storeRun(fixture, { state: 'pending', count: opts.count, idempotencyKey: opts.idempotencyKey });
  const certification = fixture.certification;
  if (!certification) throw new Error('a run needs a certification');
  const world = { ...fixture, certification, run };
  const survivors: { _id: string; seq: number }[] = [];
  for (const seq of opts.survivingSeqs) {
    const label = await issueLabel(world, opts.signer, { seq });
    survivors.push({ _id: label.serial, seq });
  }
  return { runId: run._id, survivors };
}
