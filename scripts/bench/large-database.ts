/**
 * A large database for the benchmarks that need one (index survey, label runs on a
 * big database): by default 1,000,000 labels and 5,000,000 scans, spread over
 * producers, products, certifications, batches, runs, value-chain events and API keys
 * in the proportions of a province-scale installation. Built once per FerretDB backend
 * and reused while its manifest says it is complete:
 *
 *   sqlite       DIR/sqlite/ (one SQLite file per database, as `npm start` keeps it)
 *   postgresql   a PostgreSQL database made with createdb, its name in the manifest
 *
 * DIR is BENCH_LARGE_DIR (default .data/large, ignored by git). Building writes the
 * models directly with insertMany in chunks (benchmarks may write their fixtures), so
 * it takes minutes, not hours: ≈ 6 million documents per backend.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type mongoose from 'mongoose';
import { startFerretDB, withDatabase, type RunningFerret } from '../../src/ferretdb.js';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../../src/db.js';
import { newId } from '../../src/ids.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { ApiKeyModel } from '../../src/accounts/api-key.model.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { BatchModel } from '../../src/batches/batch.model.js';
import { ProducerModel } from '../../src/registry/producers/producer.model.js';
import { ProductModel, gtinKeyOf } from '../../src/registry/products/product.model.js';
import { CertificationModel } from '../../src/registry/certifications/certification.model.js';
import { CURRENT_GROUP_LIST_VERSION } from '../../src/reference/product-groups.js';
import { provinces } from '../../src/reference/admin-units.js';
import { withCheckDigit } from '../../src/reference/gs1.js';
import { foldForSearch } from '../../src/registry/text-search.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { StatusChangeModel } from '../../src/labels/runs/status-change.model.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { generateSigningJwk, shortKid, signCanonical, toSigningKey, type PrivateJwk } from '../../src/labels/signing/key-crypto.js';
import { canonicalLabelString, toYYMMDD, type ProductKey } from '../../src/labels/format/label-url.js';
import { newSerial } from '../../src/labels/format/serial.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { CaptureModel } from '../../src/events/capture/capture.model.js';
import { EventIdModel } from '../../src/events/capture/event-id.model.js';
import { documentContext, prepareEvent } from '../../src/events/capture/epcis-event.js';
import { EventModel, eventIdAt } from '../../src/events/chain/event.model.js';
import { ChainHeadModel } from '../../src/events/chain/chain-head.model.js';
import { PAGE_SIZE, indexFieldsOf, linkHash, pageOf } from '../../src/events/chain/chain.js';
import { BATCH_FIELD, GENESIS_HASH } from '../../src/events/epcis-context.js';
import { entryOf, type EntryLink } from '../../src/events/timeline/timeline-entry.js';
import { sealPage } from '../../src/events/timeline/timeline-pages.js';

export type Backend = 'sqlite' | 'postgresql';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgresql'];

/** What the benchmarks need to know of a built database: its size and records to aim at. */
export type Manifest = {
  version: number;
  complete: boolean;
  builtAt: string;
  buildSeconds: number;
  pgDatabase: string | null;
  /** The sizes asked for (labels grow a little as benches issue runs). */
  requested: { labels: number; scans: number };
  counts: Record<string, number>;
  /** The bench-only signing key the labels were signed with (kept in the ignored folder). */
  signingJwk: PrivateJwk;
  sample: {
    producerId: string;
    productId: string;
    gtin: string;
    certificationId: string;
    batchId: string;
    lotCode: string;
    runId: string;
    runCount: number;
    serial: string;
    hotSerial: string;
    /** Labels spread over the database, for voids and lookups (some may since be void). */
    serials: string[];
    /** Runs spread over the database, for revocations and reads. */
    runIds: string[];
    /** Batches with their producer, for issuing new runs. */
    batches: Array<{ batchId: string; producerId: string; productId: string; lotCode: string }>;
    eventBatchId: string;
    bigEventBatchId: string;
    captureId: string;
    eventID: string;
    producerKey: string;
    adminKey: string;
  };
};

