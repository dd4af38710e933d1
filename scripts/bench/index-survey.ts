/**
 * Index survey: every query the service issues on a request path or a write path,
 * run against a large database (scripts/bench/large-database.ts: 1,000,000 labels,
 * 5,000,000 scans by default) on both FerretDB backends. For each query it prints the
 * filter, what the backend's explain says (FerretDB: whether the filter, sort and
 * limit were pushed down to SQLite / PostgreSQL, and their plan: a table scan or an
 * index), and the median time of a few runs, with its ratio to a floor measured in the
 * same run (an `_id` findOne on a one-document collection: one round trip). Then whole
 * operations: a label run of 3 labels, a void (one, and ten at once), a run revocation,
 * a capture, a timeline. Figures only, no asserts; see docs/operations.md, "Queries and
 * their indexes".
 *
 *   npm run bench:survey
 *
 * SURVEY_BACKENDS   sqlite,postgresql (default both)
 * SURVEY_LABELS     1000000     SURVEY_SCANS   5000000   (the database is rebuilt when they change)
 * SURVEY_RUNS       5 (timed runs per query after a warm-up; 3 in all for a query slower than 2 s, 1 above 10 s)
 * SURVEY_ONLY       a substring: survey only the queries whose name holds it
 * BENCH_LARGE_DIR   .data/large (the SQLite files, the manifests, the results as JSON)
 * SURVEY_REBUILD=1  build the databases again
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase, guardedById, syncIndexes } from '../../src/db.js';
import { appendSlot } from '../../src/slots.js';
import { runUpgrades } from '../../src/upgrades/upgrades.service.js';
import { loadConfig } from '../../src/config.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { ApiKeyModel } from '../../src/accounts/api-key.model.js';
import { authenticateApiKey, listApiKeys } from '../../src/accounts/api-key.service.js';
import { recordAudit } from '../../src/audit/audit.service.js';
import { findBatch, findBatchByLot, listBatches } from '../../src/batches/batch.service.js';
import { ProducerModel } from '../../src/registry/producers/producer.model.js';
import { findProducer, listProducers, producerIdsInProvince } from '../../src/registry/producers/producer.service.js';
import { ProductModel } from '../../src/registry/products/product.model.js';
import { findProduct, findProductByGtin, listProducts, lockProductKey } from '../../src/registry/products/product.service.js';
import { certificationSlots } from '../../src/registry/certifications/certification-slot.model.js';
import { CertificationModel } from '../../src/registry/certifications/certification.model.js';
import {
  currentCertificationFor,
  findCertification,
  latestRevokedCertificationFor,
  productIdsWithCurrentCertification,
} from '../../src/registry/certifications/certification.reads.js';
import { listCertifications } from '../../src/registry/certifications/certification.service.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { StatusChangeModel } from '../../src/labels/runs/status-change.model.js';
import { activeLabelsOfRun, findLabel, findLabelRun, listRunsOfBatch, revocationDuringIssue, revokeRun, voidLabel } from '../../src/labels/runs/labels.service.js';
import { RunKeyModel, runKeyId } from '../../src/labels/runs/run-key.model.js';
import { LabelRunPageModel, runVoids } from '../../src/labels/runs/label-run-page.model.js';
import { issueLabelRun } from '../../src/labels/runs/issue-run.service.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { CaptureModel, CapturePayloadModel, OpenCaptureModel } from '../../src/events/capture/capture.model.js';
import { captureEvents, captureStatus, healStaleCaptures, unfinishedCaptureIds } from '../../src/events/capture/capture.service.js';
import { EventIdModel } from '../../src/events/capture/event-id.model.js';
import { EventModel, eventIdAt } from '../../src/events/chain/event.model.js';
import { ChainHeadModel } from '../../src/events/chain/chain-head.model.js';
import { findTip, pageLinks } from '../../src/events/chain/chain-links.js';
import { queryEvents } from '../../src/events/query/query.service.js';
import { readTimelineModel, sealedPages } from '../../src/events/timeline/timeline-pages.js';
import { fullCheck } from '../../src/events/timeline/timeline-check.js';
import { BACKENDS, largeDir, openLargeDatabase, type Backend, type Manifest } from './large-database.js';

const backends = (process.env.SURVEY_BACKENDS ?? BACKENDS.join(',')).split(',').map((b) => b.trim()) as Backend[];
const LABELS = Number(process.env.SURVEY_LABELS ?? 1_000_000);
const SCANS = Number(process.env.SURVEY_SCANS ?? 5_000_000);
const RUNS = Number(process.env.SURVEY_RUNS ?? 5);
const ONLY = process.env.SURVEY_ONLY ?? '';
const log = (m: string) => console.error(m);

/** How a query is explained: FerretDB explains find, count and aggregate (an update is explained by its filter). */
type Explain =
  | { find: string; filter: Record<string, unknown>; sort?: Record<string, 1 | -1>; limit?: number; projection?: Record<string, 1> }
  | { count: string; filter: Record<string, unknown> }
  | null;

