/**
 * Throughput of the verification page against a bare Express 5 + helmet baseline.
 *
 *   npm run bench:verify
 *
 * The parent makes a fresh database, seeds one product with LABELS labels and a
 * 7-step value-chain timeline for their batch (the page renders it), then for each
 * target starts a server pinned to core 0 (taskset -c 0): the compiled service
 * (dist/main.js, as in production, see service.ts) or the baseline, a child running
 * this file. It drives it from core 1 with CLIENTS concurrent keep-alive connections:
 * WARMUP_MS, then MEASURE_MS. The load is made by wrk (Debian's package `wrk`, a generator
 * in C) when it is installed: the Node generator costs about as much CPU per request as a
 * fast server, so it, not the server, set the pace (a profile showed the page server idle
 * a quarter of the time). BENCH_LOAD=node forces the Node generator. Both targets of a run
 * are driven by the same generator. Prints req/s, the ratio app/baseline (target ≥ 0.55),
 * p50/p99 latency, each server's CPU time per request answered in the measured period
 * (read from /proc), the database's (FerretDB's; the scans the page stores cost it work
 * on either core), the generator's own CPU per request (never counted in the server's)
 * and how many scans were stored against how many requests were sent.
 * Figures only, no asserts. BENCH_LABELS, BENCH_ROUNDS, BENCH_ENCODING (br or gzip: clients
 * ask for compressed answers and both servers compress), BENCH_NODE_ARGS (extra node flags
 * for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_QUICK=1 (only the
 * warm page, no baseline: for profiling) and BENCH_PAGE_LIMIT (the page's per-address limit,
 * RATE_LIMIT_PAGE; off by default, as every client sends from one address) tune it.
 */
import { fileURLToPath } from 'node:url';
import { CLIENTS, MEASURE_MS, WARMUP_MS, drive, driveWithWrk, haveWrk, pinTo, row, startServer, seedLabels, serveBaseline, type Result } from './page-driver.js';
const LABELS = Number(process.env.BENCH_LABELS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const QUICK = process.env.BENCH_QUICK === '1';
const WRK = process.env.BENCH_LOAD !== 'node' && haveWrk();
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
    // wrk is waited for synchronously (page-driver.ts): this process does nothing for a whole
    // drive, so a reply the driver was awaiting then must not time out under the default 5 s.
    await connectDatabase(db.uri, { socketTimeoutMS: 120_000 });
    await syncIndexes();
    const signingJwk = generateSigningJwk();
    const paths = await seedLabels(signingJwk, LABELS);
    console.log(`seeded ${paths.length} labels of one product; ${CLIENTS} clients, ${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured per target`);
    console.log(
      WRK
        ? `load: wrk (2 threads, ${CLIENTS} connections) on core 1; its CPU (read from /proc) is shown per request and never counted in the server's\n`
        : `load: this Node process on core 1 (BENCH_LOAD=node, or wrk not installed); its CPU over the whole drive, priming included, is shown per request sent and never counted in the server's\n`,
    );

    // Every client drives from 127.0.0.1: the page's per-address limit is off unless BENCH_PAGE_LIMIT sets one.
    const appEnv = { SIGNING_KEY_JWK: JSON.stringify(signingJwk), RATE_LIMIT_PAGE: process.env.BENCH_PAGE_LIMIT ?? '0' };
    if (QUICK) {
      console.log(line('page, labels seen once', await measure('app', db, paths, appEnv, paths)));
      return;
    }
    // Cold: every label's first scan reads it (and its scan history) from the database.
    const cold = await measure('app', db, paths, appEnv);
    console.log(line('page, cold cache', cold));
    // The app's own middleware stack (helmet, request log, parsers) without the page.
    console.log(line('app /healthz (no page)', await measure('app', db, ['/healthz'], appEnv)));
    // Baseline and warm page alternate, ROUNDS times: on a shared machine the best round
    // of each is the one least disturbed by other work.
    const baselines: Measured[] = [];
    const warms: Measured[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      baselines.push(await measure('baseline', db, ['/'], {}));
      console.log(line(`baseline (express+helmet) #${round}`, baselines.at(-1)!));
      // Each label scanned once before the clock starts, as in a server that has run a while.
      warms.push(await measure('app', db, paths, appEnv, paths));
      console.log(line(`page, labels seen once #${round}`, warms.at(-1)!));
    }
    const best = (rs: Measured[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const baseline = best(baselines);
    const warm = best(warms);
    const stored = await ScanModel.countDocuments();
    const sent = cold.sent + warms.reduce((n, r) => n + r.sent, 0);
    console.log(`\nbest of ${ROUNDS}: baseline ${baseline.rps.toFixed(0)} req/s, page ${warm.rps.toFixed(0)} req/s`);
    console.log(`ratio page/baseline ${(warm.rps / baseline.rps).toFixed(2)} warm, ${(cold.rps / baseline.rps).toFixed(2)} cold (target ≥ 0.55)`);
    const leastCpu = (rs: Measured[]) => Math.min(...rs.map((r) => r.cpuPerRequestUs));
    console.log(`CPU per request: baseline ${leastCpu(baselines)} µs, page ${leastCpu(warms)} µs → ratio ${(leastCpu(baselines) / leastCpu(warms)).toFixed(2)} (less sensitive to a busy machine)`);
    console.log(`load generator CPU per request: baseline ${baseline.loadCpuUs} µs, page ${warm.loadCpuUs} µs (${WRK ? 'wrk' : 'this Node process'}, on core 1, not in the figures above)`);
    // wrk reports only the requests of its measured period: priming and warm-ups are not in `sent` then,
    // so every scan kept would store more than `sent`; fewer means the recorder dropped some (its buffer bound).
    console.log(`scans stored ${stored} of ${sent} page requests sent${WRK ? ' in the measured periods (priming and warm-ups not counted: fewer stored means scans were dropped)' : ''}`);
  } finally {
    await disconnectDatabase();
    await db.drop();
  }
}


/** A result and what its load generator spent per request. */
type Measured = Result & { loadCpuUs: number };

function line(name: string, r: Measured): string {
  return `${row(name, r)}   load CPU ${r.loadCpuUs} µs/req`;
}

/**
 * Starts the target, drives it with a random one of `paths` per request (`prime` each once
 * first, unmeasured) from wrk when it is installed, else from this process, and stops it.
 */
async function measure(target: 'baseline' | 'app', db: { uri: string; ferretPid: number }, paths: string[], env: Record<string, string>, prime: string[] = []): Promise<Measured> {
  const server = await startServer(target, { uri: db.uri, env, script: self, nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ') ?? [] });
  try {
    if (WRK) return await driveWithWrk(server, paths, prime, db.ferretPid);
    // The Node generator's CPU over the whole drive (priming and warm-up included), per request it sent.
    const load = process.cpuUsage();
    const r = await drive(server, () => paths[Math.floor(Math.random() * paths.length)]!, prime, db.ferretPid);
    const used = process.cpuUsage(load);
    return { ...r, loadCpuUs: Math.round((used.user + used.system) / Math.max(1, r.sent)) };
  } finally {
    await server.stop();
  }
}
