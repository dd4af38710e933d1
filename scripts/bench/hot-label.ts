/**
 * A hot label against a fresh one: does a label's scan history cost its readers?
 *
 *   npm run bench:hot-label
 *
 * Seeds two labels of one product on a FerretDB of its own (BENCH_BACKEND: `sqlite`, the
 * `npm start` default and the backend that uses no secondary index, or `postgresql`).
 * One label gets a history of BENCH_SCANS scans (default 1,000,000): that many
 * documents in the raw `scans` log, and the tally versions the flush would have written
 * for them (BENCH_VERSIONS, default 50,000: one per flush interval in which it was
 * scanned). The other has never been scanned: the floor, measured in the same run.
 *
 * For each label, BENCH_ROUNDS times (alternating), the compiled service starts cold on
 * core 0 with CACHE_TTL_MS=1000, so that its figures are refreshed in the background
 * every second while measured (and the per-address page limit off: every client here
 * shares one address), and is driven with 50 keep-alive clients from core 1
 * scanning that label only. Prints req/s, latency, the service's and the database's
 * CPU per request, and the ratios hot/fresh (target: ≈ 1). Figures only, no asserts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../../test/support/service.js';
import { drive, pinTo, row, type Result } from './page-driver.js';

const BACKEND = process.env.BENCH_BACKEND === 'postgresql' ? 'postgresql' : 'sqlite';
const SCANS = Number(process.env.BENCH_SCANS ?? 1_000_000);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CHUNK = 10_000;

const { createTestDatabase } = await import('../../test/support/database.js');
const { startFerretDB, withDatabase } = await import('../../src/ferretdb.js');
const { connectDatabase, disconnectDatabase, syncIndexes } = await import('../../src/db.js');
const { generateSigningJwk } = await import('../../src/labels/signing/key-crypto.js');
const { seedLabels } = await import('./page-driver.js');

const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-hot-label-'));
const db =
  BACKEND === 'sqlite'
    ? await startFerretDB({ backend: { kind: 'sqlite', dir: sqliteDir } }).then((f) => ({ uri: withDatabase(f.uri, 'ocop'), ferretPid: f.pid, drop: f.stop }))
    : await createTestDatabase('ocop_bench_hot');
pinTo('1', process.pid);
try {
  await connectDatabase(db.uri);
  await syncIndexes();
  const signingJwk = generateSigningJwk();
  const [hotPath, freshPath] = await seedLabels(signingJwk, 2);
  const hotSerial = /\/21\/([^/?]+)/.exec(hotPath!)![1]!;
  const t0 = Date.now();
  await writeHistory(hotSerial);
  console.log(`${BACKEND}: history of ${SCANS.toLocaleString('en')} scans and ${VERSIONS.toLocaleString('en')} tally versions written in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`50 clients, one label each run, service cold at start, figures refreshed every second\n`);

  const env = { MONGODB_URI: db.uri, PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench', SIGNING_KEY_JWK: JSON.stringify(signingJwk), CACHE_TTL_MS: '1000', RATE_LIMIT_PAGE: '0' };
  const hot: Result[] = [];
  const fresh: Result[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const [name, p, results] of [['fresh label', freshPath!, fresh], ['hot label', hotPath!, hot]] as const) {
      const service = await startService(env, { core: '0' });
      try {
        results.push(await drive(service, () => p, [], db.ferretPid));
      } finally {
        await service.stop();
      }
      console.log(row(`${name} #${round}`, results.at(-1)!));
    }
  }
  const best = (rs: Result[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const least = (rs: Result[], f: (r: Result) => number) => Math.min(...rs.map(f));
  const [h, f] = [best(hot), best(fresh)];
  console.log(`\nbest of ${ROUNDS}: fresh ${f.rps.toFixed(0)} req/s, hot ${h.rps.toFixed(0)} req/s → ratio hot/fresh ${(h.rps / f.rps).toFixed(2)} (target ≈ 1)`);
  const svc = [least(hot, (r) => r.cpuPerRequestUs), least(fresh, (r) => r.cpuPerRequestUs)];
  const dbCpu = [least(hot, (r) => r.dbCpuPerRequestUs ?? NaN), least(fresh, (r) => r.dbCpuPerRequestUs ?? NaN)];
  console.log(`service CPU per request: hot ${svc[0]} µs, fresh ${svc[1]} µs; database CPU per request: hot ${dbCpu[0]} µs, fresh ${dbCpu[1]} µs`);
  if (BACKEND === 'postgresql') console.log('(database CPU is FerretDB\'s own; PostgreSQL\'s server processes are not counted)');
} finally {
  await disconnectDatabase();
  await db.drop();
  fs.rmSync(sqliteDir, { recursive: true, force: true });
}

/** The raw scan log and the tally versions the flush would have left for SCANS scans of one label. */
async function writeHistory(serial: string): Promise<void> {
  const { ScanModel } = await import('../../src/verify/scans/scan.model.js');
  const { ScanTallyModel, tallyId } = await import('../../src/verify/scans/scan-tally.model.js');
  const { addScan, copyFigures, noScans } = await import('../../src/verify/scans/scan-figures.js');
  const { newId } = await import('../../src/ids.js');
  const start = Date.now() - 90 * 86_400_000;
  const step = (90 * 86_400_000) / SCANS;
  const scanAt = (i: number) => ({ time: Math.round(start + i * step), browser: `c${i % 4000}`, network: `n${i % 900}`, place: null });
  for (let i = 0; i < SCANS; i += CHUNK) {
    const docs = Array.from({ length: Math.min(CHUNK, SCANS - i) }, (_, j) => {
      const s = scanAt(i + j);
      return { _id: newId() + newId(), serial, time: new Date(s.time), place: null, clientHash: s.browser, verdict: 'genuine' };
    });
    await ScanModel.insertMany(docs, { ordered: false, lean: true });
  }
  const figures = noScans();
  const perVersion = SCANS / VERSIONS;
  let scanned = 0;
  let versions: object[] = [];
  let head: object | null = null;
  for (let v = 1; v <= VERSIONS; v += 1) {
    for (; scanned < Math.round(v * perVersion); scanned += 1) addScan(figures, scanAt(scanned));
    const doc = { serial, version: v, writer: 'bench', ...copyFigures(figures) };
    versions.push({ _id: tallyId(serial, v), ...doc });
    if (v % 4 === 0) head = { _id: serial, ...doc };
    if (versions.length === CHUNK || v === VERSIONS) {
      await ScanTallyModel.insertMany(versions, { ordered: false, lean: true });
      versions = [];
    }
  }
  if (head) await ScanTallyModel.insertMany([head], { lean: true });
}
