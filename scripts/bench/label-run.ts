/**
 * Label run benchmark: a fresh database, the real app in a SERVER process of its own,
 * a certified product with one batch; then times issuing a 10,000-label run over HTTP
 * and downloading its PDF sheet and CSV, as a printer's client would, from this process.
 * Prints figures only: wall and CPU time per step, and the server's peak memory (its
 * own max RSS: the client's buffers are not the service's).
 *   npm run bench:labels [-- --count 10000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--serve') {
  await serve(process.argv[3]!);
} else {
  const countArg = process.argv.indexOf('--count');
  await runBenchmark(countArg > 0 ? Number(process.argv[countArg + 1]) : 10_000);
}

/* ---------- child: the service ---------- */

/** Prints `listening <port>`; on each line of stdin, its CPU seconds and peak RSS so far. */
async function serve(uri: string): Promise<void> {
  const { createApp } = await import('../../src/app.js');
  const { loadConfig } = await import('../../src/config.js');
  const { connectDatabase } = await import('../../src/db.js');
  const { createLogger } = await import('../../src/http/logger.js');
  await connectDatabase(uri);
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/bench' });
  const server = http.createServer(createApp({ config, logger: createLogger('silent') }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  console.log(`listening ${(server.address() as AddressInfo).port}`);
  readline.createInterface({ input: process.stdin }).on('line', () => {
    const u = process.resourceUsage();
    console.log(`usage ${(u.userCPUTime + u.systemCPUTime) / 1e6} ${u.maxRSS / 1024}`);
  });
  process.stdin.on('end', () => process.exit(0));
}

/* ---------- parent: database, seed, client ---------- */

async function runBenchmark(count: number): Promise<void> {
  const { connectDatabase, disconnectDatabase, syncIndexes } = await import('../../src/db.js');
  const { createApiKey } = await import('../../src/accounts/api-key.service.js');
  const { createTestDatabase } = await import('../../test/support/database.js');
  const { buildLabelledBatch } = await import('../../test/support/labels.js');

  const db = await createTestDatabase('ocop_bench');
  let child: ChildProcess | undefined;
  try {
    await connectDatabase(db.uri);
    await syncIndexes();
    const { batch, product } = await buildLabelledBatch({ stars: 4 });
    const { key } = await createApiKey({ role: 'producer', label: 'bench', producerId: product.producerId });
    const auth = { Authorization: `Bearer ${key}` };

    child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', db.uri], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const nextLine = async (prefix: string) => {
      for (let r = await lines.next(); !r.done; r = await lines.next()) if (r.value.startsWith(prefix)) return r.value.slice(prefix.length);
      throw new Error('the server stopped');
    };
    const base = `http://127.0.0.1:${await nextLine('listening ')}/api/v1`;
    /** The server's CPU seconds and peak RSS (MB) so far. */
    const serverUsage = async () => {
      child!.stdin!.write('usage\n');
      const [cpu, rss] = (await nextLine('usage ')).split(' ').map(Number);
      return { cpu: cpu!, rss: rss! };
    };

    /** Wall-clock seconds and the server's CPU seconds. */
    const timed = async <T>(what: () => Promise<T>): Promise<[T, number, number]> => {
      const c0 = (await serverUsage()).cpu;
      const t0 = process.hrtime.bigint();
      const out = await what();
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      return [out, wall, (await serverUsage()).cpu - c0];
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
    const rssAtStart = (await serverUsage()).rss;
    const [run, issueSeconds, issueCpu] = await timed(async () => {
      const res = await fetch(`${base}/batches/${batch._id}/label-runs`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
        body: JSON.stringify({ count }),
      });
      if (res.status !== 201) throw new Error(`issue: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    });
    const rssAfterIssue = (await serverUsage()).rss;
    const [pdfBytes, pdfSeconds, pdfCpu] = await timed(() => download(`${base}/label-runs/${run.id}/sheet.pdf`));
    const rssAfterPdf = (await serverUsage()).rss;
    const [csvBytes, csvSeconds, csvCpu] = await timed(() => download(`${base}/label-runs/${run.id}/labels.csv`));
    const rssPeak = (await serverUsage()).rss;

    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const s = (wall: number, cpu: number) => `${wall.toFixed(2)} s (server CPU ${cpu.toFixed(2)} s)`;
    console.log(`labels:            ${count}`);
    console.log(`issue run (HTTP):  ${s(issueSeconds, issueCpu)}`);
    console.log(`PDF sheet:         ${s(pdfSeconds, pdfCpu)}, ${mb(pdfBytes)} MB`);
    console.log(`CSV:               ${s(csvSeconds, csvCpu)}, ${mb(csvBytes)} MB`);
    console.log(`total:             ${s(issueSeconds + pdfSeconds + csvSeconds, issueCpu + pdfCpu + csvCpu)}`);
    console.log(`server peak RSS:   ${rssPeak.toFixed(0)} MB (${rssAtStart.toFixed(0)} MB started, ${rssAfterIssue.toFixed(0)} MB after issuing, ${rssAfterPdf.toFixed(0)} MB after the PDF)`);
    console.log(`load average:      ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after (${os.cpus().length} CPUs)`);
  } finally {
    child?.stdin?.end();
    if (child && child.exitCode === null) await new Promise((resolve) => child!.once('exit', resolve));
    await disconnectDatabase();
    await db.drop();
  }
}