type Query = {
  /** Where the service issues it: the route or the job. */
  path: string;
  /** What it reads or writes, and how. */
  name: string;
  explain: Explain;
  run: () => Promise<unknown>;
};

type Measured = { path: string; name: string; filter: string; mongo: string; plan: string; ms: number; runs: number };

/**
 * The declared index that serves a filter (and sort) on MongoDB: `_id` for an `_id`
 * equality, else the index with the longest prefix of equality fields of the filter,
 * or, for a filter without equalities, one whose keys begin with the sort's.
 */
function mongoIndexFor(spec: Explain): string {
  if (!spec) return 'insert';
  const collection = 'find' in spec ? spec.find : spec.count;
  const model = Object.values(mongoose.models).find((m) => m.collection.collectionName === collection);
  const equal = Object.entries(spec.filter)
    .filter(([k, v]) => !k.startsWith('$') && (v === null || typeof v !== 'object' || v instanceof Date || '$in' in (v as object)))
    .map(([k]) => k);
  if (equal.includes('_id')) return '_id';
  const indexes = (model?.schema.indexes() ?? []).map(([keys]) => Object.keys(keys));
  let best: string[] | null = null;
  let bestLength = 0;
  for (const keys of indexes) {
    let n = 0;
    while (n < keys.length && equal.includes(keys[n]!)) n++;
    if (n > bestLength) [best, bestLength] = [keys, n];
  }
  const sort = 'find' in spec && spec.sort ? Object.keys(spec.sort) : [];
  if (!best && sort.length) best = indexes.find((keys) => keys[0] === sort[0]) ?? null;
  return best ? best.join(', ') : 'none: reads the collection';
}

type Sample = Manifest['sample'];

/* ---------- the queries, as the services issue them (see docs/operations.md) ---------- */

