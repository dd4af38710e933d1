/**
 * Label run benchmark: the compiled service in a process of its own
 * (test/support/service.ts) and a certified product with a batch; then times issuing a
 * run over HTTP and downloading its A4 sheet, CSV, roll PDF and ZPL, as a printer's
 * client would, from this process, and voiding labels of it: one void, then ten voids
 * of different labels at once. Prints figures only: wall time and the service's CPU time
 * per step, and the service's peak memory (its own: the client's buffers are not the service's).
 *   npm run bench:labels [-- --count 10000]
 * The database is a fresh one on FerretDB-on-PostgreSQL, or with BENCH_LARGE=sqlite or
 * BENCH_LARGE=postgresql the large database of that FerretDB backend
 * (scripts/bench/large-database.ts: 1,000,000 labels and 5,000,000 scans, built on
 * first use, reused after; BENCH_LARGE_LABELS and BENCH_LARGE_SCANS change its size),
 * where the run is issued for one of its batches.
 * BENCH_NODE_ARGS are extra node flags for the service (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../../src/db.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { createTestDatabase } from '../../test/support/database.js';
import { generateSigningJwk } from '../../src/labels/signing/key-crypto.js';
import { buildLabelledBatch } from '../../test/support/kit.js';
import { startService, type Service } from '../../test/support/service.js';
import { openLargeDatabase, type Backend } from './large-database.js';

const countArg = process.argv.indexOf('--count');
const large = process.env.BENCH_LARGE as Backend | undefined;
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : large ? 1_000 : 10_000;
if (large && large !== 'sqlite' && large !== 'postgresql') throw new Error('BENCH_LARGE is sqlite or postgresql');
if (count < 11) throw new Error('--count is at least 11: the bench voids eleven labels of the run');

/** The database, a batch to issue for, a key of its producer and the signing key the service gets. */
async function openDatabase() {
  if (large) {
    const db = await openLargeDatabase(large, { labels: Number(process.env.BENCH_LARGE_LABELS ?? 1_000_000), scans: Number(process.env.BENCH_LARGE_SCANS ?? 5_000_000) });
    await connectDatabase(db.uri, { socketTimeoutMS: 600_000 });
    const b = db.manifest.sample.batches[Math.floor(Math.random() * db.manifest.sample.batches.length)]!;
    const { key } = await createApiKey({ role: 'producer', label: 'bench', producerId: b.producerId });
    const c = db.manifest.counts;
    return { uri: db.uri, batchId: b.batchId, key, jwk: db.manifest.signingJwk, stop: () => db.stop(), what: `large ${large} database: ${c.labels!.toLocaleString('en')} labels, ${c.scans!.toLocaleString('en')} scans, ${c.runs!.toLocaleString('en')} runs` };
  }
  const db = await createTestDatabase('ocop_bench');
  await connectDatabase(db.uri);
  await syncIndexes();
  const { batch, product } = await buildLabelledBatch({ stars: 4, batch: { quantity: count } });
  const { key } = await createApiKey({ role: 'producer', label: 'bench', producerId: product.producerId });
  // A production service refuses to make up a signing key: the bench hands it a fresh one.
  return { uri: db.uri, batchId: batch._id, key, jwk: generateSigningJwk(), stop: () => db.drop(), what: 'fresh database (FerretDB on PostgreSQL)' };
}

