/**
 * What the page benchmarks share: seeding labels the page can verify, and driving a
 * server with concurrent keep-alive clients while reading its CPU time from /proc.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import http from 'node:http';
import type { PrivateJwk } from '../../src/labels/signing/key-crypto.js';
import { processCpuSeconds, startService } from '../../test/support/service.js';

export const CLIENTS = 50;
export const WARMUP_MS = 2_000;
export const MEASURE_MS = 10_000;
/** BENCH_ENCODING=br or gzip: clients ask for compressed pages, as phones do (the default asks for none). */
const ACCEPT_ENCODING = process.env.BENCH_ENCODING ? { 'accept-encoding': process.env.BENCH_ENCODING } : {};

/** One line of figures. */
export const row = (name: string, r: Result) =>
  `${name.padEnd(30)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   CPU ${r.cpuPerRequestUs} µs/req` +
  `${r.dbCpuPerRequestUs === null ? '' : `   database CPU ${r.dbCpuPerRequestUs} µs/req`}` +
  `${r.pgCpuPerRequestUs === undefined ? '' : ` (+ PostgreSQL ${r.pgCpuPerRequestUs} µs/req)`}   errors ${r.errors}`;

export type Result = {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  sent: number;
  cpuPerRequestUs: number;
  /** The database server's CPU per request answered, when its process was given. */
  dbCpuPerRequestUs: number | null;
  /** FerretDB's PostgreSQL backends' CPU per request, when the benchmark can find them (postgresCpuSeconds). */
  pgCpuPerRequestUs?: number;
};

/**
 * CPU seconds used so far by the PostgreSQL backends serving database `name` (FerretDB's
 * connections): the processes whose title names it. A backend that exited is not counted,
 * so read it over a period in which FerretDB keeps its pool (a benchmark's measured run).
 */
