/**
 * What Idempotency-Keys cost, on both FerretDB backends (PostgreSQL as the tests use,
 * SQLite as `npm start` does), each on a fresh database. Prints figures only.
 *   npm run bench:idempotency
 * - creating writes over HTTP (POST /api/v1/api-keys, one client) without a key, with a
 *   new key each time, and repeats of a used key (replays), against the floor of the
 *   same run: one findById round trip;
 * - the sweep of expired keys (no TTL index on FerretDB) over BENCH_KEYS stored keys, half
 *   of them expired, and the same sweep again with nothing left to delete.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../../src/db.js';
import { startFerretDB, withDatabase } from '../../src/ferretdb.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { ApiKeyModel } from '../../src/accounts/api-key.model.js';
import { IdempotencyKeyModel, IdempotentAnswerModel } from '../../src/idempotency/idempotency.model.js';
import { IDEMPOTENCY_RETENTION_MS, sweepExpiredIdempotencyKeys } from '../../src/idempotency/idempotency.service.js';
import { createTestDatabase } from '../../test/support/database.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const KEYS = Number(process.env.BENCH_KEYS ?? 20_000);

type Backend = { name: string; uri: string; close(): Promise<void> };

async function postgres(): Promise<Backend> {
  const db = await createTestDatabase('ocop_bench_idem');
  return { name: 'PostgreSQL', uri: db.uri, close: () => db.drop() };
}

async function sqlite(): Promise<Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-idem-'));
  const ferret = await startFerretDB({ backend: { kind: 'sqlite', dir } });
  return {
    name: 'SQLite',
    uri: withDatabase(ferret.uri, 'ocop'),
    async close() {
      await ferret.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timeEach(n: number, f: (i: number) => Promise<unknown>): Promise<number> {
  await f(-1); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    ms.push(performance.now() - t);
  }
  return median(ms);
}

async function bench(backend: Backend): Promise<void> {
  await connectDatabase(backend.uri);
  await syncIndexes();
  const server = http.createServer();
  try {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: '.data/bench', PUBLIC_BASE_URL: 'https://trace.example.vn' });
    server.on('request', createApp({ config, logger: createLogger('silent') }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { key, principal } = await createApiKey({ role: 'admin', label: 'bench' });

    const create = async (idempotencyKey: string | null, label: string, expect: number) => {
      const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      const res = await fetch(`${base}/api/v1/api-keys`, { method: 'POST', headers, body: JSON.stringify({ role: 'inspector', label }) });
      if (res.status !== expect) throw new Error(`POST /api-keys answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };
    const floor = await timeEach(REQUESTS, () => ApiKeyModel.findById(principal.keyId).lean());
    const plain = await timeEach(REQUESTS, (i) => create(null, `plain ${i}`, 201));
    const keyed = await timeEach(REQUESTS, (i) => create(randomUUID(), `keyed ${i}`, 201));
    const used = randomUUID();
    await create(used, 'replayed', 201);
    const replay = await timeEach(REQUESTS, () => create(used, 'replayed', 201));
    const row = (what: string, ms: number) => console.log(`  ${what.padEnd(46)} ${ms.toFixed(1).padStart(6)} ms  (${(ms / floor).toFixed(1)} × floor)`);
    console.log(`${backend.name}: median of ${REQUESTS} sequential requests`);
    row('floor: findById of one document', floor);
    row('POST /api-keys without Idempotency-Key', plain);
    row('POST /api-keys with a new Idempotency-Key', keyed);
    row('POST /api-keys repeated (replay)', replay);
    console.log(`  a new key adds ${(keyed - plain).toFixed(1)} ms (${((keyed / plain - 1) * 100).toFixed(0)} %); a replay costs ${(replay / plain).toFixed(2)} × a plain create`);

    // KEYS stored keys, half of them past the retention, as a busy day leaves them.
    const now = Date.now();
    const keys = Array.from({ length: KEYS }, (_, i) => ({
      _id: `bench-${i}-${randomUUID()}`,
      fingerprint: 'f'.repeat(64),
      token: randomUUID(),
      leaseUntil: new Date(now),
      recordId: null,
      uncertain: false,
      createdAt: new Date(now - (i % 2 ? IDEMPOTENCY_RETENTION_MS + 60_000 + i : i)),
    }));
    const answers = keys.map((k, i) => ({
      _id: k._id,
      createdAt: k.createdAt,
      status: 201,
      location: null,
      body: JSON.stringify({ id: `k${i}`, label: 'a stored answer of typical size', role: 'inspector', createdAt: new Date(now).toISOString() }),
    }));
    for (let i = 0; i < KEYS; i += 5_000) {
      await IdempotencyKeyModel.insertMany(keys.slice(i, i + 5_000), { lean: true });
      await IdempotentAnswerModel.insertMany(answers.slice(i, i + 5_000), { lean: true });
    }
    let t = performance.now();
    const deleted = await sweepExpiredIdempotencyKeys();
    const sweepMs = performance.now() - t;
    t = performance.now();
    const none = await sweepExpiredIdempotencyKeys();
    const idleMs = performance.now() - t;
    const stored = KEYS / 2;
    // Lookups scan on FerretDB and SQLite stops at the first match: time the newest rows, as retries would find them.
    const floorMany = await timeEach(REQUESTS / 4, () => IdempotencyKeyModel.findById(keys[KEYS - 2]!._id).lean());
    const keyedMany = await timeEach(REQUESTS, (i) => create(randomUUID(), `keyed, ${stored} stored, ${i}`, 201));
    const usedLate = randomUUID();
    await create(usedLate, 'replayed late', 201);
    const replayMany = await timeEach(REQUESTS / 4, () => create(usedLate, 'replayed late', 201));
    console.log(`  sweep of ${KEYS} stored keys: ${deleted} expired deleted in ${sweepMs.toFixed(0)} ms; again with none expired: ${none} in ${idleMs.toFixed(0)} ms`);
    console.log(`  with ${stored} keys stored (a busy day):`);
    row(`findById of one of the ${stored} keys`, floorMany);
    row('POST /api-keys with a new Idempotency-Key', keyedMany);
    row('POST /api-keys repeated (replay)', replayMany);
    console.log(`  a new key: ${(keyedMany / keyed).toFixed(2)} × its cost with few stored; a replay: ${(replayMany / replay).toFixed(2)} ×`);
  } finally {
    server.close();
    await disconnectDatabase();
  }
}

for (const open of [postgres, sqlite]) {
  const backend = await open();
  try {
    await bench(backend);
  } finally {
    await backend.close();
  }
}
