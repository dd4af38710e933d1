/**
 * Label run benchmark: a fresh database, the real app on a local port, a certified
 * product with one batch; then times issuing a 10,000-label run over HTTP and
 * downloading its PDF sheet and CSV. Prints figures only.
 *   npm run bench:labels [-- --count 10000]
 */
import http from 'node:http';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../../src/db.js';
import { createLogger } from '../../src/http/logger.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { createTestDatabase } from '../../test/support/database.js';
import { buildLabelledBatch } from '../../test/support/labels.js';

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 10_000;

const db = await createTestDatabase('ocop_bench');
const server = http.createServer();
try {
  await connectDatabase(db.uri);
  await syncIndexes();
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench' });
  server.on('request', createApp({ config, logger: createLogger('silent') }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;

  const { batch, product } = await buildLabelledBatch({ stars: 4 });
  const { key } = await createApiKey({ role: 'producer', label: 'bench', producerId: product.producerId });
  const auth = { Authorization: `Bearer ${key}` };

  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  /** Wall-clock seconds and the CPU seconds this process spent (server and client share it). */
  const timed = async <T>(what: () => Promise<T>): Promise<[T, number, number]> => {
    const t0 = process.hrtime.bigint();
    const c0 = cpuSeconds();
    const out = await what();
    return [out, Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds() - c0];
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
  const [run, issueSeconds, issueCpu] = await timed(async () => {
    const res = await fetch(`${base}/batches/${batch._id}/label-runs`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ count }),
    });
    if (res.status !== 201) throw new Error(`issue: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  });
  const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
  const peakAfterIssue = peakMb();
  const [pdfBytes, pdfSeconds, pdfCpu] = await timed(() => download(`${base}/label-runs/${run.id}/sheet.pdf`));
  const peakAfterPdf = peakMb();
  const [csvBytes, csvSeconds, csvCpu] = await timed(() => download(`${base}/label-runs/${run.id}/labels.csv`));

  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const s = (wall: number, cpu: number) => `${wall.toFixed(2)} s (CPU ${cpu.toFixed(2)} s)`;
  console.log(`labels:            ${count}`);
  console.log(`issue run (HTTP):  ${s(issueSeconds, issueCpu)}`);
  console.log(`PDF sheet:         ${s(pdfSeconds, pdfCpu)}, ${mb(pdfBytes)} MB`);
  console.log(`CSV:               ${s(csvSeconds, csvCpu)}, ${mb(csvBytes)} MB`);
  console.log(`total:             ${s(issueSeconds + pdfSeconds + csvSeconds, issueCpu + pdfCpu + csvCpu)}`);
  console.log(`peak RSS:          ${peakMb()} MB (${peakAfterIssue} MB after issuing, ${peakAfterPdf} MB after the PDF)`);
  console.log(`load average:      ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after (${os.cpus().length} CPUs)`);
} finally {
  server.close();
  await disconnectDatabase();
  await db.drop();
}