const db = await openDatabase();
let service: Service | undefined;
try {
  const auth = { Authorization: `Bearer ${db.key}` };
  const env = { MONGODB_URI: db.uri, PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench', SIGNING_KEY_JWK: JSON.stringify(db.jwk) };
  const startedAt = Date.now();
  service = await startService(env, { nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ') });
  const startSeconds = (Date.now() - startedAt) / 1000;
  const base = `http://127.0.0.1:${service.port}/api/v1`;

  /** Wall-clock seconds and the service's CPU seconds. */
  const timed = async <T>(what: () => Promise<T>): Promise<[T, number, number]> => {
    const c0 = service!.cpuSeconds();
    const t0 = process.hrtime.bigint();
    const out = await what();
    return [out, Number(process.hrtime.bigint() - t0) / 1e9, service!.cpuSeconds() - c0];
  };
  /** Reads the body, keeping at most `keep` bytes of it (a download to /dev/null otherwise). */
  const download = async (url: string, keep = 0) => {
    const res = await fetch(url, { headers: auth });
    if (!res.ok || !res.body) throw new Error(`${url}: ${res.status}`);
    const reader = res.body.getReader();
    let bytes = 0;
    let text = '';
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.length;
      if (text.length < keep) text += decoder.decode(r.value, { stream: true });
    }
    return { bytes, text };
  };
  const voidLabel = async (serial: string) => {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${base}/labels/${serial}/void`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: 'bench' }) });
    if (res.status !== 200) throw new Error(`void ${serial}: ${res.status} ${await res.text()}`);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };

  const loadBefore = os.loadavg()[0]!;
  const rssAtStart = service.peakRssMb();
  const [run, issueSeconds, issueCpu] = await timed(async () => {
    const res = await fetch(`${base}/batches/${db.batchId}/label-runs`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ count }),
    });
    if (res.status !== 201) throw new Error(`issue: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  });
  const rssAfterIssue = service.peakRssMb();
  const [pdf, pdfSeconds, pdfCpu] = await timed(() => download(`${base}/label-runs/${run.id}/sheet.pdf`));
  const rssAfterPdf = service.peakRssMb();
  const [csv, csvSeconds, csvCpu] = await timed(() => download(`${base}/label-runs/${run.id}/labels.csv`, 4_000));
  const serials = csv.text.split('\r\n').slice(1, 12).map((line) => line.split(',')[1]!);

  const [oneVoid, , oneVoidCpu] = await timed(() => voidLabel(serials[0]!));
  const [tenVoids, tenWall, tenCpu] = await timed(() => Promise.all(serials.slice(1, 11).map(voidLabel)));
  tenVoids.sort((a, b) => a - b);
  const [roll, rollSeconds, rollCpu] = await timed(() => download(`${base}/label-runs/${run.id}/sheet.pdf?format=roll`));
  const [zpl, zplSeconds, zplCpu] = await timed(() => download(`${base}/label-runs/${run.id}/labels.zpl`));

  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const s = (wall: number, cpu: number) => `${wall.toFixed(2)} s (service CPU ${cpu.toFixed(2)} s)`;
  const ms = (sec: number) => `${(sec * 1000).toFixed(0)} ms`;
  console.log(`database:          ${db.what}`);
  console.log(`service start:     ${startSeconds.toFixed(1)} s`);
  console.log(`labels:            ${count}`);
  console.log(`issue run (HTTP):  ${s(issueSeconds, issueCpu)}`);
  console.log(`PDF sheet:         ${s(pdfSeconds, pdfCpu)}, ${mb(pdf.bytes)} MB`);
  console.log(`CSV:               ${s(csvSeconds, csvCpu)}, ${mb(csv.bytes)} MB`);
  console.log(`roll PDF 60×40:    ${s(rollSeconds, rollCpu)}, ${mb(roll.bytes)} MB`);
  console.log(`ZPL 60×40 203 dpi: ${s(zplSeconds, zplCpu)}, ${mb(zpl.bytes)} MB`);
  console.log(`total:             ${s(issueSeconds + pdfSeconds + csvSeconds, issueCpu + pdfCpu + csvCpu)}`);
  console.log(`void one label:    ${ms(oneVoid)} (service CPU ${oneVoidCpu.toFixed(2)} s)`);
  console.log(`void ten at once:  each ${ms(tenVoids[0]!)} – ${ms(tenVoids[9]!)} (median ${ms(tenVoids[5]!)}), all ${ms(tenWall)} (service CPU ${tenCpu.toFixed(2)} s)`);
  const peak = (n: number) => `${n.toFixed(0)} MB`;
  console.log(`service peak RSS:  ${peak(service.peakRssMb())} (${peak(rssAtStart)} once started, ${peak(rssAfterIssue)} after issuing, ${peak(rssAfterPdf)} after the PDF)`);
  console.log(`load average:      ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after (${os.cpus().length} CPUs)`);
} finally {
  await service?.stop();
  await disconnectDatabase();
  await db.stop();
}
