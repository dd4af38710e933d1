/**
 * What a shared rate-limit count does on FerretDB, which has no atomic read-modify-write.
 *
 *   npm run bench:limits
 *
 * On a fresh FerretDB with each backend (PostgreSQL, as the tests use; SQLite, as `npm start`
 * does), for a limit of LIMIT requests a minute on one key:
 *
 * 1. rate-limiter-flexible's RateLimiterMongo alone: BURST concurrent requests, then
 *    SEQUENTIAL one after another — how many it lets through, and the count it stored;
 * 2. as the service counts (src/limits/limiter.ts: this instance's count in memory, then the
 *    shared count with one increment per key in flight), two instances side by side: the
 *    same burst split between them, then sequential requests alternating between them.
 *
 * Figures only, no asserts. The driver's pool is kept at 20 connections so the burst does not
 * take every connection of a PostgreSQL other runs share.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { DATABASE_TIMEOUTS, syncIndexes } from '../../src/db.js';
import { startFerretDB, withDatabase } from '../../src/ferretdb.js';
import { Limiter } from '../../src/limits/limiter.js';
import { RATE_LIMIT_COLLECTION, RateLimitCountModel } from '../../src/limits/rate-limit-count.model.js';
import { createTestDatabase } from '../../test/support/database.js';

const LIMIT = 100;
const BURST = 500;
const SEQUENTIAL = 150;

type Tally = { allowed: number; refused: number; failed: number };

async function tally(requests: (() => Promise<boolean>)[], concurrent: boolean): Promise<Tally & { ms: number }> {
  const t: Tally = { allowed: 0, refused: 0, failed: 0 };
  const count = (p: Promise<boolean>) => p.then((ok) => (ok ? t.allowed++ : t.refused++), () => t.failed++);
  const start = performance.now();
  if (concurrent) await Promise.all(requests.map((r) => count(r())));
  else for (const r of requests) await count(r());
  return { ...t, ms: Math.round(performance.now() - start) };
}

async function storedPoints(key: string): Promise<number | null> {
  const doc = await RateLimitCountModel.findOne({ key }).lean();
  return doc?.points ?? null;
}

async function measure(backend: string, uri: string): Promise<void> {
  await mongoose.connect(uri, { ...DATABASE_TIMEOUTS, retryWrites: false, maxPoolSize: 20 });
  await syncIndexes();
  try {
    const library = new RateLimiterMongo({
      storeClient: mongoose.connection,
      tableName: RATE_LIMIT_COLLECTION,
      keyPrefix: 'bench',
      points: LIMIT,
      duration: 60,
      disableIndexesCreation: true,
    });
    const consume = (key: string) => () =>
      library.consume(key).then(
        () => true,
        (e: unknown) => {
          if (e instanceof RateLimiterRes) return false;
          throw e;
        },
      );
    const burst = await tally(Array.from({ length: BURST }, () => consume('burst')), true);
    console.log(`${backend}: RateLimiterMongo alone, ${BURST} concurrent, limit ${LIMIT}: ${fmt(burst)}; stored count ${await storedPoints('bench:burst')}`);
    const sequential = await tally(Array.from({ length: SEQUENTIAL }, () => consume('sequential')), false);
    console.log(`${backend}: RateLimiterMongo alone, ${SEQUENTIAL} one after another: ${fmt(sequential)} (${(sequential.ms / SEQUENTIAL).toFixed(1)} ms each)`);

    const store = { timeoutMs: 5_000 };
    const instances = [new Limiter({ name: 'bench_two', points: LIMIT, windowSec: 60 }, store), new Limiter({ name: 'bench_two', points: LIMIT, windowSec: 60 }, store)];
    const via = (i: number, key: string) => () => instances[i % 2]!.consume(key).then((refusal) => refusal === null);
    const split = await tally(Array.from({ length: BURST }, (_, i) => via(i, 'burst')), true);
    console.log(`${backend}: as the service counts, two instances, ${BURST} concurrent split between them: ${fmt(split)}`);
    const alternating = await tally(Array.from({ length: SEQUENTIAL }, (_, i) => via(i, 'alternating')), false);
    console.log(`${backend}: as the service counts, two instances, ${SEQUENTIAL} alternating one after another: ${fmt(alternating)} (${(alternating.ms / SEQUENTIAL).toFixed(1)} ms each)`);
  } finally {
    await mongoose.disconnect();
  }
}

const fmt = (t: Tally & { ms: number }) => `${t.allowed} allowed, ${t.refused} refused, ${t.failed} failed in ${t.ms} ms`;

const pg = await createTestDatabase('ocop_bench');
try {
  await measure('PostgreSQL', pg.uri);
} finally {
  await pg.drop();
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-bench-limits-'));
const sqlite = await startFerretDB({ backend: { kind: 'sqlite', dir }, log: () => {} });
try {
  await measure('SQLite', withDatabase(sqlite.uri, 'bench'));
} finally {
  await sqlite.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
