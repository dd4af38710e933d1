/**
 * Does the verification page's throughput grow with processes? One worker against two,
 * in the same run, on alike databases and labels.
 *
 *   npm run bench:verify-cluster            (BENCH_SHORT=1 for a quick look)
 *
 * For each round and each of WORKERS=1 and WORKERS=2 the parent makes a fresh database,
 * seeds LABELS labels (page-driver.ts), starts the compiled cluster (dist/cluster.js, as
 * npm run start:cluster), unpinned, and drives it from this process with CLIENTS
 * keep-alive clients, every label scanned once first, as verify-page.ts does. (On one
 * database shared by the rounds, the second target measured also paid for the first's
 * history: tally versions to probe on its cold start, PostgreSQL's cached plans.)
 *
 * The load generator shares the machine (2 cores here): it takes CPU the workers would
 * otherwise get, so two workers cannot reach twice one. The load is therefore made by
 * wrk (Debian's package `wrk`, a generator in C) when it is installed, which costs a
 * fraction of what this Node process would (BENCH_LOAD=node forces the Node generator).
 * Each row reports the service's CPU per request (primary + workers, from /proc), the
 * generator's own CPU per request and the database's; the figures to compare are req/s
 * and the CPU the service was left with. Figures only, no asserts. Database CPU is
 * FerretDB's, and PostgreSQL's backends serving it in brackets.
 *
 * Before wrk connects, every worker is up and the warm-up's flushes are over: node:cluster
 * hands a new connection only to a worker that listens and is free at that moment, and
 * wrk keeps its connections, so otherwise one worker can get most of them for the run.
 *
 * FerretDB's PostgreSQL sessions plan each query afresh (src/ferretdb.ts
 * withCustomPlans): with generic plans its `_id` lookups scanned scan_tallies whole on
 * some connections and not others, which decided the figures.
 *
 * Each target also prints, summed over the workers for the whole drive, what the labels'
 * scan figures cost (ocop_scan_tallies_total: versions written, versions another worker
 * wrote first, failed flushes), the change feed's events and the verifier's cache misses:
 * what a second worker adds besides answering. BENCH_LOG=1 prints the service's first warnings.
 *
 * BENCH_LABELS, BENCH_ROUNDS tune it; BENCH_ONLY=1 or 2 runs one of the two;
 * BENCH_NODE_ARGS passes node flags to the cluster (its workers inherit them, e.g.
 * `--cpu-prof --cpu-prof-dir=DIR`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { freePort, processCpuSeconds, startService, type Service } from '../../test/support/service.js';
import { CLIENTS, drive, driveWithWrk, haveWrk, postgresCpuSeconds, row, seedLabels, type Result } from './page-driver.js';

const LABELS = Number(process.env.BENCH_LABELS ?? 1_000);
const SHORT = process.env.BENCH_SHORT === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SHORT ? 1 : 2));
const WRK = process.env.BENCH_LOAD !== 'node' && haveWrk();
const TIMING = SHORT ? { warmupMs: 1_000, measureMs: 4_000, settleMs: 1_500 } : { warmupMs: 2_000, measureMs: 10_000, settleMs: 1_500 };

const { createTestDatabase } = await import('../../test/support/database.js');
const { connectDatabase, disconnectDatabase, syncIndexes } = await import('../../src/db.js');
const { generateSigningJwk } = await import('../../src/labels/signing/key-crypto.js');

const signingJwk = generateSigningJwk();
const env = { PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench', SIGNING_KEY_JWK: JSON.stringify(signingJwk), RATE_LIMIT_PAGE: '0' };
console.log(
  `${LABELS} labels seeded in a fresh database per target; ${CLIENTS} clients, ${TIMING.warmupMs / 1000} s warm-up, ${TIMING.measureMs / 1000} s measured per target; ` +
    `the load generator (${WRK ? 'wrk' : 'this Node process'}) runs on the same ${(await import('node:os')).availableParallelism()} cores\n`,
);
const results: Record<'1' | '2', Array<Result & { loadCpuUs: number }>> = { '1': [], '2': [] };
const floors: Record<'1' | '2', number[]> = { '1': [], '2': [] };
for (let round = 1; round <= ROUNDS; round += 1) {
  if (!process.env.BENCH_ONLY && WRK) {
    for (const workers of ['1', '2'] as const) {
      const rps = await measureFloor(workers);
      floors[workers].push(rps);
      console.log(`floor ${workers} worker${workers === '1' ? ' ' : 's'} #${round}                ${rps.toFixed(0).padStart(6)} req/s   (Express + helmet, no database)`);
    }
  }
  for (const workers of (process.env.BENCH_ONLY ? [process.env.BENCH_ONLY] : ['1', '2']) as Array<'1' | '2'>) {
    const r = await measure(workers);
    results[workers].push(r);
    console.log(`${row(`${workers} worker${workers === '1' ? ' ' : 's'} #${round}`, r)}   load generator CPU ${r.loadCpuUs} µs/req`);
    console.log(`${''.padEnd(30)} verdicts per worker over the whole drive: ${r.perWorker.join(' / ')}`);
    console.log(`${''.padEnd(30)} all workers: ${r.tallies}`);
  }
}
const best = (rs: Result[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a), rs[0] ?? ({ rps: NaN } as Result));
const one = best(results['1']);
const two = best(results['2']);
console.log(`\nbest of ${ROUNDS}: 1 worker ${one.rps.toFixed(0)} req/s, 2 workers ${two.rps.toFixed(0)} req/s → ×${(two.rps / one.rps).toFixed(2)}`);
console.log(`service CPU per request: 1 worker ${one.cpuPerRequestUs} µs, 2 workers ${two.cpuPerRequestUs} µs (equal means the second process costs nothing extra per request)`);
if (floors['1'].length) {
  const floorGain = Math.max(...floors['2']) / Math.max(...floors['1']);
  console.log(
    `floor, best of ${ROUNDS}: 1 worker ${Math.max(...floors['1']).toFixed(0)} req/s, 2 workers ${Math.max(...floors['2']).toFixed(0)} req/s → ×${floorGain.toFixed(2)}; ` +
      `the page's gain is ${((two.rps / one.rps - 1) / (floorGain - 1)).toFixed(2)} of the floor's`,
  );
}

/** The floor (floor-cluster.ts) with `workers` workers, driven as the page is: req/s. */
async function measureFloor(workers: '1' | '2'): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./floor-cluster.ts', import.meta.url).pathname, workers], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /^listening (\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`floor cluster exited with ${code}`)));
    });
    return (await driveWithWrk({ port, cpuSeconds: () => 0 }, ['/'], [], undefined, TIMING)).rps;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * One target on a database of its own, seeded alike: a round's tally versions, scans and
 * PostgreSQL's cached plans never weigh on the next, whichever runs first.
 */
