import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
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
const POOL_SIZE = 1;
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

const pool: PoolWorker[] = [];
/** Queued pages nobody has started, oldest first: the worker takes from the front. */
const queue: QrPageTask[] = [];
let nextId = 0;

/** The page's compressed QR content stream, built on a worker thread. */
export function qrPageStreamOffThread(job: QrPageJob): Promise<Buffer> {
  return sendToWorker(pickWorker(), job);
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

/** Hands queued pages to the worker while it has room for them. */
function feedWorker(): void {
  while (queue.length > 0) {
    const w = pickWorker();
    if (w.pending.size >= WORKER_IN_FLIGHT) return;
    const task = queue.shift()!;
    sendToWorker(w, task.job).then(task.resolve, task.reject);
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

/** The least busy worker, starting one while the pool is not full. */
function pickWorker(): PoolWorker {
  let best = pool[0];
  for (const w of pool) if (w.pending.size < best!.pending.size) best = w;
  if (best && (best.pending.size === 0 || pool.length >= POOL_SIZE)) return best;
  const started = startWorker();
  pool.push(started);
  return started;
}

function startWorker(): PoolWorker {
  const w: PoolWorker = { worker: spawn(), pending: new Map() };
  w.worker.unref();
  w.worker.on('message', (reply: QrWorkerReply) => {
    const p = w.pending.get(reply.id);
    if (!p) return;
    w.pending.delete(reply.id);
    if (w.pending.size === 0) w.worker.unref();
    if ('error' in reply) p.reject(new Error(`QR page: ${reply.error}`));
    else p.resolve(Buffer.from(reply.stream.buffer, reply.stream.byteOffset, reply.stream.byteLength));
    feedWorker();
  });
  // A worker that dies fails its pages and leaves the pool; the next page starts another.
  const fail = (err: Error) => {
    const i = pool.indexOf(w);
    if (i >= 0) pool.splice(i, 1);
    for (const p of w.pending.values()) p.reject(err);
    w.pending.clear();
  };
  w.worker.on('error', fail);
  w.worker.on('exit', (code) => fail(new Error(`QR worker exited with code ${code}`)));
  return w;
}

function spawn(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./qr-worker.js', here));
  // Run from source under tsx: on Node 20, tsx's --import hook registers itself on the
  // main thread only, so the worker registers tsx before importing its TypeScript
  // entry. Found with require (under mocha this module is CommonJS, without
  // import.meta.resolve), which names the CommonJS build; the worker needs the ES one.
  const api = createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const tsx = JSON.stringify(pathToFileURL(api).href);
  const entry = JSON.stringify(new URL('./qr-worker.ts', here).href);
  return new Worker(`import(${tsx}).then((t) => t.register()).then(() => import(${entry}));`, { eval: true });
}
