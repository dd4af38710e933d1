/**
 * Throughput of the public registry's pages on a registry of national size, against a
 * bare Express 5 + helmet page with no database measured in the same run.
 *
 *   npm run bench:registry            (20,000 products, 200,000 scans)
 *   BENCH_QUICK=1 npm run bench:registry   (2,000 products, 20,000 scans, one round)
 *
 * The parent makes a fresh database and seeds it in bulk through the models: producers
 * (one per four products, every kind, spread over the provinces), products with
 * Vietnamese names, their current certifications (1–5 stars, some expired), the claims
 * and lists that lookups by _id read, and scans (for the statistics pages to come).
 * First it times the products API's service (listProducts, a regex and a `$in` query per
 * call) straight against the database: the figure that decided for the in-process index
 * (src/catalogue/catalogue-index.ts). Then for each target of TARGETS it starts the
 * compiled service pinned to core 0 (taskset -c 0), or the baseline (a child running this
 * file), and drives it from core 1 with CLIENTS keep-alive clients (page-driver.ts):
 * WARMUP_MS, then MEASURE_MS. Prints req/s, p50/p99, CPU per request and the ratio to the
 * baseline. Figures only, no asserts. BENCH_PRODUCTS, BENCH_SCANS, BENCH_ROUNDS tune it.
 *
 * The statistics page is measured too, and its snapshot's computation timed (its freshness).
 * To measure another page, add a line to TARGETS.
 */
import { fileURLToPath } from 'node:url';
import { CLIENTS, MEASURE_MS, WARMUP_MS, drive, pinTo, row, startServer, serveBaseline, type Result } from './page-driver.js';
import { seedRegistry } from './registry-seed.js';

const QUICK = process.env.BENCH_QUICK === '1';
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? (QUICK ? 2_000 : 20_000));
const SCANS = Number(process.env.BENCH_SCANS ?? (QUICK ? 20_000 : 200_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 2));
const self = fileURLToPath(import.meta.url);

/** The pages measured: a name, and the paths the clients ask for in turn. */
const TARGETS: ReadonlyArray<{ name: string; paths: string[] }> = [
  { name: 'search, name without marks', paths: ['/products?q=gom+bat+trang', '/products?q=mat+ong', '/products?q=che+thai+nguyen'] },
  { name: 'search, province filter', paths: ['/products?province=01', '/products?province=04', '/products?province=79'] },
  { name: 'search, stars filter', paths: ['/products?stars=5', '/products?stars=4&q=tra'] },
  { name: 'search, page 5', paths: ['/products?page=5', '/products?q=nuoc+mam&page=5'] },
  { name: 'search JSON (open data)', paths: ['/api/v1/registry/search?q=gom+bat+trang&limit=20'] },
  { name: 'statistics page', paths: ['/statistics', '/statistics?province=01', '/statistics?province=79'] },
];

if (process.argv[2] === '--baseline') {
  await serveBaseline();
} else {
  await runBenchmark();
}

/* ---------- parent: seed, time the service, drive, report (core 1) ---------- */

async function runBenchmark(): Promise<void> {
  const { createTestDatabase } = await import('../../test/support/database.js');
  const { connectDatabase, disconnectDatabase, syncIndexes } = await import('../../src/db.js');
  const db = await createTestDatabase('ocop_bench');
  pinTo('1', process.pid); // after FerretDB started: the database keeps both cores
  try {
    // A longer socket timeout than the service's: the products API's stars filter on 20,000 products takes seconds.
    await connectDatabase(db.uri, { socketTimeoutMS: 120_000 });
    await syncIndexes();
    const t0 = Date.now();
    await seedRegistry(PRODUCTS, SCANS);
    console.log(`seeded ${PRODUCTS} products, ${SCANS} scans in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${CLIENTS} clients, ${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured per target\n`);

    await timeServiceQueries();
    await timeStatisticsSnapshot();

    const { generateSigningJwk } = await import('../../src/labels/signing/key-crypto.js');
    // The service needs a signing key to start; these pages sign nothing.
    const appEnv = { SIGNING_KEY_JWK: JSON.stringify(generateSigningJwk()), RATE_LIMIT_PAGE: '0', RATE_LIMIT_IP_READS: '100000000' };
    const baselines: Result[] = [];
    const results = new Map<string, Result[]>();
    for (let round = 1; round <= ROUNDS; round += 1) {
      baselines.push(await measure('baseline', db.uri, ['/'], {}));
      console.log(row(`baseline (express+helmet) #${round}`, baselines.at(-1)!));
      for (const target of TARGETS) {
        const r = await measure('app', db.uri, target.paths, appEnv);
        results.set(target.name, [...(results.get(target.name) ?? []), r]);
        console.log(row(`${target.name} #${round}`, r));
      }
    }
    const best = (rs: Result[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
    const baseline = best(baselines);
    console.log(`\nbest of ${ROUNDS}: baseline ${baseline.rps.toFixed(0)} req/s`);
    for (const [name, rs] of results) {
      const r = best(rs);
      console.log(`${name.padEnd(30)} ${r.rps.toFixed(0).padStart(7)} req/s   ratio ${(r.rps / baseline.rps).toFixed(2)}   CPU ${r.cpuPerRequestUs} µs/req`);
    }
  } finally {
    await disconnectDatabase();
    await db.drop();
  }
}

/** The products API's own query, per request, straight on the database: what a page would cost without the index. */
async function timeServiceQueries(): Promise<void> {
  const { listProducts } = await import('../../src/registry/products/product.service.js');
  const queries: Array<[string, Parameters<typeof listProducts>[0]]> = [
    ['listProducts q="bat trang"', { q: 'bat trang', limit: 20 }],
    ['listProducts province=01', { province: '01', limit: 20 }],
    ['listProducts stars=4', { stars: 4, limit: 20 }],
    ['listProducts page 5', { page: 5, limit: 20 }],
  ];
  for (const [name, query] of queries) {
    const times: number[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        await listProducts(query);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    } catch (err) {
      console.log(`${name.padEnd(30)} failed after ${times.length} calls: ${(err as Error).message}`);
      continue;
    }
    times.sort((a, b) => a - b);
    console.log(`${name.padEnd(30)} median ${times[1]!.toFixed(1)} ms per call of 3 (one at a time, database only)`);
  }
  console.log('');
}

/**
 * How fresh the statistics page can be: one computation of its snapshot (stored, so the
 * services started below load it instead of computing their own). The page's figures
 * are at most STATISTICS_REFRESH_MINUTES plus this old.
 */
async function timeStatisticsSnapshot(): Promise<void> {
  const { DashboardSnapshots } = await import('../../src/dashboard/dashboard.service.js');
  const t = process.hrtime.bigint();
  await new DashboardSnapshots({ refreshMs: 600_000 }).refresh();
  console.log(`statistics snapshot computed and stored in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s (the page's figures: at most STATISTICS_REFRESH_MINUTES plus this old)\n`);
}

/** One target: its paths in turn, each asked once before the clock starts (the index is then loaded). */
async function measure(target: 'baseline' | 'app', uri: string, paths: string[], env: Record<string, string>): Promise<Result> {
  const server = await startServer(target, { uri, env, script: self });
  let i = 0;
  try {
    return await drive(server, () => paths[i++ % paths.length]!, paths);
  } finally {
    await server.stop();
  }
}