function queries(s: Sample, keyring: Keyring): Query[] {
  const keyId = /^ok_([0-9A-Za-z]{12})_/.exec(s.producerKey)![1]!;
  const serials = [...s.serials];
  let serialAt = 0;
  /** A label of the sample set that is still active (voids use them up). */
  const nextActive = async () => {
    for (; serialAt < serials.length; serialAt++) {
      const label = await LabelModel.findById(serials[serialAt]).lean();
      if (label?.status === 'active') return serials[serialAt++]!;
    }
    throw new Error('no active sample label left: rebuild with SURVEY_REBUILD=1');
  };
  // Runs to revoke: the first half of the sample (the second half is printed, never revoked).
  let revokeAt = 0;
  const nextRunToRevoke = () => s.runIds[revokeAt++ % 100]!;
  let batchAt = 0;
  const nextBatch = () => s.batches[batchAt++ % s.batches.length]!;
  const find = (coll: string, filter: Record<string, unknown>, more: { sort?: Record<string, 1 | -1>; limit?: number } = {}): Explain => ({ find: coll, filter, ...more });
  const byId = (coll: string, _id: string) => find(coll, { _id });
  const printRun = async (runId: string) => {
    const run = (await findLabelRun(runId))!;
    let n = 0;
    for await (const _ of activeLabelsOfRun(run)) n++;
    return n;
  };

  return [
    // Accounts: every API call starts here.
    { path: 'every API call (Bearer key)', name: 'api key by id', explain: byId('api_keys', keyId), run: () => authenticateApiKey(s.producerKey) },
    { path: 'GET /api-keys', name: 'api keys, newest first + total', explain: find('api_keys', {}, { sort: { createdAt: -1, _id: 1 }, limit: 20 }), run: () => listApiKeys({ limit: 20, offset: 0 }) },
    { path: 'POST /api-keys/:id/revoke', name: 'api key update by id', explain: byId('api_keys', keyId), run: () => ApiKeyModel.updateOne({ _id: keyId }, { $set: { revokedAt: null } }) },
    { path: 'every write (audit)', name: 'audit entry insert', explain: null, run: () => recordAudit(systemPrincipal, 'bench.survey', { type: 'bench', id: 'survey' }) },

    // Registry.
    { path: 'GET /producers/:id', name: 'producer by id', explain: byId('producers', s.producerId), run: () => findProducer(s.producerId) },
    { path: 'GET /producers', name: 'producers, oldest first + total', explain: find('producers', {}, { sort: { createdAt: 1, _id: 1 }, limit: 20 }), run: () => listProducers({ limit: 20 } as never) },
    { path: 'GET /producers?province=', name: 'producers of a province + total', explain: find('producers', { 'address.provinceCode': '01' }, { sort: { createdAt: 1, _id: 1 }, limit: 20 }), run: () => listProducers({ limit: 20, province: '01' } as never) },
    { path: 'POST /producers (duplicate)', name: 'producer by registration number', explain: find('producers', { registrationNumber: 'LG00000007' }), run: () => ProducerModel.findOne({ registrationNumber: 'LG00000007' }, { _id: 1 }).lean() },
    { path: 'GET /products?province=, /certifications?province=', name: 'producer ids of a province', explain: find('producers', { 'address.provinceCode': '01' }), run: () => producerIdsInProvince('01') },
    { path: 'GET /products/:id, label runs, verify', name: 'product by id', explain: byId('products', s.productId), run: () => findProduct(s.productId) },
    { path: 'GET /products', name: 'products, oldest first + total', explain: find('products', {}, { sort: { createdAt: 1, _id: 1 }, limit: 20 }), run: () => listProducts({ limit: 20 } as never) },
    { path: 'GET /products?producer=', name: "a producer's products + total", explain: find('products', { producerId: s.producerId }, { sort: { createdAt: 1, _id: 1 }, limit: 20 }), run: () => listProducts({ limit: 20, producer: s.producerId } as never) },
    { path: 'GET /products?stars=', name: 'products by current stars (all active certifications, then $in)', explain: find('certifications', { status: 'active' }), run: () => listProducts({ limit: 20, stars: 4 } as never) },
    { path: 'POST /epcis/capture (GTIN identifiers)', name: 'product by GTIN', explain: find('products', { gtin: s.gtin }), run: () => findProductByGtin(s.gtin) },
    { path: 'POST …/label-runs (first run of a product)', name: 'product key lock (read by _id, then update by _id)', explain: byId('products', s.productId), run: () => lockProductKey(s.productId) },
    { path: 'PATCH /products/:id', name: 'product update by id', explain: byId('products', s.productId), run: () => ProductModel.findOneAndUpdate({ _id: s.productId }, { $set: { description: null } }, { returnDocument: 'after' }).lean() },
    { path: 'GET /certifications/:id, verify', name: 'certification by id', explain: byId('certifications', s.certificationId), run: () => findCertification(s.certificationId) },
    {
      path: 'label runs, GET /products/:id, verify',
      name: "a product's current certification (its list by _id, then each by _id)",
      explain: byId('certification_slots', `${s.productId}:0`),
      run: () => currentCertificationFor(s.productId),
    },
    { path: 'POST …/label-runs (refused), POST /products/:id/certifications', name: "a product's certifications (latest revoked, earlier to supersede)", explain: byId('certification_slots', `${s.productId}:1`), run: () => latestRevokedCertificationFor(s.productId) },
    { path: 'POST /products/:id/certifications', name: 'certification list append (insert at the next position)', explain: null, run: () => appendSlot(certificationSlots, `bench${randomUUID().slice(0, 5)}`, 'x') },
    { path: 'POST /certifications/:id/revoke', name: 'certification revoke (update by _id)', explain: byId('certifications', s.certificationId), run: () => CertificationModel.findOne({ _id: s.certificationId }).lean() },
    { path: 'GET /certifications', name: 'certifications, newest decision first + total', explain: find('certifications', {}, { sort: { decisionDate: -1, createdAt: -1, _id: 1 }, limit: 20 }), run: () => listCertifications({ limit: 20 } as never) },
    { path: 'GET /products?status=', name: 'all active certifications (current stars / status)', explain: find('certifications', { status: 'active' }), run: () => productIdsWithCurrentCertification({ status: 'active' }) },

    // Batches.
    { path: 'GET /batches/:id, label runs, verify, capture', name: 'batch by id', explain: byId('batches', s.batchId), run: () => findBatch(s.batchId) },
    { path: 'POST /epcis/capture (lot identifiers)', name: 'batch by product and lot', explain: find('batches', { productId: s.productId, lotCode: s.lotCode }), run: () => findBatchByLot(s.productId, s.lotCode) },
    { path: 'GET /batches?producer=', name: "a producer's batches, newest first + total", explain: find('batches', { producerId: s.producerId }, { sort: { createdAt: -1, _id: 1 }, limit: 20 }), run: () => listBatches(systemPrincipal, { limit: 20, producer: s.producerId } as never) },

    // Label runs and labels.
    {
      path: 'POST /batches/:id/label-runs',
      name: 'run by producer and Idempotency-Key (key document by _id, then the run)',
      explain: byId('label_run_keys', runKeyId(s.producerId, 'none')),
      run: async () => {
        const key = await RunKeyModel.findById(runKeyId(s.producerId, randomUUID())).lean();
        return key ? findLabelRun(key.runId) : null;
      },
    },
    { path: 'POST /batches/:id/label-runs (two with one key at once)', name: 'run by producer and Idempotency-Key (the unique index fields)', explain: find('label_runs', { producerId: s.producerId, idempotencyKey: 'none' }), run: () => LabelRunModel.findOne({ producerId: s.producerId, idempotencyKey: randomUUID() }).lean() },
    { path: 'POST /batches/:id/label-runs', name: 'labels insert (3, unordered)', explain: null, run: () => LabelModel.insertMany(Array.from({ length: 3 }, (_, i) => ({ _id: `BENCH${randomUUID().replace(/-/g, '').slice(0, 12)}`, runId: `bench${randomUUID().slice(0, 5)}`, batchId: s.batchId, productId: s.productId, producerId: s.producerId, kid: 'bench', stars: 4, validUntil: '270101', sig: 'x', status: 'active', issuedAt: new Date(), seq: i + 1, statusChangedAt: null, statusReason: null })), { ordered: false, lean: true }) },
    { path: 'POST /batches/:id/label-runs', name: 'print pages insert', explain: null, run: () => LabelRunPageModel.create({ _id: `bench${randomUUID().slice(0, 5)}:0`, labels: '[]' }) },
    { path: 'POST /batches/:id/label-runs', name: 'run marked issued (update by _id)', explain: byId('label_runs', s.runId), run: () => LabelRunModel.updateOne(guardedById(s.runId, { state: 'issued' }), { $set: { state: 'issued' } }) },
    { path: 'POST /batches/:id/label-runs', name: 'revocation claim of the run, by _id (revoked meanwhile?)', explain: byId('label_status_changes', `label_run.revoke:${s.runId}`), run: () => revocationDuringIssue(s.runId) },
    { path: 'POST /batches/:id/label-runs (resumed)', name: 'print page written before? (by _id)', explain: byId('label_run_pages', `${s.runId}:0`), run: () => LabelRunPageModel.exists({ _id: `${s.runId}:0` }) },
    { path: 'POST /batches/:id/label-runs (serial collision)', name: 'labels of a run at positions ($in)', explain: find('labels', { runId: s.runId, seq: { $in: [1, 2] } }), run: () => LabelModel.find({ runId: s.runId, seq: { $in: [1, 2] } }, { seq: 1 }).lean() },
    { path: 'GET /label-runs/:id, print, verify', name: 'run by id', explain: byId('label_runs', s.runId), run: () => findLabelRun(s.runId) },
    { path: 'GET /batches/:id/label-runs', name: "a batch's runs, newest first + total (its list by _id, then each run)", explain: byId('label_batch_runs', `${s.batchId}:0`), run: () => listRunsOfBatch(systemPrincipal, s.batchId, { limit: 20, offset: 0 }) },
    { path: 'GET /labels/:serial, verify', name: 'label by serial', explain: byId('labels', s.serial), run: () => findLabel(s.serial) },
    { path: 'GET /label-runs/:id/sheet.pdf, labels.csv', name: "a run's labels in print order (print pages and void list by _id)", explain: byId('label_run_pages', `${s.runId}:0`), run: () => printRun(s.runIds[150]!) },
    { path: 'POST /labels/:serial/void', name: 'label void (update by _id)', explain: byId('labels', s.serial), run: async () => LabelModel.findOneAndUpdate(guardedById(await nextActive(), { status: 'active' }), { $set: { statusReason: null } }, { returnDocument: 'after' }).lean() },
    { path: 'POST /labels/:serial/void', name: "void list append (the run's list by _id, insert)", explain: byId('label_run_voids', `${s.runId}:0`), run: () => appendSlot(runVoids, `bench${randomUUID().slice(0, 5)}`, 'x') },
    { path: 'POST /label-runs/:id/revoke', name: 'run revoke (update by _id)', explain: byId('label_runs', s.runId), run: () => LabelRunModel.findOne({ _id: s.runId }).lean() },
    { path: 'void, revoke (one-time change)', name: 'status change claim insert', explain: null, run: () => StatusChangeModel.create({ _id: `bench:${randomUUID()}`, at: new Date(), by: 'bench' }) },
    { path: 'signing, verify (key statuses)', name: 'signing keys, all', explain: find('signing_keys', {}), run: () => SigningKeyModel.find().lean() },

    // Verification page: the label's records (above), its scans.
    { path: 'GET /01/…, /p/… (scan log)', name: 'scans insert (raw log, 100 per flush)', explain: null, run: () => ScanModel.insertMany(Array.from({ length: 100 }, () => ({ _id: randomUUID(), serial: s.serial, time: new Date(), place: null, clientHash: 'bench', verdict: 'genuine' })), { ordered: false, lean: true }) },
    // SCAN TALLIES: the per-label tallies read by `_id` (`scan_tallies`, `${serial}~${version}`) are added here by the change that maintains them.

    // Value-chain events.
    {
      path: 'POST /epcis/capture',
      name: 'capture payload + open mark + record insert',
      explain: null,
      run: async () => {
        const id = `bench${randomUUID().slice(0, 5)}`;
        await CapturePayloadModel.create({ _id: id, payload: '[]' });
        await OpenCaptureModel.create({ _id: id, createdAt: new Date() });
        await CaptureModel.create({ _id: id, state: 'committed', actor: 'bench', role: 'admin', eventCount: 1, batchIds: [] });
        await OpenCaptureModel.deleteOne({ _id: id });
      },
    },
    { path: 'POST /epcis/capture', name: 'eventID claim by id', explain: byId('event_ids', s.eventID), run: () => EventIdModel.findById(s.eventID, { captureId: 1 }).lean() },
    { path: 'POST /epcis/capture', name: 'chain tip (head hint, then positions by _id)', explain: byId('events', eventIdAt(s.eventBatchId, 0)), run: () => findTip(s.eventBatchId) },
    { path: 'POST /epcis/capture', name: 'chain head move (read by _id, update by _id)', explain: byId('event_chain_heads', s.eventBatchId), run: async () => { const head = await ChainHeadModel.findById(s.eventBatchId).lean(); await ChainHeadModel.updateOne(guardedById(s.eventBatchId, { seq: { $lt: head!.seq } }), { $set: { seq: head!.seq } }); } },
    { path: 'POST /epcis/capture', name: 'capture marked committed (update by _id), open mark deleted', explain: byId('event_captures', s.captureId), run: async () => { await CaptureModel.updateOne(guardedById(s.captureId, { state: 'committed' }), { $set: { state: 'committed' } }); await OpenCaptureModel.deleteOne({ _id: s.captureId }); } },
    { path: 'POST /epcis/capture (healing, every 30 s)', name: 'open captures (all; the collection holds only those in flight)', explain: find('event_captures_open', {}), run: () => healStaleCaptures() },
    { path: 'POST /epcis/capture (page filled)', name: 'links of a chain page, by position', explain: byId('events', eventIdAt(s.bigEventBatchId, 300)), run: () => pageLinks(s.bigEventBatchId, 3, 399, { seq: 1, hash: 1 }) },
    { path: 'POST /epcis/capture (the same capture rolled forward twice at once)', name: "a capture's events in one batch", explain: find('events', { captureId: s.captureId, batchId: s.eventBatchId }), run: () => EventModel.find({ captureId: s.captureId, batchId: s.eventBatchId }, { seq: 1 }).lean() },
    { path: 'GET /epcis/capture/:id', name: 'capture by id', explain: byId('event_captures', s.captureId), run: () => captureStatus(systemPrincipal, s.captureId) },
    { path: 'GET /events, timeline', name: 'unfinished captures (open marks)', explain: find('event_captures_open', {}), run: () => unfinishedCaptureIds() },
    { path: 'GET /events?batch=', name: "a batch's events by time, one page (its chain by position)", explain: byId('events', eventIdAt(s.eventBatchId, 2)), run: () => queryEvents({ batch: s.eventBatchId, perPage: 100 } as never, { mayScanAll: false }) },
    { path: 'GET /events?batch=', name: "a 1,000-event batch's events by time, one page (its chain by position)", explain: byId('events', eventIdAt(s.bigEventBatchId, 2)), run: () => queryEvents({ batch: s.bigEventBatchId, perPage: 100 } as never, { mayScanAll: false }) },
    { path: 'GET /events?product=', name: "a product's events by time, one page", explain: find('events', { productId: s.productId }, { sort: { eventTime: 1, _id: 1 }, limit: 101 }), run: () => queryEvents({ product: s.productId, perPage: 100 } as never, { mayScanAll: false }) },
    { path: 'verify page (timeline)', name: "a batch's sealed timeline pages, by _id", explain: byId('event_timeline_pages', `${s.bigEventBatchId}:0000000`), run: () => sealedPages(s.bigEventBatchId, 10) },
    { path: 'verify page (timeline)', name: 'timeline read model (pages + open page), 1,000 events', explain: byId('events', eventIdAt(s.bigEventBatchId, 999)), run: () => readTimelineModel(s.bigEventBatchId) },
    { path: 'verify page (timeline, every 60 s)', name: "full chain check, a batch's 5 events (by position)", explain: byId('events', eventIdAt(s.eventBatchId, 4)), run: () => fullCheck(s.eventBatchId, { seal: false }) },
    { path: 'GET /batches/:id/events/verify (owner)', name: "full chain check, a batch's 1,000 events (by position)", explain: byId('events', eventIdAt(s.bigEventBatchId, 500)), run: () => fullCheck(s.bigEventBatchId, { seal: false }) },

    // Whole operations through the services, as a request runs them.
    {
      path: 'POST /batches/:id/label-runs',
      name: 'OPERATION: issue a run of 3 labels',
      explain: null,
      run: () => issueLabelRun(systemPrincipal, { batchId: nextBatch().batchId, count: 3, idempotencyKey: randomUUID() }, { keyring }),
    },
    { path: 'POST /labels/:serial/void', name: 'OPERATION: void one label', explain: null, run: async () => voidLabel(systemPrincipal, await nextActive(), 'survey') },
    {
      path: 'POST /labels/:serial/void',
      name: 'OPERATION: void ten labels at once (each)',
      explain: null,
      run: async () => {
        const picked: string[] = [];
        for (let i = 0; i < 10; i++) picked.push(await nextActive());
        const t0 = performance.now();
        const each = await Promise.all(
          picked.map(async (serial) => {
            await voidLabel(systemPrincipal, serial, 'survey');
            return performance.now() - t0;
          }),
        );
        return { selfTimedMs: Math.max(...each) };
      },
    },
    { path: 'POST /label-runs/:id/revoke', name: 'OPERATION: revoke a run', explain: null, run: () => revokeRun(systemPrincipal, nextRunToRevoke(), 'survey').catch(() => undefined) },
    {
      path: 'POST /epcis/capture',
      name: 'OPERATION: capture a document of 5 events',
      explain: null,
      run: () => {
        const b = nextBatch();
        const events = Array.from({ length: 5 }, (_, i) => ({
          type: 'ObjectEvent',
          eventID: `urn:uuid:${randomUUID()}`,
          eventTime: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString().replace('Z', '+00:00'),
          eventTimeZoneOffset: '+07:00',
          action: 'OBSERVE',
          bizStep: 'inspecting',
          readPoint: { id: 'urn:ocop:commune:00004' },
          quantityList: [{ epcClass: `https://trace.example.vn/p/${b.productId}/10/${b.lotCode}`, quantity: 10, uom: 'KGM' }],
          'ocop:batchId': b.batchId,
        }));
        return captureEvents(systemPrincipal, events, { context: ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { ocop: 'urn:ocop:epcis:' }] });
      },
    },
  ];
}

