import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { QrPageJob } from './qr-page.js';
import type { QrWorkerReply, QrWorkerRequest } from './qr-worker.js';

/**
 * A small process-wide pool of worker threads that build pages' QR streams
 * (src/labels/qr-page.ts), so the PDF writer on the main thread only lays out text
 * while the symbols of the next pages are computed on the other core. Workers start
 * on first use and stay; they hold the process open only while they have work.
 */
const POOL_SIZE = 2;

type Pending = { resolve: (stream: Buffer) => void; reject: (err: Error) => void };
type PoolWorker = { worker: Worker; pending: Map<number, Pending> };

const pool: PoolWorker[] = [];
let nextId = 0;

/** The page's compressed QR content stream, built on a worker thread. */
export function qrPageStreamOffThread(job: QrPageJob): Promise<Buffer> {
  const w = pickWorker();
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