export function postgresCpuSeconds(name: string): number {
  let sum = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${name} `)) sum += processCpuSeconds(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

export function pinTo(core: string, pid: number): void {
  try {
    execFileSync('taskset', ['-a', '-cp', core, String(pid)], { stdio: 'ignore' });
  } catch {
    console.warn(`taskset unavailable: process ${pid} not pinned to core ${core}`);
  }
}

/** One product, certified, with a 7-step timeline and `count` signed labels of one batch; answers their paths. */
export async function seedLabels(signingJwk: PrivateJwk, count: number): Promise<string[]> {
  const { newId } = await import('../../src/ids.js');
  const { toSigningKey, shortKid, signCanonical } = await import('../../src/labels/signing/key-crypto.js');
  const { canonicalLabelString, toYYMMDD } = await import('../../src/labels/format/label-url.js');
  const { LabelModel } = await import('../../src/labels/runs/label.model.js');
  const { LabelRunModel } = await import('../../src/labels/runs/label-run.model.js');
  const { SigningKeyModel } = await import('../../src/labels/signing/signing-key.model.js');
  const { ProducerModel } = await import('../../src/registry/producers/producer.model.js');
  const { ProductModel } = await import('../../src/registry/products/product.model.js');
  const { CertificationModel } = await import('../../src/registry/certifications/certification.model.js');
  const { validUntilFor } = await import('../../src/registry/certifications/certification-status.js');
  const { BatchModel } = await import('../../src/batches/batch.model.js');
  const { withCheckDigit } = await import('../../src/reference/gs1.js');
  const { seedDemoEvents } = await import('../../src/events/events.demo.js');

  const key = toSigningKey(signingJwk);
  await SigningKeyModel.create({ _id: key.kid, shortKid: shortKid(key.kid), publicJwk: key.publicJwk, status: 'active' });
  const producer = await ProducerModel.create({ name: 'HTX Mật ong Ba Vì', kind: 'cooperative', registrationNumber: 'BENCH0001', address: { provinceCode: '01', communeCode: '00577' } });
  const product = await ProductModel.create({ producerId: producer._id, name: { vi: 'Mật ong rừng Ba Vì', en: 'Ba Vì wild honey' }, group: 'food', groupListVersion: '2023', gtin: withCheckDigit('0893604512001') });
  const decisionDate = new Date(Date.now() - 90 * 86_400_000);
  const cert = await CertificationModel.create({ productId: product._id, producerId: producer._id, stars: 4, score: 80, decisionNumber: '1234/QĐ-UBND', authority: { level: 'province', name: 'Ủy ban nhân dân Thành phố Hà Nội' }, decisionDate, validUntil: validUntilFor(decisionDate) });
  const batch = await BatchModel.create({ productId: product._id, producerId: producer._id, lotCode: 'BV2026-01', productionDate: new Date(Date.now() - 10 * 86_400_000), expiryDate: new Date(Date.now() + 365 * 86_400_000), quantity: count, unit: 'hũ', origin: { provinceCode: '01', communeCode: '00577' } });
  const run = await LabelRunModel.create({ _id: newId(), batchId: batch._id, productId: product._id, producerId: producer._id, certificationId: cert._id, count, requestedBy: 'bench', idempotencyKey: 'bench', state: 'issued', issuedAt: new Date() });
  // A real batch has a value-chain timeline (harvest → … → sold): the page renders it.
  const { events } = await seedDemoEvents([batch._id], { baseUrl: 'https://trace.example.vn' });
  if (events < 7) throw new Error(`expected a 7-step timeline, got ${events} events`);
  const paths: string[] = [];
  const docs = Array.from({ length: count }, (_, seq) => {
    const fields = { product: { kind: 'gtin' as const, gtin: product.gtin! }, lot: batch.lotCode, serial: `${newId()}${newId()}`.toUpperCase().slice(0, 16), stars: 4, validUntil: toYYMMDD(cert.validUntil), kid: shortKid(key.kid) };
    const sig = signCanonical(key, canonicalLabelString(fields));
    paths.push(`${canonicalLabelString(fields)}&sig=${sig}`);
    return { _id: fields.serial, runId: run._id, batchId: batch._id, productId: product._id, producerId: producer._id, kid: fields.kid, stars: 4, validUntil: fields.validUntil, sig, status: 'active', issuedAt: new Date(), seq };
  });
  await LabelModel.insertMany(docs);
  return paths;
}

/**
 * Drives a server from this process with CLIENTS keep-alive clients: `prime` first (each
 * path once, unmeasured), then WARMUP_MS, then MEASURE_MS measured. CPU per request is
 * the server's (and, given its pid, the database's) CPU over the measured period.
 */
export async function drive(
  server: { port: number; cpuSeconds(): number },
  nextPath: () => string,
  prime: string[] = [],
  dbPid?: number,
  timing: { warmupMs: number; measureMs: number } = { warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
): Promise<Result> {
  const { port } = server;
  const { warmupMs, measureMs } = timing;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;

  const once = (path: string) =>
    new Promise<number>((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { accept: 'text/html', 'user-agent': `bench-${sent % 7}`, ...ACCEPT_ENCODING } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? Number(process.hrtime.bigint() - t0) / 1e6 : -1));
      });
      req.on('error', () => resolve(-1));
    });

  const queue = [...prime];
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let path = queue.pop(); path; path = queue.pop()) {
        sent += 1;
        await once(path);
      }
    }),
  );
  const start = Date.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + measureMs;

  // The server's CPU time over the measured period, divided by the requests answered in it.
  let cpuAtMeasureStart = NaN;
  let dbCpuAtMeasureStart = NaN;
  setTimeout(() => {
    cpuAtMeasureStart = server.cpuSeconds();
    if (dbPid) dbCpuAtMeasureStart = processCpuSeconds(dbPid);
  }, warmupMs);
  const client = async () => {
    while (Date.now() < end) {
      sent += 1;
      const ms = await once(nextPath());
      if (Date.now() < measureFrom) continue;
      if (ms < 0) errors += 1;
      else latencies.push(ms);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const cpuSeconds = server.cpuSeconds() - cpuAtMeasureStart;
  const dbCpuSeconds = dbPid ? processCpuSeconds(dbPid) - dbCpuAtMeasureStart : null;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return {
    rps: latencies.length / (measureMs / 1000),
    p50: pct(50),
    p99: pct(99),
    errors,
    sent,
    cpuPerRequestUs: Math.round((cpuSeconds * 1e6) / Math.max(1, latencies.length + errors)),
    dbCpuPerRequestUs: dbCpuSeconds === null ? null : Math.round((dbCpuSeconds * 1e6) / Math.max(1, latencies.length + errors)),
  };
}

/** Whether wrk (Debian's package `wrk`) is on this machine: a load generator in C, far cheaper per request than Node. */
export function haveWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/**
 * The same drive as drive(), the load made by wrk (2 threads, CLIENTS connections, a
 * random one of `paths` per request) instead of this process: `prime` is still sent from
 * here first. The generator's CPU is read too (wrk's, through the shell that waited for
 * it: its children's CPU in /proc), so a report can say what the load itself cost.
 */
export async function driveWithWrk(
  server: { port: number; cpuSeconds(): number },
  paths: string[],
  prime: string[] = [],
  dbPid?: number,
  timing: { warmupMs: number; measureMs: number; settleMs?: number; pgCpuSeconds?: () => number } = { warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
): Promise<Result & { loadCpuUs: number }> {
  if (prime.length) await drive(server, () => prime[0]!, prime, undefined, { warmupMs: 0, measureMs: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-wrk-'));
  const script = path.join(dir, 'paths.lua');
  fs.writeFileSync(
    script,
    `local paths = {\n${paths.map((p) => `  ${JSON.stringify(p)},`).join('\n')}\n}\n` +
      `wrk.headers["Accept"] = "text/html"\n` +
      (process.env.BENCH_ENCODING ? `wrk.headers["Accept-Encoding"] = ${JSON.stringify(process.env.BENCH_ENCODING)}\n` : '') +
      `request = function() return wrk.format("GET", paths[math.random(#paths)]) end\n`,
  );
  const url = `http://127.0.0.1:${server.port}`;
  const wrk = (ms: number) => `wrk -t2 -c${CLIENTS} -d${Math.max(1, Math.round(ms / 1000))}s --latency -s ${script} ${url}`;
  try {
    execFileSync('sh', ['-c', `${wrk(timing.warmupMs)} > /dev/null`]);
    // wrk opens its connections at once, and node:cluster hands each to a worker that is free at that moment:
    // let the warm-up's last flushes end first, or a worker busy with one gets few connections for the whole run.
    if (timing.settleMs) await new Promise((resolve) => setTimeout(resolve, timing.settleMs));
    const cpu0 = server.cpuSeconds();
    const db0 = dbPid ? processCpuSeconds(dbPid) : 0;
    const pg0 = timing.pgCpuSeconds?.() ?? 0;
    // The shell's own /proc stat after wrk ended: fields 16 and 17 are its waited-for children's CPU (wrk's).
    const out = execFileSync('sh', ['-c', `${wrk(timing.measureMs)}; echo "children $(cut -d' ' -f16,17 /proc/$$/stat)"`], { encoding: 'utf8' });
    const cpuSeconds = server.cpuSeconds() - cpu0;
    const dbCpuSeconds = dbPid ? processCpuSeconds(dbPid) - db0 : null;
    const pgCpuSeconds = timing.pgCpuSeconds ? timing.pgCpuSeconds() - pg0 : null;
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    const bad = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0;
    const ms = (label: string) => {
      const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      if (!m) return NaN;
      return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
    };
    const ticks = (/children (\d+) (\d+)/.exec(out)?.slice(1) ?? ['0', '0']).reduce((a, b) => a + Number(b), 0);
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const answered = Math.max(1, requests);
    return {
      rps: (requests - bad) / (timing.measureMs / 1000),
      p50: ms('50'),
      p99: ms('99'),
      errors: bad + socketErrors,
      sent: requests,
      cpuPerRequestUs: Math.round((cpuSeconds * 1e6) / answered),
      dbCpuPerRequestUs: dbCpuSeconds === null ? null : Math.round((dbCpuSeconds * 1e6) / answered),
      ...(pgCpuSeconds === null ? {} : { pgCpuPerRequestUs: Math.round((pgCpuSeconds * 1e6) / answered) }),
      loadCpuUs: Math.round(((ticks / hz) * 1e6) / answered),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor every page benchmark measures against, run as a child on core 0: a bare
 * Express 5 + helmet page with no database (compressed when BENCH_ENCODING asks clients to).
 */
export async function serveBaseline(opts: { quiet?: boolean } = {}): Promise<void> {
  const { default: express } = await import('express');
  const { default: helmet } = await import('helmet');
  const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>OCOP</title></head><body>${'<p>Sản phẩm OCOP – xác thực tem.</p>'.repeat(75)}</body></html>`;
  const app = express();
  app.use(helmet());
  // When clients ask for compressed answers (BENCH_ENCODING), the floor compresses too.
  if (process.env.BENCH_ENCODING) {
    const { default: compression } = await import('compression');
    app.use(compression());
  }
  app.get('/', (_req, res) => {
    res.type('html').send(html);
  });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  if (!opts.quiet) console.log(`listening ${(server.address() as { port: number }).port}`);
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

export type PageServer = { port: number; cpuSeconds(): number; stop(): Promise<void> };

/**
 * The compiled service or the baseline (`script --baseline`, a child running the
 * benchmark's own file, which calls serveBaseline), pinned to core 0; `nodeArgs` are
 * extra node flags for it (e.g. a profiler's).
 */
export async function startServer(
  target: 'baseline' | 'app',
  opts: { uri: string; env: Record<string, string>; script: string; nodeArgs?: string[] },
): Promise<PageServer> {
  const nodeArgs = opts.nodeArgs ?? [];
  if (target === 'app') {
    return startService({ MONGODB_URI: opts.uri, PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench', ...opts.env }, { core: '0', nodeArgs });
  }
  const child = spawn('taskset', ['-c', '0', process.execPath, ...nodeArgs, '--import', 'tsx', opts.script, '--baseline'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    port,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