/* ---------- explain and time ---------- */

async function explainSummary(spec: Explain): Promise<{ filter: string; plan: string }> {
  if (!spec) return { filter: '(insert)', plan: 'insert' };
  const db = mongoose.connection.db!;
  const filter = 'find' in spec ? spec.filter : spec.filter;
  const filterText = JSON.stringify(filter, (_k, v: unknown) => (v instanceof Date ? '<date>' : v)) + ('find' in spec && spec.sort ? ` sort ${JSON.stringify(spec.sort)}` : '');
  const command =
    'find' in spec
      ? { find: spec.find, filter, ...(spec.sort ? { sort: spec.sort } : {}), ...(spec.limit ? { limit: spec.limit } : {}) }
      : { aggregate: spec.count, pipeline: [{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }], cursor: {} };
  try {
    const out = (await db.command({ explain: command, verbosity: 'queryPlanner' })) as Record<string, unknown>;
    return { filter: filterText, plan: planOf(out) };
  } catch (err) {
    return { filter: filterText, plan: `explain failed: ${(err as Error).message.slice(0, 60)}` };
  }
}

/**
 * One line from an explain: FerretDB's pushdown flags and its backend's plan (SQLite:
 * SCAN or SEARCH …; PostgreSQL: the plan's node types and index names); MongoDB: the
 * winning plan's stages.
 */
