/**
 * Throughput of the verification page against a bare Express 5 + helmet baseline.
 *
 *   npm run bench:verify
 *
 * The parent makes a fresh database, seeds one product with LABELS labels and a
 * 7-step value-chain timeline for their batch (the page renders it), then for each
 * target starts a server pinned to core 0 (taskset -c 0): the compiled service
 * (dist/main.js, as in production, see service.ts) or the baseline, a child running
 * this file. It drives it from core 1 with CLIENTS concurrent keep-alive clients:
 * WARMUP_MS, then MEASURE_MS. Prints req/s, the ratio app/baseline (target ≥ 0.5),
 * p50/p99 latency, each server's CPU time per request answered in the measured period
 * (read from /proc) and how many scans were stored against how many requests were sent.
 * Figures only, no asserts. BENCH_LABELS, BENCH_ROUNDS, BENCH_ENCODING (br or gzip: clients
 * ask for compressed answers and both servers compress), BENCH_NODE_ARGS (extra node flags
 * for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_QUICK=1 (only the
 * warm page, no baseline: for profiling) and BENCH_PAGE_LIMIT (the page's per-address limit,
 * RATE_LIMIT_PAGE; off by default, as every client sends from one address) tune it.
 */
import { fileURLToPath } from 'node:url';
import { CLIENTS, MEASURE_MS, WARMUP_MS, drive, pinTo, row, startServer, seedLabels, serveBaseline, type Result } from './page-driver.js';
const LABELS = Number(process.env.BENCH_LABELS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const QUICK = process.env.BENCH_QUICK === '1';
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--baseline') {
  await serveBaseline();
} else {
  await runBenchmark();
}

/* ---------- child: the baseline server on core 0 ---------- */

/* ---------- parent: seed, drive, report (core 1) ---------- */

async function runBenchmark(): Promise<void> {
  const { createTestDatabase } = await import('../../test/support/database.js');
  const { connectDatabase, disconnectDatabase, syncIndexes } = await import('../../src/db.js');
  const { ScanModel } = await import('../../src/verify/scans/scan.model.js');
  const { generateSigningJwk } = await import('../../src/labels/signing/key-crypto.js');

  const db = await createTestDatabase('ocop_bench');
  // Pinned after FerretDB started: the database (a child of this process) keeps both cores.
  pinTo('1', process.pid);
  try {
    await connectDatabase(db.uri);
    await syncIndexes();
    const signingJwk = generateSigningJwk();
    const paths = await seedLabels(signingJwk, LABELS);
    console.log(`seeded ${paths.length} labels of one product; ${CLIENTS} clients, ${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured per target\n`);

    // Every client drives from 127.0.0.1: the page's per-address limit is off unless BENCH_PAGE_LIMIT sets one.
    const appEnv = { SIGNING_KEY_JWK: JSON.stringify(signingJwk), RATE_LIMIT_PAGE: process.env.BENCH_PAGE_LIMIT ?? '0' };
    const randomLabel = () => paths[Math.floor(Math.random() * paths.length)]!;
    if (QUICK) {
      console.log(row('page, labels seen once', await measure('app', db.uri, randomLabel, appEnv, paths)));
      return;
    }
    // Cold: every label's first scan reads it (and its scan history) from the database.
    const cold = await measure('app', db.uri, randomLabel, appEnv);
    console.log(row('page, cold cache', cold));
    // The app's own middleware stack (helmet, request log, parsers) without the page.
    console.log(row('app /healthz (no page)', await measure('app', db.uri, () => '/healthz', appEnv)));
    // Baseline and warm page alternate, ROUNDS times: on a shared machine the best round
    // of each is the one least disturbed by other work.
    const baselines: Result[] = [];
    const warms: Result[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      baselines.push(await measure('baseline', db.uri, () => '/', {}));
      console.log(row(`baseline (express+helmet) #${round}`, baselines.at(-1)!));
      // Each label scanned once before the clock starts, as in a server that has run a while.
      warms.push(await measure('app', db.uri, randomLabel, appEnv, paths));
      console.log(row(`page, labels seen once #${round}`, warms.at(-1)!));
    }
    const best = (rs: Result[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const baseline = best(baselines);
    const warm = best(warms);
    const stored = await ScanModel.countDocuments();
    const sent = cold.sent + warms.reduce((n, r) => n + r.sent, 0);
    console.log(`\nbest of ${ROUNDS}: baseline ${baseline.rps.toFixed(0)} req/s, page ${warm.rps.toFixed(0)} req/s`);
    console.log(`ratio page/baseline ${(warm.rps / baseline.rps).toFixed(2)} warm, ${(cold.rps / baseline.rps).toFixed(2)} cold (target ≥ 0.5)`);
    const leastCpu = (rs: Result[]) => Math.min(...rs.map((r) => r.cpuPerRequestUs));
    console.log(`CPU per request: baseline ${leastCpu(baselines)} µs, page ${leastCpu(warms)} µs → ratio ${(leastCpu(baselines) / leastCpu(warms)).toFixed(2)} (less sensitive to a busy machine)`);
    console.log(`scans stored ${stored} of ${sent} page requests sent`);
  } finally {
    await disconnectDatabase();
    await db.drop();
  }
}


async function measure(target: 'baseline' | 'app', uri: string, nextPath: () => string, env: Record<string, string>, prime: string[] = []): Promise<Result> {
  const server = await startServer(target, { uri, env, script: self, nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ') ?? [] });
  try {
    return await drive(server, nextPath, prime);
  } finally {
    await server.stop();
  }
}
