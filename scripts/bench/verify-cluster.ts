/**
 * Does the verification page's throughput grow with processes? One worker against two,
 * in the same run, on the same database and labels.
 *
 *   npm run bench:verify-cluster            (BENCH_SHORT=0 for the long mode)
 *
 * The parent makes a fresh database and seeds LABELS labels (page-driver.ts), then for
 * each round starts the compiled cluster (dist/cluster.js, as npm run start:cluster)
 * with WORKERS=1 and then WORKERS=2, unpinned, and drives it from this process with
 * CLIENTS keep-alive clients, every label scanned once first, as verify-page.ts does.
 *
 * The load generator shares the machine (2 cores here): it takes CPU the workers would
 * otherwise get, so two workers cannot reach twice one. The load is therefore made by
 * wrk (Debian's package `wrk`, a generator in C) when it is installed, which costs a
 * fraction of what this Node process would (BENCH_LOAD=node forces the Node generator).
 * Each row reports the service's CPU per request (primary + workers, from /proc), the
 * generator's own CPU per request and the database's; the figures to compare are req/s
 * and the CPU the service was left with. Figures only, no asserts.
 * BENCH_LABELS, BENCH_ROUNDS tune it.
 */
import fs from 'node:fs';
import { freePort, processCpuSeconds, startService, type Service } from '../../test/support/service.js';
import { CLIENTS, drive, driveWithWrk, haveWrk, postgresCpuSeconds, row, seedLabels, type Result } from './page-driver.js';

const LABELS = Number(process.env.BENCH_LABELS ?? 1_000);
const SHORT = process.env.BENCH_SHORT !== '0';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SHORT ? 1 : 2));
const WRK = process.env.BENCH_LOAD !== 'node' && haveWrk();
const TIMING = SHORT ? { warmupMs: 1_000, measureMs: 4_000, settleMs: 1_500 } : { warmupMs: 2_000, measureMs: 10_000, settleMs: 1_500 };

const { createTestDatabase } = await import('../../test/support/database.js');
const { connectDatabase, disconnectDatabase, syncIndexes } = await import('../../src/db.js');
const { generateSigningJwk } = await import('../../src/labels/signing/key-crypto.js');

const db = await createTestDatabase('ocop_bench');
try {
  await connectDatabase(db.uri);
  await syncIndexes();
  const signingJwk = generateSigningJwk();
  const paths = await seedLabels(signingJwk, LABELS);
  console.log(
    `seeded ${paths.length} labels; ${CLIENTS} clients, ${TIMING.warmupMs / 1000} s warm-up, ${TIMING.measureMs / 1000} s measured per target; ` +
      `the load generator (${WRK ? 'wrk' : 'this Node process'}) runs on the same ${(await import('node:os')).availableParallelism()} cores\n`,
  );
  const env = { MONGODB_URI: db.uri, PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench', SIGNING_KEY_JWK: JSON.stringify(signingJwk), RATE_LIMIT_PAGE: '0' };
  // FerretDB's PostgreSQL database, from its command line: its backends' CPU is the database's too.
  const pgName = /postgresql-url\0[^\0]*\/([^/\0]+)/.exec(fs.readFileSync(`/proc/${db.ferretPid}/cmdline`, 'utf8'))?.[1];
  const pgCpuSeconds = pgName ? () => postgresCpuSeconds(pgName) : undefined;
  if (pgName && process.env.BENCH_CUSTOM_PLANS === '1') {
    const { execFileSync } = await import('node:child_process');
    const sql = (q: string) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-At', '-c', q, 'postgres'], { encoding: 'utf8' });
    sql(`ALTER DATABASE "${pgName}" SET plan_cache_mode = force_custom_plan`);
    sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${pgName}'`);
  }
  const randomLabel = () => paths[Math.floor(Math.random() * paths.length)]!;
  /** The Node generator: its CPU over the whole drive (priming included) per request it sent. */
  const driveFromHere = async (server: { port: number; cpuSeconds(): number }): Promise<Result & { loadCpuUs: number }> => {
    const load = process.cpuUsage();
    const r = await drive(server, randomLabel, paths, db.ferretPid, TIMING);
    const used = process.cpuUsage(load);
    return { ...r, loadCpuUs: Math.round((used.user + used.system) / Math.max(1, r.sent)) };
  };
  const results: Record<'1' | '2', Array<Result & { loadCpuUs: number }>> = { '1': [], '2': [] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const workers of (process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : ['1', '2']) as Array<'1' | '2'>) {
      const metricsPort = await freePort();
      const service = await startService({ ...env, WORKERS: workers, METRICS_PORT: String(metricsPort) }, { entry: 'cluster', nodeArgs: process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [] });
      try {
        await everyWorkerUp(metricsPort, Number(workers));
        const r = WRK ? await driveWithWrk(withWorkers(service), paths, paths, db.ferretPid, { ...TIMING, pgCpuSeconds }) : await driveFromHere(withWorkers(service));
        results[workers].push(r);
        const { loadCpuUs } = r;
        console.log(`${row(`${workers} worker${workers === '1' ? ' ' : 's'} #${round}`, r)}   load generator CPU ${loadCpuUs} µs/req`);
        console.log(`${''.padEnd(30)} verdicts per worker over the whole drive: ${(await verdictsPerWorker(metricsPort)).join(' / ')}`);
      } finally {
        await service.stop();
      }
    }
  }
  const best = (rs: Result[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a), rs[0] ?? ({ rps: NaN } as Result));
  const one = best(results['1']);
  const two = best(results['2']);
  console.log(`\nbest of ${ROUNDS}: 1 worker ${one.rps.toFixed(0)} req/s, 2 workers ${two.rps.toFixed(0)} req/s → ×${(two.rps / one.rps).toFixed(2)}`);
  console.log(`service CPU per request: 1 worker ${one.cpuPerRequestUs} µs, 2 workers ${two.cpuPerRequestUs} µs (equal means the second process costs nothing extra per request)`);
} finally {
  await disconnectDatabase();
  await db.drop();
}

/**
 * The cluster answers /healthz as soon as its first worker listens; the others start
 * after it (cluster.ts). Connections made before a worker listens all go to the ones that
 * do, for the whole run: wait until every worker reports its metrics (done just before it
 * listens), then a little more.
 */
async function everyWorkerUp(port: number, workers: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (new Set([...text.matchAll(/worker="(\d+)"/g)].map((m) => m[1])).size >= workers) break;
    if (Date.now() > deadline) throw new Error(`not every one of ${workers} workers reported within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

/** Verdicts each worker gave so far (its `worker` label on the primary's metrics): how evenly node:cluster shared the connections out. */
async function verdictsPerWorker(port: number): Promise<number[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const byWorker = new Map<string, number>();
  for (const m of text.matchAll(/^ocop_verdicts_total\{[^}]*worker="(\d+)"[^}]*\} (\d+)/gm)) byWorker.set(m[1]!, (byWorker.get(m[1]!) ?? 0) + Number(m[2]));
  return [...byWorker.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, n]) => n);
}

/** The cluster's CPU is its primary's plus every worker's: the primary's children, read from /proc. */
function withWorkers(service: Service): { port: number; cpuSeconds(): number } {
  const children = () => {
    try {
      return fs.readFileSync(`/proc/${service.pid}/task/${service.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  return {
    port: service.port,
    cpuSeconds: () => service.cpuSeconds() + children().reduce((sum, pid) => sum + safeCpu(pid), 0),
  };
}

function safeCpu(pid: number): number {
  try {
    return processCpuSeconds(pid);
  } catch {
    return 0; // a worker that just exited
  }
}