const MANIFEST_VERSION = 1;
const CHUNK = 5_000;
/** Events per batch, and the few batches with a long history (sealed timeline pages). */
const EVENTS_PER_BATCH = 5;
const BIG_EVENT_BATCHES = 10;
const BIG_EVENT_COUNT = 1_000;
const pg = ['-h', process.env.OCOP_TEST_PGHOST ?? '127.0.0.1', '-p', process.env.OCOP_TEST_PGPORT ?? '5432', '-U', process.env.OCOP_TEST_PGUSER ?? 'postgres'];

export type LargeDatabase = {
  backend: Backend;
  /** mongodb://…/ocop of the FerretDB serving it (started by openLargeDatabase). */
  uri: string;
  /** For the PostgreSQL backend: postgres://… of the database behind FerretDB. */
  pgUrl: string | null;
  manifest: Manifest;
  /** Its companion indexes added now (see RunningFerret.ensureIndexes). */
  ensureIndexes(): Promise<void>;
  /** Stops the FerretDB it started (the data stays for the next run). */
  stop(): Promise<void>;
};

export type LargeOptions = { labels: number; scans: number; dir?: string; rebuild?: boolean; log?: (msg: string) => void };

export const largeDir = (dir?: string) => path.resolve(dir ?? process.env.BENCH_LARGE_DIR ?? '.data/large');

/**
 * Serves the large database of `backend`, building it first when it is missing, was
 * left half-built, was built for other sizes, or `rebuild` is set. Leaves mongoose
 * disconnected: the caller connects (or hands `uri` to a service).
 */
export async function openLargeDatabase(backend: Backend, opts: LargeOptions): Promise<LargeDatabase> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const dir = largeDir(opts.dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const manifestFile = path.join(dir, `${backend}.json`);
  const old = readManifest(manifestFile);
  const reusable =
    !opts.rebuild && old?.complete && old.version === MANIFEST_VERSION && old.requested?.labels === opts.labels && old.requested.scans === opts.scans && (backend === 'sqlite' || pgExists(old.pgDatabase));
  if (reusable) {
    const served = await serve(backend, dir, old.pgDatabase);
    log(`${backend}: reusing the database built ${old.builtAt} (${opts.labels.toLocaleString('en')} labels, ${opts.scans.toLocaleString('en')} scans)`);
    return { backend, ...served, manifest: old };
  }

  // Start again from nothing: a half-built database cannot be trusted to be complete.
  if (backend === 'sqlite') fs.rmSync(path.join(dir, 'sqlite'), { recursive: true, force: true });
  if (old?.pgDatabase && pgExists(old.pgDatabase)) execFileSync('dropdb', [...pg, '--if-exists', old.pgDatabase]);
  fs.rmSync(manifestFile, { force: true });
  let pgDatabase: string | null = null;
  if (backend === 'postgresql') {
    pgDatabase = `ocop_large_${Date.now()}`;
    execFileSync('createdb', [...pg, '-E', 'UTF8', '-T', 'template0', pgDatabase]);
  }
  const served = await serve(backend, dir, pgDatabase);
  const started = Date.now();
  try {
    log(`${backend}: building ${opts.labels.toLocaleString('en')} labels and ${opts.scans.toLocaleString('en')} scans (minutes)…`);
    await connectDatabase(served.uri, { socketTimeoutMS: 600_000 });
    await syncIndexes();
    const built = await buildFixture(opts.labels, opts.scans, log);
    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      complete: true,
      builtAt: new Date().toISOString(),
      buildSeconds: Math.round((Date.now() - started) / 1000),
      pgDatabase,
      requested: { labels: opts.labels, scans: opts.scans },
      ...built,
    };
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2), { mode: 0o600 });
    log(`${backend}: built in ${manifest.buildSeconds} s`);
    return { backend, ...served, manifest };
  } catch (err) {
    await served.stop();
    throw err;
  } finally {
    await disconnectDatabase();
  }
}

