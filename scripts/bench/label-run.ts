/**
 * Label run benchmark: a fresh database, the compiled service in a process of its own
 * (scripts/bench/service.ts), a certified product with one batch; then times issuing a
 * 10,000-label run over HTTP and downloading its A4 sheet, CSV, roll PDF and ZPL, as a printer's
 * client would, from this process. Prints figures only: wall time and the service's
 * CPU time per step, and the service's peak memory (its own: the client's buffers are
 * not the service's).
 *   npm run bench:labels [-- --count 10000]
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

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 10_000;

const db = await createTestDatabase('ocop_bench');
let service: Service | undefined;
try {
  await connectDatabase(db.uri);
  await syncIndexes();
  const { batch, product } = await buildLabelledBatch({ stars: 4, batch: { quantity: count } });
  const { key } = await createApiKey({ role: 'producer', label: 'bench', producerId: product.producerId });
  const auth = { Authorization: `Bearer ${key}` };
  // A production service refuses to make up a signing key: the bench hands it a fresh one.
  const env = { MONGODB_URI: db.uri, PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench', SIGNING_KEY_JWK: JSON.stringify(generateSigningJwk()) };
  service = await startService(env, { nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ') });
  const base = `http://127.0.0.1:${service.port}/api/v1`;

  /** Wall-clock seconds and the service's CPU seconds. */
  const timed = async <T>(what: () => Promise<T>): Promise<[T, number, number]> => {
    const c0 = service!.cpuSeconds();
    const t0 = process.hrtime.bigint();
    const out = await what();
    return [out, Number(process.hrtime.bigint() - t0) / 1e9, service!.cpuSeconds() - c0];
  };
  /** Reads the body and throws it away, as a download to /dev/null would. */
  const download = async (url: string) => {
    const res = await fetch(url, { headers: auth });
    if (!res.ok || !res.body) throw new Error(`${url}: ${res.status}`);
    const reader = res.body.getReader();
    let bytes = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
    return bytes;
  };

  const loadBefore = os.loadavg()[0]!;
  const rssAtStart = service.peakRssMb();
  const [run, issueSeconds, issueCpu] = await timed(async () => {
    const res = await fetch(`${base}/batches/${batch._id}/label-runs`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ count }),
    });
    if (res.status !== 201) throw new Error(`issue: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  });
  const rssAfterIssue = service.peakRssMb();
  const [pdfBytes, pdfSeconds, pdfCpu] = await timed(() => download(`${base}/label-runs/${run.id}/sheet.pdf`));
  const rssAfterPdf = service.peakRssMb();
  const [csvBytes, csvSeconds, csvCpu] = await timed(() => download(`${base}/label-runs/${run.id}/labels.csv`));
  const [rollBytes, rollSeconds, rollCpu] = await timed(() => download(`${base}/label-runs/${run.id}/sheet.pdf?format=roll`));
  const [zplBytes, zplSeconds, zplCpu] = await timed(() => download(`${base}/label-runs/${run.id}/labels.zpl`));

  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const s = (wall: number, cpu: number) => `${wall.toFixed(2)} s (service CPU ${cpu.toFixed(2)} s)`;
  console.log(`labels:            ${count}`);
  console.log(`issue run (HTTP):  ${s(issueSeconds, issueCpu)}`);
  console.log(`PDF sheet:         ${s(pdfSeconds, pdfCpu)}, ${mb(pdfBytes)} MB`);
  console.log(`CSV:               ${s(csvSeconds, csvCpu)}, ${mb(csvBytes)} MB`);
  console.log(`roll PDF 60×40:    ${s(rollSeconds, rollCpu)}, ${mb(rollBytes)} MB`);
  console.log(`ZPL 60×40 203 dpi: ${s(zplSeconds, zplCpu)}, ${mb(zplBytes)} MB`);
  console.log(`total:             ${s(issueSeconds + pdfSeconds + csvSeconds, issueCpu + pdfCpu + csvCpu)}`);
  const peak = (n: number) => `${n.toFixed(0)} MB`;
  console.log(`service peak RSS:  ${peak(service.peakRssMb())} (${peak(rssAtStart)} once started, ${peak(rssAfterIssue)} after issuing, ${peak(rssAfterPdf)} after the PDF)`);
  console.log(`load average:      ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after (${os.cpus().length} CPUs)`);
} finally {
  await service?.stop();
  await disconnectDatabase();
  await db.drop();
}
