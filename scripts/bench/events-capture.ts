/**
 * Capture and read throughput of value-chain events, over HTTP against a fresh
 * PostgreSQL-backed FerretDB (as the tests use). Prints figures only.
 *   npm run bench:events
 * Targets: capture ≥ 1,000 events/s; a 1,000-event batch's timeline and a query page < 100 ms.
 * The timeline is timed warm (its batch's last full check still young) and on a first read.
 */
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../../src/db.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { BatchModel } from '../../src/batches/batch.model.js';
import { backfillBatchLots } from '../../src/batches/batch.service.js';
import { ProducerModel } from '../../src/registry/producers/producer.model.js';
import { ProductModel } from '../../src/registry/products/product.model.js';
import { batchTimeline } from '../../src/events/timeline/timeline.js';
import { forgetCheck } from '../../src/events/timeline/timeline-check.js';
import { EventModel } from '../../src/events/chain/event.model.js';
import { createTestDatabase } from '../../test/support/database.js';

const DOCS = 100;
const EVENTS_PER_DOC = 100;
const BATCHES = 10; // 10 docs per batch: each batch ends with 1,000 events
const CLIENTS = 4;
const STEPS = ['commissioning', 'inspecting', 'storing', 'shipping', 'receiving', 'retail_selling'];

const db = await createTestDatabase('ocop_bench');
const server = http.createServer();
try {
  await connectDatabase(db.uri);
  await syncIndexes();
  // The API's rate limits off: one key sends everything here, and the figures are the capture's.
  const noLimits = { RATE_LIMIT_KEY_READS: '0', RATE_LIMIT_KEY_WRITES: '0', RATE_LIMIT_IP_READS: '0', RATE_LIMIT_IP_WRITES: '0' };
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: '.data/bench', PUBLIC_BASE_URL: 'https://trace.example.vn', ...noLimits });
  server.on('request', createApp({ config, logger: createLogger('silent') }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { key } = await createApiKey({ role: 'admin', label: 'bench' });

  const producer = await ProducerModel.create({ name: 'HTX Bench', kind: 'cooperative', registrationNumber: `B${Date.now()}`, address: { provinceCode: '01', communeCode: '00577' } });
  const product = await ProductModel.create({ producerId: producer._id, name: { vi: 'Chè bench' }, group: 'food', groupListVersion: '2023' });
  const makeBatches = async (tag: string) => {
    const made = await Promise.all(
      Array.from({ length: BATCHES }, (_, i) =>
        BatchModel.create({ productId: product._id, producerId: producer._id, lotCode: `${tag}${i}`, productionDate: new Date('2025-01-01'), quantity: 1000, unit: 'kg', origin: { provinceCode: '01', communeCode: '00577' } }),
      ),
    );
    // Written past the batch service: their lot codes are claimed as the service would (capture finds batches by lot through the claims).
    await backfillBatchLots();
    return made;
  };

  const documentFor = (lot: string, docNo: number) => ({
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      eventList: Array.from({ length: EVENTS_PER_DOC }, (_, i) => ({
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: new Date(Date.UTC(2025, 0, 2) + (docNo * EVENTS_PER_DOC + i) * 60_000).toISOString().replace('Z', '+00:00'),
        eventTimeZoneOffset: '+07:00',
        bizStep: STEPS[i % STEPS.length],
        bizLocation: { id: i % 2 ? 'urn:ocop:commune:00577' : 'urn:ocop:commune:00070:kho-1' },
        quantityList: [{ epcClass: `https://trace.example.vn/p/${product._id}/10/${lot}`, quantity: 10, uom: 'KGM' }],
      })),
    },
  });

  const post = async (doc: unknown) => {
    const res = await fetch(`${base}/api/v1/epcis/capture`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(doc) });
    if (res.status !== 201) throw new Error(`capture answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };

  const run = async (label: string, clients: number) => {
    const batches = await makeBatches(`${label.slice(0, 3).toUpperCase()}-`);
    const docs = Array.from({ length: DOCS }, (_, d) => documentFor(batches[d % BATCHES]!.lotCode, Math.floor(d / BATCHES)));
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < docs.length) await post(docs[next++]);
      }),
    );
    const s = (performance.now() - t0) / 1000;
    console.log(`capture ${label.padEnd(22)} ${DOCS} docs × ${EVENTS_PER_DOC} events: ${s.toFixed(2)} s → ${Math.round((DOCS * EVENTS_PER_DOC) / s)} events/s`);
    return batches;
  };

  const seqBatches = await run('sequential, 1 client', 1);
  await run(`concurrent, ${CLIENTS} clients`, CLIENTS);

  const batchId = seqBatches[0]!._id;
  const time = async (label: string, f: () => Promise<unknown>, n = 10) => {
    await f(); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await f();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    console.log(`${label.padEnd(52)} median ${ms[Math.floor(n / 2)]!.toFixed(1)} ms, max ${ms[n - 1]!.toFixed(1)} ms`);
  };
  const timeline = await batchTimeline(batchId);
  console.log(`timeline of batch ${batchId}: ${timeline.steps.length} steps, chain ok=${timeline.chain.ok}`);
  const get = (path: string, headers: Record<string, string> = {}) => async () => {
    const res = await fetch(`${base}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    await res.arrayBuffer();
  };
  // The floor under every read of a whole batch: FerretDB returns each of its documents.
  await time('floor: raw find of the batch\'s 1,000 event documents', () => EventModel.collection.find({ batchId }).toArray());
  await time('batchTimeline (1,000 events: 10 sealed pages + open page)', () => batchTimeline(batchId));
  await time('batchTimeline, first read (full check of 1,000 events)', () => {
    forgetCheck(batchId);
    return batchTimeline(batchId);
  });
  // A batch whose newest 50 links are on the open page, recomputed on every read.
  const openBatch = seqBatches[1]!;
  const half = documentFor(openBatch.lotCode, 10);
  half.epcisBody.eventList = half.epcisBody.eventList.slice(0, EVENTS_PER_DOC / 2);
  await post(half);
  await time('batchTimeline (1,050 events: 10 sealed pages + 50 open)', () => batchTimeline(openBatch._id));
  await time('GET /api/v1/events?batch=…&perPage=100', get(`/api/v1/events?batch=${batchId}&perPage=100`));
  await time('GET /api/v1/events?batch=…&bizStep=shipping&perPage=50', get(`/api/v1/events?batch=${batchId}&bizStep=shipping&perPage=50`));
  await time('GET /api/v1/epcis/events?batch=…&perPage=100', get(`/api/v1/epcis/events?batch=${batchId}&perPage=100`));
  // With a key that answers for the batch the check is recomputed; without one it is the last check.
  await time('GET /api/v1/batches/…/events/verify (1,000 events, key)', get(`/api/v1/batches/${batchId}/events/verify`, { authorization: `Bearer ${key}` }));
  await time('GET /api/v1/batches/…/events/verify (no key, last check)', get(`/api/v1/batches/${batchId}/events/verify`));
} finally {
  server.close();
  await disconnectDatabase();
  await db.drop();
}