function readManifest(file: string): Manifest | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

function pgExists(name: string | null): boolean {
  if (!name) return false;
  const out = execFileSync('psql', [...pg, '-d', 'postgres', '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${name.replace(/'/g, "''")}'`]).toString();
  return out.trim() === '1';
}

async function serve(backend: Backend, dir: string, pgDatabase: string | null): Promise<{ uri: string; pgUrl: string | null; ensureIndexes(): Promise<void>; stop(): Promise<void> }> {
  let ferret: RunningFerret;
  let pgUrl: string | null = null;
  if (backend === 'sqlite') {
    ferret = await startFerretDB({ backend: { kind: 'sqlite', dir: path.join(dir, 'sqlite') } });
  } else {
    pgUrl = `postgres://${pg[5]}@${pg[1]}:${pg[3]}/${pgDatabase}`;
    ferret = await startFerretDB({ backend: { kind: 'postgresql', url: pgUrl } });
  }
  return { uri: withDatabase(ferret.uri, 'ocop'), pgUrl, ensureIndexes: () => ferret.ensureIndexes(), stop: () => ferret.stop() };
}

/* ---------- the fixture ---------- */

/** A small deterministic generator, so two builds hold the same shapes of data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/** Inserts in chunks, the next chunk made while the last one is written. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model: the fixtures are plain documents, written lean
async function insertChunked<T>(model: mongoose.Model<any>, total: number, make: (i: number) => T, log: (m: string) => void, what: string): Promise<void> {
  let pending: Promise<unknown> | null = null;
  const t0 = Date.now();
  for (let start = 0; start < total; start += CHUNK) {
    const docs: T[] = [];
    for (let i = start; i < Math.min(total, start + CHUNK); i++) docs.push(make(i));
    if (pending) await pending;
    pending = model.insertMany(docs, { ordered: false, lean: true });
    if ((start / CHUNK) % 40 === 39) log(`  ${what}: ${(start + CHUNK).toLocaleString('en')} of ${total.toLocaleString('en')} (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  if (pending) await pending;
}

async function buildFixture(labelTotal: number, scanTotal: number, log: (m: string) => void): Promise<Omit<Manifest, 'version' | 'complete' | 'builtAt' | 'buildSeconds' | 'pgDatabase' | 'requested'>> {
  const random = rng(17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const now = Date.now();
  const jwk = generateSigningJwk();
  const key = toSigningKey(jwk);
  const kid = shortKid(key.kid);
  await SigningKeyModel.create({ _id: key.kid, shortKid: kid, publicJwk: key.publicJwk, status: 'active' });

  // The registry: a producer per thousand labels, five products each, two batches per product.
  const producerCount = Math.max(1, Math.round(labelTotal / 1000));
  const places = provinces.slice(0, 20).map((p) => ({ provinceCode: p.code, communeCode: p.communes[0]!.code }));
  const producers = Array.from({ length: producerCount }, (_, i) => {
    const place = places[i % places.length]!;
    const name = `Hợp tác xã Nông sản số ${i + 1}`;
    const at = new Date(now - 900 * DAY + i * 1000);
    return {
      _id: newId(),
      name,
      searchName: foldForSearch(name),
      kind: i % 7 === 0 ? 'enterprise' : 'cooperative',
      registrationNumber: `LG${String(i).padStart(8, '0')}`,
      address: { provinceCode: place.provinceCode, communeCode: place.communeCode, street: null, legacyDistrict: null },
      contact: { person: null, phone: null, email: null },
      createdAt: at,
      updatedAt: at,
    };
  });
  await insertChunked(ProducerModel, producers.length, (i) => producers[i]!, log, 'producers');

  const products = producers.flatMap((p, pi) =>
    Array.from({ length: 5 }, (_, j) => {
      const _id = newId();
      const n = pi * 5 + j;
      const gtin = n % 5 < 3 ? `0${withCheckDigit(`893${String(1_000_000_000 + n).slice(1)}`)}` : null;
      const name = { vi: `Sản phẩm OCOP ${n + 1}`, en: null };
      const at = new Date(p.createdAt.getTime() + (j + 1) * DAY);
      return {
        _id,
        producerId: p._id,
        name,
        searchName: foldForSearch(name.vi),
        group: j % 2 === 0 ? 'food' : 'beverage',
        groupListVersion: CURRENT_GROUP_LIST_VERSION,
        gtin,
        gtinKey: gtinKeyOf(gtin, _id),
        labelledSince: new Date(at.getTime() + 30 * DAY),
        description: null,
        images: [],
        createdAt: at,
        updatedAt: at,
      };
    }),
  );
  await insertChunked(ProductModel, products.length, (i) => products[i]!, log, 'products');

  // One current certification per product; a fifth were re-rated (an older one superseded); 2% revoked since.
  type Cert = { _id: string; productId: string; stars: number; validUntil: Date; status: string };
  const certs: Array<Cert & Record<string, unknown>> = [];
  const currentCert = new Map<string, Cert>();
  products.forEach((p, n) => {
    const stars = 3 + (n % 3);
    const decided = new Date(now - (30 + (n % 600)) * DAY);
    const cert = (status: string, decisionDate: Date, extra: Record<string, unknown> = {}) => ({
      _id: newId(),
      productId: p._id,
      producerId: p.producerId,
      stars,
      score: [0, 20, 40, 60, 75, 92][stars]!,
      decisionNumber: `${n + 1}/QĐ-UBND`,
      authority: { level: 'province', name: 'UBND tỉnh' },
      decisionDate,
      validUntil: new Date(decisionDate.getTime() + 3 * 365 * DAY),
      status,
      statusChangedAt: null,
      statusReason: null,
      supersededBy: null,
      createdAt: decisionDate,
      updatedAt: decisionDate,
      ...extra,
    });
    const current = cert(n % 50 === 49 ? 'revoked' : 'active', decided);
    if (n % 5 === 0) certs.push(cert('superseded', new Date(decided.getTime() - 1100 * DAY), { supersededBy: current._id, decisionNumber: `${n + 1}/QĐ-UBND-cu` }));
    certs.push(current);
    currentCert.set(p._id, current);
  });
  await insertChunked(CertificationModel, certs.length, (i) => certs[i]!, log, 'certifications');

  const batches = products.flatMap((p, n) =>
    Array.from({ length: 2 }, (_, j) => {
      const at = new Date(p.createdAt.getTime() + (40 + j * 90) * DAY);
      const place = places[n % places.length]!;
      return {
        _id: newId(),
        productId: p._id,
        producerId: p.producerId,
        lotCode: `L${String(n).padStart(6, '0')}-${j + 1}`,
        productionDate: at,
        expiryDate: new Date(at.getTime() + 730 * DAY),
        quantity: 1000,
        unit: 'kg',
        origin: { provinceCode: place.provinceCode, communeCode: place.communeCode, placeName: null },
        createdAt: at,
        updatedAt: at,
      };
    }),
  );
  await insertChunked(BatchModel, batches.length, (i) => batches[i]!, log, 'batches');
  const productById = new Map(products.map((p) => [p._id, p]));

  // API keys: one per producer, a few admins; two made through the service, whose key text the benches use.
  const keys = producers.map((p, i) => ({
    _id: `K${String(i).padStart(11, '0')}`,
    secretHash: '0'.repeat(64),
    role: 'producer',
    producerId: p._id,
    label: `khóa ${i}`,
    createdAt: p.createdAt,
    revokedAt: null,
  }));
  await insertChunked(ApiKeyModel, keys.length, (i) => keys[i]!, log, 'api keys');
  const producerKey = (await createApiKey({ role: 'producer', label: 'bench producer', producerId: producers[0]!._id })).key;
  const adminKey = (await createApiKey({ role: 'admin', label: 'bench admin' })).key;

  // One run per batch, sizes spread around the mean (20%–180%), 1% revoked; their labels.
  const mean = labelTotal / batches.length;
  const runs: Array<{ _id: string; batchId: string; productId: string; producerId: string; count: number; state: string } & Record<string, unknown>> = [];
  let assigned = 0;
  batches.forEach((b, i) => {
    const last = i === batches.length - 1;
    const count = last ? labelTotal - assigned : Math.max(1, Math.min(labelTotal - assigned - (batches.length - i - 1), Math.round(mean * (0.2 + 1.6 * random()))));
    if (count <= 0) return;
    assigned += count;
    const at = new Date(b.createdAt.getTime() + DAY);
    const state = i % 100 === 99 ? 'revoked' : 'issued';
    runs.push({
      _id: newId(),
      batchId: b._id,
      productId: b.productId,
      producerId: b.producerId,
      certificationId: currentCert.get(b.productId)!._id,
      count,
      requestedBy: keys[producers.findIndex((p) => p._id === b.producerId)]?._id ?? 'system',
      idempotencyKey: randomUUID(),
      state,
      createdAt: at,
      issuedAt: at,
      revokedAt: state === 'revoked' ? new Date(at.getTime() + DAY) : null,
      revokedReason: state === 'revoked' ? 'cuộn tem bị mất' : null,
    });
  });
  await insertChunked(LabelRunModel, runs.length, (i) => runs[i]!, log, 'label runs');

  // Labels, in run order: the i-th label is position seq of run r.
  const batchById = new Map(batches.map((b) => [b._id, b]));
  const runStarts: number[] = [];
  let total = 0;
  for (const r of runs) {
    runStarts.push(total);
    total += r.count;
  }
  const serials: string[] = new Array<string>(total);
  let runIndex = 0;
  const voided: string[] = [];
  await insertChunked(
    LabelModel,
    total,
    (i) => {
      while (runIndex + 1 < runs.length && runStarts[runIndex + 1]! <= i) runIndex++;
      const run = runs[runIndex]!;
      const seq = i - runStarts[runIndex]! + 1;
      const batch = batchById.get(run.batchId)!;
      const product = productById.get(run.productId)!;
      const cert = currentCert.get(run.productId)!;
      const productKey: ProductKey = product.gtin ? { kind: 'gtin', gtin: product.gtin } : { kind: 'product', productId: product._id };
      const serial = newSerial();
      serials[i] = serial;
      const validUntil = toYYMMDD(cert.validUntil);
      const fields = { product: productKey, lot: batch.lotCode, serial, stars: cert.stars, validUntil, kid };
      const isVoid = i % 200 === 199;
      if (isVoid) voided.push(serial);
      return {
        _id: serial,
        runId: run._id,
        batchId: run.batchId,
        productId: run.productId,
        producerId: run.producerId,
        kid,
        stars: cert.stars,
        validUntil,
        sig: signCanonical(key, canonicalLabelString(fields)),
        status: isVoid ? 'void' : 'active',
        issuedAt: run.issuedAt,
        seq,
        statusChangedAt: isVoid ? new Date(now - DAY) : null,
        statusReason: isVoid ? 'in hỏng' : null,
      };
    },
    log,
    'labels',
  );
  await insertChunked(StatusChangeModel, voided.length, (i) => ({ _id: `label.void:${voided[i]}`, at: new Date(now - DAY), by: 'bench' }), log, 'label status changes');

  // Scans: one label is hot (4% of all scans), the rest spread over every label.
  const hotSerial = serials[Math.floor(total / 2)]!;
  const hotScans = Math.floor(scanTotal * 0.04);
  const clients = Array.from({ length: 5_000 }, (_, i) => `client${String(i).padStart(10, '0')}`);
  await insertChunked(
    ScanModel,
    scanTotal,
    (i) => ({
      _id: newId() + newId(),
      serial: i < hotScans ? hotSerial : serials[Math.floor(random() * total)]!,
      time: new Date(now - Math.floor(random() * 365 * DAY)),
      place: i % 3 === 0 ? pick(places).communeCode : null,
      clientHash: pick(clients),
      verdict: 'genuine',
    }),
    log,
    'scans',
  );

  // Value-chain events: a few per batch, a long history on some; one capture per batch, all committed.
  const doc = documentContext(undefined);
  const steps = ['commissioning', 'inspecting', 'storing', 'shipping', 'receiving', 'retail_selling'];
  const eventBatches = batches.map((b, i) => ({ b, count: i < BIG_EVENT_BATCHES ? BIG_EVENT_COUNT : EVENTS_PER_BATCH }));
  let events: Array<Record<string, unknown>> = [];
  let eventIds: Array<Record<string, unknown>> = [];
  const captures: Array<Record<string, unknown>> = [];
  const heads: Array<Record<string, unknown>> = [];
  let sampleEventID = '';
  let eventTotal = 0;
  const flushEvents = async () => {
    await Promise.all([EventModel.insertMany(events, { ordered: false, lean: true }), EventIdModel.insertMany(eventIds, { ordered: false, lean: true })]);
    eventTotal += events.length;
    events = [];
    eventIds = [];
  };
  for (const { b, count } of eventBatches) {
    const captureId = newId();
    const recordTime = new Date(b.createdAt.getTime() + 2 * DAY);
    const product = productById.get(b.productId)!;
    const lotUri = product.gtin ? `https://trace.example.vn/01/${product.gtin}/10/${b.lotCode}` : `https://trace.example.vn/p/${product._id}/10/${b.lotCode}`;
    let prevHash = GENESIS_HASH;
    const links: Array<EntryLink & { event: Record<string, unknown> }> = [];
    for (let seq = 0; seq < count; seq++) {
      const eventID = `urn:uuid:${randomUUID()}`;
      sampleEventID = eventID;
      const prepared = prepareEvent(
        {
          type: 'ObjectEvent',
          eventID,
          eventTime: new Date(b.createdAt.getTime() + seq * 3_600_000).toISOString().replace('Z', '+00:00'),
          eventTimeZoneOffset: '+07:00',
          action: 'OBSERVE',
          bizStep: steps[seq % steps.length],
          disposition: 'in_progress',
          readPoint: { id: `urn:ocop:commune:${b.origin.communeCode}` },
          bizLocation: { id: `urn:ocop:commune:${b.origin.communeCode}` },
          quantityList: [{ epcClass: lotUri, quantity: 100, uom: 'KGM' }],
        },
        doc,
      );
      if (Array.isArray(prepared)) throw new Error(`fixture event refused: ${JSON.stringify(prepared)}`);
      const event: Record<string, unknown> = { ...prepared.body, recordTime: recordTime.toISOString(), [BATCH_FIELD]: b._id };
      const hash = linkHash({ batchId: b._id, seq, prevHash, event });
      const stored = {
        _id: eventIdAt(b._id, seq),
        ...indexFieldsOf(event),
        productId: b.productId,
        producerId: b.producerId,
        seq,
        page: pageOf(seq),
        prevHash,
        hash,
        captureId,
        eventIndex: seq,
        isErrorDeclaration: false,
        body: JSON.stringify(event),
      };
      events.push(stored);
      eventIds.push({ _id: eventID, captureId, batchId: b._id });
      if (count > PAGE_SIZE) links.push({ ...stored, event });
      prevHash = hash;
    }
    captures.push({ _id: captureId, state: 'committed', actor: 'bench', role: 'producer', eventCount: count, batchIds: [b._id], createdAt: recordTime, finishedAt: recordTime, failure: null });
    heads.push({ _id: b._id, seq: count - 1, hash: prevHash });
    if (events.length >= CHUNK) await flushEvents();
    // Full pages sealed, as the capture that filled them would have.
    for (let page = 0; (page + 1) * PAGE_SIZE <= links.length; page++) {
      const slice = links.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
      await sealPage(b._id, page, slice.map((l) => entryOf(l, l.event)));
    }
  }
  if (events.length) await flushEvents();
  await insertChunked(CaptureModel, captures.length, (i) => captures[i]!, log, 'captures');
  await insertChunked(ChainHeadModel, heads.length, (i) => heads[i]!, log, 'chain heads');

  // The audit trail of all that: one entry per record made.
  const audits = [
    ...producers.map((p) => ['producer.create', 'producer', p._id, p.createdAt] as const),
    ...products.map((p) => ['product.create', 'product', p._id, p.createdAt] as const),
    ...certs.map((c) => ['certification.create', 'certification', c._id, c.createdAt as Date] as const),
    ...batches.map((b) => ['batch.create', 'batch', b._id, b.createdAt] as const),
    ...runs.map((r) => ['label_run.issue', 'label_run', r._id, r.createdAt as Date] as const),
    ...captures.map((c) => ['event.capture_document', 'event_capture', c._id as string, c.createdAt as Date] as const),
  ];
  await insertChunked(
    AuditModel,
    audits.length,
    (i) => {
      const [action, targetType, targetId, at] = audits[i]!;
      return { at, actor: 'bench', role: 'admin', action, targetType, targetId, details: null };
    },
    log,
    'audit entries',
  );

  // Samples from the end of the collections: a query that reads a table in order finds them last.
  const usable = (productId: string) => currentCert.get(productId)!.status === 'active' && productById.get(productId)!.gtin !== null;
  const sampleRun = runs.findLast((r) => r.state === 'issued' && r.count >= 50 && usable(r.productId))!;
  const sampleBatch = batchById.get(sampleRun.batchId)!;
  const sampleProduct = productById.get(sampleRun.productId)!;
  const sampleIndex = runStarts[runs.indexOf(sampleRun)]! + 1;
  const spread = (n: number, list: readonly string[]) => Array.from({ length: n }, (_, i) => list[Math.floor(((i + 0.5) * list.length) / n)]!);
  const usableBatches = batches.filter((b) => currentCert.get(b.productId)!.status === 'active');
  return {
    counts: {
      producers: producers.length,
      products: products.length,
      certifications: certs.length,
      batches: batches.length,
      runs: runs.length,
      labels: total,
      scans: scanTotal,
      events: eventTotal,
      captures: captures.length,
      apiKeys: keys.length + 2,
      audit: audits.length,
    },
    signingJwk: jwk,
    sample: {
      producerId: sampleProduct.producerId,
      productId: sampleProduct._id,
      gtin: sampleProduct.gtin!,
      certificationId: currentCert.get(sampleProduct._id)!._id,
      batchId: sampleBatch._id,
      lotCode: sampleBatch.lotCode,
      runId: sampleRun._id,
      runCount: sampleRun.count,
      serial: serials[sampleIndex % 200 === 199 ? sampleIndex + 1 : sampleIndex]!,
      hotSerial,
      serials: spread(2_000, serials),
      runIds: spread(200, runs.filter((r) => r.state === 'issued').map((r) => r._id)),
      batches: spread(200, usableBatches.map((b) => b._id)).map((id) => {
        const b = batchById.get(id)!;
        return { batchId: b._id, producerId: b.producerId, productId: b.productId, lotCode: b.lotCode };
      }),
      eventBatchId: batches.at(-1)!._id,
      bigEventBatchId: batches[BIG_EVENT_BATCHES - 1]!._id,
      captureId: String(captures.at(-1)!._id),
      eventID: sampleEventID,
      producerKey,
      adminKey,
    },
  };
}