export function planOf(out: Record<string, unknown>): string {
  const flags = ['filterPushdown', 'sortPushdown', 'limitPushdown'].filter((f) => f in out);
  const pushed = flags.length ? `pushdown ${flags.map((f) => `${f.replace('Pushdown', '')}${out[f] ? '✓' : '✗'}`).join(' ')}` : '';
  const planner = (out.queryPlanner ?? (out.stages as Array<Record<string, Record<string, unknown>>> | undefined)?.[0]?.$cursor?.queryPlanner ?? {}) as Record<string, unknown>;
  const plan = planner.Plan;
  let how = '';
  if (Array.isArray(plan)) {
    // SQLite: "id=2 parent=0 notused=0 detail=SCAN table" / "SEARCH table USING INDEX …"
    how = plan.map((line) => String(line).replace(/^.*detail=/, '').replace(/ \S+_[0-9a-f]{8}/, ' ')).join('; ');
  } else if (plan && typeof plan === 'object') {
    const nodes: string[] = [];
    const walk = (n: Record<string, unknown>) => {
      const type = String(n['Node Type']);
      if (/Scan/.test(type)) nodes.push(n['Index Name'] ? `${type} (${String(n['Index Name']).replace(/^.*?_(?=[^_]+_[0-9a-f]{8}_)/, '')})` : type);
      for (const child of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(plan as Record<string, unknown>);
    how = nodes.join(' + ');
  } else if (planner.winningPlan) {
    const stages: string[] = [];
    for (let s = planner.winningPlan as Record<string, unknown> | undefined; s; s = s.inputStage as Record<string, unknown> | undefined) {
      stages.push(s.indexName ? `${String(s.stage)} (${String(s.indexName)})` : String(s.stage));
    }
    how = stages.join(' ← ');
  }
  return [pushed, how].filter(Boolean).join('; ') || 'no plan';
}

async function timeIt(run: () => Promise<unknown>): Promise<{ ms: number; runs: number }> {
  const once = async () => {
    const t0 = performance.now();
    const out = await run();
    // An operation that times itself (ten voids at once: the slowest of them) hands back its own figure.
    const own = (out as { selfTimedMs?: unknown } | null)?.selfTimedMs;
    return typeof own === 'number' ? own : performance.now() - t0;
  };
  const first = await once(); // warms caches and connections; kept when it alone takes long
  // A scan of a large collection is measured once or three times, not five: it is slow either way.
  const n = first > 10_000 ? 0 : first > 2_000 ? 2 : RUNS;
  const times = first > 2_000 ? [first] : [];
  for (let i = 0; i < n; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, runs: times.length };
}

async function survey(backend: Backend): Promise<{ floorMs: number; rows: Measured[] }> {
  const large = await openLargeDatabase(backend, { labels: LABELS, scans: SCANS, log });
  try {
    // Slow queries are what this measures: wait for them (the service gives up after 5 s).
    await connectDatabase(large.uri, { socketTimeoutMS: 600_000 });
    await syncIndexes();
    // The project's FerretDB adds the indexes its own queries can use (scripts/ferretdb/companion.go):
    // within seconds, minutes the first time on a database this large. Wait for them.
    const indexedAt = Date.now();
    await large.ensureIndexes();
    log(`${backend}: companion indexes in place after ${((Date.now() - indexedAt) / 1000).toFixed(0)} s`);
    // As the service does at start: data stored by an older version gets its lookups (once).
    const upgradedAt = Date.now();
    const ran = await runUpgrades((m) => log(`${backend}: ${m}`));
    if (ran.length) log(`${backend}: start-up upgrades ${ran.join(', ')} took ${((Date.now() - upgradedAt) / 1000).toFixed(0)} s`);
    const s = large.manifest.sample;
    const config = loadConfig({ NODE_ENV: 'test', SIGNING_KEY_JWK: JSON.stringify(large.manifest.signingJwk), DATA_DIR: largeDir() });
    const keyring = Keyring.open(config);
    const kid = (await SigningKeyModel.findOne().lean())!._id;
    const floorQuery = () => SigningKeyModel.findById(kid).lean();
    const floor = await timeIt(floorQuery);
    log(`${backend}: floor (_id findOne, one-document collection) ${floor.ms.toFixed(1)} ms`);
    const rows: Measured[] = [];
    for (const q of queries(s, keyring)) {
      if (ONLY && !q.name.includes(ONLY) && !q.path.includes(ONLY)) continue;
      const { filter, plan } = await explainSummary(q.explain);
      let timed: { ms: number; runs: number };
      try {
        timed = await timeIt(q.run);
      } catch (err) {
        log(`  ${q.name}: failed: ${(err as Error).message}`);
        timed = { ms: Number.NaN, runs: 0 };
      }
      rows.push({ path: q.path, name: q.name, filter, mongo: mongoIndexFor(q.explain), plan, ...timed });
      log(`  ${timed.ms.toFixed(1).padStart(9)} ms  ${q.name} — ${plan}`);
    }
    const floorAfter = await timeIt(floorQuery);
    const floorMs = Math.min(floor.ms, floorAfter.ms);
    fs.writeFileSync(path.join(largeDir(), `survey-${backend}.json`), JSON.stringify({ at: new Date().toISOString(), counts: large.manifest.counts, floorMs, rows }, null, 2));
    return { floorMs, rows };
  } finally {
    await disconnectDatabase();
    await large.stop();
  }
}

const results = new Map<Backend, { floorMs: number; rows: Measured[] }>();
const loadBefore = os.loadavg()[0]!;
for (const backend of backends) results.set(backend, await survey(backend));

// The table: one row per query, a column pair per backend.
const first = [...results.values()][0]!;
const fmt = (ms: number) => (Number.isNaN(ms) ? 'failed' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const header = ['path', 'query', 'filter', 'MongoDB index', ...[...results.keys()].flatMap((b) => [`${b} plan`, `${b} ms`, `× floor`])];
console.log(`\nIndex survey: ${LABELS.toLocaleString('en')} labels, ${SCANS.toLocaleString('en')} scans; median of up to ${RUNS + 1} runs; load ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after (${os.cpus().length} CPUs)`);
for (const [b, r] of results) console.log(`floor ${b}: ${r.floorMs.toFixed(2)} ms (_id findOne on a one-document collection)`);
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
first.rows.forEach((row, i) => {
  const cells = [...results.values()].flatMap((r) => {
    const m = r.rows[i]!;
    return [m.plan, fmt(m.ms), Number.isNaN(m.ms) ? '' : `${(m.ms / r.floorMs).toFixed(0)}×`];
  });
  console.log(`| ${row.path} | ${row.name} | \`${row.filter.replace(/\|/g, '\\|')}\` | ${row.mongo} | ${cells.join(' | ')} |`);
});
