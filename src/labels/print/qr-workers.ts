import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { qrPageStream, type QrPageJob } from './qr-page.js';
import type { QrWorkerReply, QrWorkerRequest } from './qr-worker.js';

/**
 * Pages' QR streams (src/labels/qr-page.ts) built by one worker thread and by the main
 * thread together. The PDF writer on the main thread spends most of a page waiting for
 * its codes, so instead of a second worker (≈ 50 MB each under tsx) it builds queued
 * pages itself while it waits: nearly the speed of two workers, the memory of one.
 * The worker starts on first use and stays; it holds the process open only while it
 * has work.
 */
/**
 * Pages handed to a worker at once: one to build and one waiting, so it does not idle
 * while the main thread, busy with a page, has not yet read its last reply.
 */
const WORKER_IN_FLIGHT = 2;

type Pending = { resolve: (stream: Buffer) => void; reject: (err: Error) => void };
type PoolWorker = { worker: Worker; pending: Map<number, Pending> };

/** A page queued for whichever thread gets to it first. */
export type QrPageTask = {
  job: QrPageJob;
  result: Promise<Buffer>;
  settled: boolean;
  resolve: (stream: Buffer) => void;
  reject: (err: Error) => void;
};

let worker: PoolWorker | null = null;
let starting: Promise<PoolWorker> | null = null;
/** Queued pages nobody has started, oldest first: the worker takes from the front. */
const queue: QrPageTask[] = [];
let nextId = 0;

/** The page's compressed QR content stream, built on the worker thread. */
export async function qrPageStreamOffThread(job: QrPageJob): Promise<Buffer> {
  return sendToWorker(worker ?? (await startWorker()), job);
}

/**
 * Queues a page's QR stream: the worker builds it when free, or the main thread does
 * in qrPageResult. Read the result with qrPageResult, not by awaiting `result` alone,
 * or a page nobody sends to the worker may wait for ever.
 */
export function queueQrPage(job: QrPageJob): QrPageTask {
  let resolve!: (stream: Buffer) => void;
  let reject!: (err: Error) => void;
  const result = new Promise<Buffer>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => {}); // read by qrPageResult; not an unhandled rejection meanwhile
  const task: QrPageTask = { job, result, settled: false, resolve, reject };
  task.resolve = (stream) => {
    task.settled = true;
    resolve(stream);
  };
  task.reject = (err) => {
    task.settled = true;
    reject(err);
  };
  queue.push(task);
  feedWorker();
  return task;
}

/**
 * The page's stream. Built here at once if no thread has started it; otherwise, while
 * the worker finishes it, this thread builds the queued pages furthest ahead, one at a
 * time, reading the worker's replies in between.
 */
export async function qrPageResult(task: QrPageTask): Promise<Buffer> {
  const i = queue.indexOf(task);
  if (i >= 0) {
    queue.splice(i, 1);
    buildHere(task);
  }
  while (!task.settled && queue.length > 0) {
    buildHere(queue.pop()!);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return task.result;
}

function buildHere(task: QrPageTask): void {
  try {
    task.resolve(qrPageStream(task.job));
  } catch (err) {
    task.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * Hands queued pages to the worker while it has room for them. Until the worker is up
 * (its code is bundled first, see spawn) the main thread builds every page itself.
 */
function feedWorker(): void {
  if (!worker) {
    startWorker().catch(() => {}); // the main thread keeps building pages meanwhile
    return;
  }
  while (queue.length > 0 && worker.pending.size < WORKER_IN_FLIGHT) {
    const task = queue.shift()!;
    sendToWorker(worker, task.job).then(task.resolve, task.reject);
  }
}

function sendToWorker(w: PoolWorker, job: QrPageJob): Promise<Buffer> {
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    if (w.pending.size === 0) w.worker.ref();
    w.pending.set(id, { resolve, reject });
    w.worker.postMessage({ id, job } satisfies QrWorkerRequest);
  });
}

/** The worker, started once and shared by every caller that asks meanwhile. */
function startWorker(): Promise<PoolWorker> {
  starting ??= spawn()
    .then((thread) => {
      const w = watch(thread);
      worker = w;
      feedWorker();
      return w;
    })
    .finally(() => {
      starting = null;
    });
  return starting;
}

function watch(thread: Worker): PoolWorker {
  const w: PoolWorker = { worker: thread, pending: new Map() };
  thread.unref();
  // An unref made before the thread is online does not hold (an idle worker that never
  // got a page kept the process alive): made again once it is.
  thread.once('online', () => {
    if (w.pending.size === 0) thread.unref();
  });
  thread.on('message', (reply: QrWorkerReply) => {
    const p = w.pending.get(reply.id);
    if (!p) return;
    w.pending.delete(reply.id);
    if (w.pending.size === 0) thread.unref();
    if ('error' in reply) p.reject(new Error(`QR page: ${reply.error}`));
    else p.resolve(Buffer.from(reply.stream.buffer, reply.stream.byteOffset, reply.stream.byteLength));
    feedWorker();
  });
  // A worker that dies fails its pages and is forgotten; the next page starts another.
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const p of w.pending.values()) p.reject(err);
    w.pending.clear();
  };
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`QR worker exited with code ${code}`)));
  return w;
}

/**
 * Compiled (npm start runs dist/), the worker runs qr-worker.js. Run from source under
 * tsx (tests, development), the worker's TypeScript (qr-worker.ts, qr-page.ts, qr.ts and
 * the qrcode library) is bundled into one script of plain JavaScript with esbuild, and
 * the worker runs that: a worker that registered tsx instead would load its own
 * compiler and module graph, ≈ 15 MB more for the process. Bundled once per process
 * (~60 ms), off this thread.
 */
async function spawn(): Promise<Worker> {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./qr-worker.js', here));
  bundled ??= bundleWorker(fileURLToPath(new URL('./qr-worker.ts', here)));
  return new Worker(await bundled, { eval: true });
}

let bundled: Promise<string> | null = null;

async function bundleWorker(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}
