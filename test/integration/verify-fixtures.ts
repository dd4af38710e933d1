import { randomInt } from 'node:crypto';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { testConfig } from '../support/app.js';
import { BatchModel } from '../../src/batches/batch.model.js';
import { newId } from '../../src/ids.js';
import { generateSigningJwk, shortKid, signCanonical, toSigningKey, type SigningKey } from '../../src/labels/signing/key-crypto.js';
import { buildLabelUrl, canonicalLabelString, toYYMMDD, type LabelFields } from '../../src/labels/format/label-url.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { CertificationModel } from '../../src/registry/certifications/certification.model.js';
import { validUntilFor } from '../../src/registry/certifications/certification-status.js';
import { ProducerModel } from '../../src/registry/producers/producer.model.js';
import { ProductModel } from '../../src/registry/products/product.model.js';

/**
 * Labels for the verification tests, written straight through the models the way the
 * label runs issue them (sig = signCanonical(key, canonicalLabelString(fields))).
 * Every call makes unique data: the database is shared by the whole run.
 */
const rand = (n: number) => Array.from({ length: n }, () => randomInt(36).toString(36)).join('');
const DAY = 24 * 60 * 60 * 1000;

/**
 * The app as main.ts builds it, with the keyring and scan recorder in the test's hands
 * (refresh keys after registering one; flush scans when a test reads them back).
 */
export function verificationApp() {
  const config = testConfig();
  const keyring = Keyring.open(config);
  const scans = new ScanRecorder({ flushMs: 60_000 });
  const app = createApp({ config, logger: createLogger('silent'), keyring, scans });
  return { config, keyring, scans, app };
}

/** A signing key of our own, registered with a status (the keyring reads it on refresh). */
export async function registerKey(status: 'active' | 'retired' | 'revoked' = 'active'): Promise<SigningKey> {
  const key = toSigningKey(generateSigningJwk());
  await SigningKeyModel.create({ _id: key.kid, shortKid: shortKid(key.kid), publicJwk: key.publicJwk, status });
  return key;
}

/** A key nobody registered: what a counterfeiter signs with. */
export const strangerKey = () => toSigningKey(generateSigningJwk());

export function randomGtin14(): string {
  const body = Array.from({ length: 13 }, () => randomInt(10));
  let sum = 0;
  [...body].reverse().forEach((d, i) => (sum += d * (i % 2 === 0 ? 3 : 1)));
  return `${body.join('')}${(10 - (sum % 10)) % 10}`;
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** A producer, a product, its certification, a batch and an issued run. */
export async function buildWorld(
  opts: {
    gtin?: boolean;
    stars?: number;
    decisionDate?: Date;
    certStatus?: 'active' | 'revoked' | 'superseded';
    batchExpiry?: Date | null;
    runState?: 'pending' | 'issued' | 'revoked';
  } = {},
) {
  const producer = (
    await ProducerModel.create({
      name: `HTX Mật ong Ba Vì ${rand(5)}`,
      kind: 'cooperative',
      registrationNumber: `TEST${rand(10).toUpperCase()}`,
      address: { provinceCode: '01', communeCode: '00577' },
    })
  ).toObject();
  const product = (
    await ProductModel.create({
      producerId: producer._id,
      name: { vi: `Mật ong rừng ${rand(4)}`, en: `Wild honey ${rand(4)}` },
      group: 'food',
      groupListVersion: '2023',
      gtin: opts.gtin ? randomGtin14() : null,
    })
  ).toObject();
  const decisionDate = opts.decisionDate ?? new Date(Date.now() - 60 * DAY);
  const stars = opts.stars ?? 4;
  const cert = (
    await CertificationModel.create({
      productId: product._id,
      producerId: producer._id,
      stars,
      score: [0, 20, 40, 60, 75, 92][stars],
      decisionNumber: `${randomInt(1, 99999)}/QĐ-UBND`,
      authority: { level: stars === 5 ? 'ministry' : 'province', name: 'Ủy ban nhân dân Thành phố Hà Nội' },
      decisionDate,
      validUntil: validUntilFor(decisionDate),
      status: opts.certStatus ?? 'active',
    })
  ).toObject();
  const batch = (
    await BatchModel.create({
      productId: product._id,
      producerId: producer._id,
      lotCode: `L${rand(6).toUpperCase()}`,
      productionDate: new Date(Date.now() - 10 * DAY),
      expiryDate: opts.batchExpiry === undefined ? new Date(Date.now() + 300 * DAY) : opts.batchExpiry,
      quantity: 100,
      unit: 'hũ',
      origin: { provinceCode: '01', communeCode: '00577', placeName: 'Đồi Măng' },
    })
  ).toObject();
  const run = (
    await LabelRunModel.create({
      _id: newId(),
      batchId: batch._id,
      productId: product._id,
      producerId: producer._id,
      certificationId: cert._id,
      count: 10,
      requestedBy: 'test',
      idempotencyKey: rand(12),
      state: opts.runState ?? 'issued',
      issuedAt: new Date(),
    })
  ).toObject();
  return { producer, product, cert, batch, run };
}

export type IssuedLabel = { serial: string; fields: LabelFields; sig: string; path: string; url: string };

/** The fields and signature of a label of the world's batch (not stored). */
export function signLabel(world: World, key: SigningKey, overrides: Partial<LabelFields> = {}): IssuedLabel {
  const fields: LabelFields = {
    product: world.product.gtin ? { kind: 'gtin', gtin: world.product.gtin } : { kind: 'product', productId: world.product._id },
    lot: world.batch.lotCode,
    serial: `${newId()}${newId()}`.toUpperCase().slice(0, 16),
    stars: world.cert.stars,
    validUntil: toYYMMDD(world.cert.validUntil),
    kid: shortKid(key.kid),
    ...overrides,
  };
  const sig = signCanonical(key, canonicalLabelString(fields));
  const url = buildLabelUrl('https://trace.example.vn', { ...fields, sig });
  return { serial: fields.serial, fields, sig, path: url.slice('https://trace.example.vn'.length), url };
}

/** Signs and stores a label, as an issued run does. */
export async function issueLabel(
  world: World,
  key: SigningKey,
  opts: { status?: 'active' | 'void' | 'revoked'; seq?: number } = {},
): Promise<IssuedLabel> {
  const label = signLabel(world, key);
  await LabelModel.create({
    _id: label.serial,
    runId: world.run._id,
    batchId: world.batch._id,
    productId: world.product._id,
    producerId: world.producer._id,
    kid: label.fields.kid,
    stars: label.fields.stars,
    validUntil: label.fields.validUntil,
    sig: label.sig,
    status: opts.status ?? 'active',
    issuedAt: new Date(),
    seq: opts.seq ?? randomInt(1, 1_000_000_000),
  });
  return label;
}