async function measure(workers: '1' | '2'): Promise<Result & { loadCpuUs: number; perWorker: number[]; tallies: string }> {
  const db = await createTestDatabase('ocop_bench');
  try {
    await connectDatabase(db.uri);
    await syncIndexes();
    const paths = await seedLabels(signingJwk, LABELS);
    // FerretDB's PostgreSQL database, from its command line: its backends' CPU is the database's too.
    const pgName = /postgresql-url\0[^\0]*\/([^/?\0]+)/.exec(fs.readFileSync(`/proc/${db.ferretPid}/cmdline`, 'utf8'))?.[1];
    const pgCpuSeconds = pgName ? () => postgresCpuSeconds(pgName) : undefined;
    const metricsPort = await freePort();
    const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
    const service = await startService({ ...env, MONGODB_URI: db.uri, WORKERS: workers, METRICS_PORT: String(metricsPort) }, { entry: 'cluster', nodeArgs });
    try {
      await everyWorkerUp(metricsPort, Number(workers));
      const r = WRK ? await driveWithWrk(withWorkers(service), paths, paths, db.ferretPid, { ...TIMING, pgCpuSeconds }) : await driveFromHere(withWorkers(service), paths, db.ferretPid);
      return { ...r, perWorker: await verdictsPerWorker(metricsPort), tallies: await tallyEvents(metricsPort) };
    } finally {
      await service.stop();
      if (process.env.BENCH_LOG) console.log(service.output().split('\n').filter((l) => /"level":[4-6]\d/.test(l)).slice(0, 5).join('\n'));
    }
  } finally {
    await disconnectDatabase();
    await db.drop();
  }
}

/** The Node generator: its CPU over the whole drive (priming included) per request it sent. */
async function driveFromHere(server: { port: number; cpuSeconds(): number }, paths: string[], dbPid: number): Promise<Result & { loadCpuUs: number }> {
  const load = process.cpuUsage();
  const r = await drive(server, () => paths[Math.floor(Math.random() * paths.length)]!, paths, dbPid, TIMING);
  const used = process.cpuUsage(load);
  return { ...r, loadCpuUs: Math.round((used.user + used.system) / Math.max(1, r.sent)) };
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

/** Over the drive, summed over the workers: the scan figures' events, the change feed's, and the verifier's cache misses. */
async function tallyEvents(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const byEvent = new Map<string, number>();
  for (const m of text.matchAll(/^ocop_(scan_tallies|change_feed_events)_total\{[^}]*event="([a-z_]+)"[^}]*\} (\d+)/gm)) {
    const name = `${m[1] === 'scan_tallies' ? '' : 'feed '}${m[2]!}`;
    byEvent.set(name, (byEvent.get(name) ?? 0) + Number(m[3]));
  }
  for (const m of text.matchAll(/^ocop_cache_lookups_total\{[^}]*cache="([a-z_]+)"[^}]*result="miss"[^}]*\} (\d+)/gm)) {
    const name = `${m[1]!} misses`;
    byEvent.set(name, (byEvent.get(name) ?? 0) + Number(m[2]));
  }
  return [...byEvent].filter(([, n]) => n > 0).map(([event, n]) => `${event} ${n}`).join(', ') || 'none';
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
