import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecoderName, Pixels } from './photo-decoders.js';
import type { DecodeReply, DecodeRequest } from './photo-decode-worker.js';

/**
 * The QR decoders off the event loop: one worker thread (the machine's other core is
 * the service's), one photo decoding at a time, the others waiting in order. Each
 * decode has a deadline; a worker past it is terminated (the only way to stop a
 * WebAssembly or jsQR loop) and the next photo starts a fresh one. The worker starts on
 * first use and holds the process open only while it has work. Bundled from source
 * under tsx as src/labels/print/qr-workers.ts does; the decoders' packages stay outside
 * the bundle (jsqr, and zxing-wasm, which reads its WebAssembly file from its package).
 */
export class DecodeTimeout extends Error {}

type Job = { decoder: DecoderName; pixels: Pixels; deadline: number; resolve: (texts: string[]) => void; reject: (err: Error) => void };

let worker: Worker | null = null;
let busy: Job | null = null;
const waiting: Job[] = [];
let nextId = 0;

/** Texts of the QR codes found, or DecodeTimeout when the decode is not done by `deadline` (ms since 1970). */
export function decodeOffThread(decoder: DecoderName, pixels: Pixels, deadline: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    waiting.push({ decoder, pixels, deadline, resolve, reject });
    void runNext();
  });
}

/** Photos waiting for the worker (the route refuses more than a few: see photo-decode.service.ts). */
export const queuedDecodes = () => waiting.length + (busy ? 1 : 0);

async function runNext(): Promise<void> {
  if (busy || waiting.length === 0) return;
  const job = waiting.shift()!;
  busy = job;
  const finish = (fn: () => void) => {
    clearTimeout(timer);
    if (busy !== job) return;
    busy = null;
    fn();
    void runNext();
  };
  const remaining = job.deadline - Date.now();
  const timer = setTimeout(() => {
    const w = worker;
    worker = null; // the next photo starts a fresh worker
    void w?.terminate();
    finish(() => job.reject(new DecodeTimeout('decoding took longer than its time limit')));
  }, Math.max(0, remaining));
  try {
    const w = worker ?? (worker = await spawn());
    if (busy !== job) return; // its time ran out while the worker started
    const id = nextId++;
    const onMessage = (reply: DecodeReply) => {
      if (reply.id !== id) return;
      w.off('message', onMessage);
      w.unref();
      finish(() => ('error' in reply ? job.reject(new Error(`photo decode: ${reply.error}`)) : job.resolve(reply.texts)));
    };
    w.on('message', onMessage);
    w.ref();
    const { width, height } = job.pixels;
    // Transferred, not copied, when the pixels own their whole buffer (sharp's output does); a view into a shared one is copied.
    const own = job.pixels.data.byteOffset === 0 && job.pixels.data.byteLength === job.pixels.data.buffer.byteLength;
    const data = own ? job.pixels.data : job.pixels.data.slice();
    w.postMessage({ id, decoder: job.decoder, width, height, data } satisfies DecodeRequest, [data.buffer as ArrayBuffer]);
  } catch (err) {
    finish(() => job.reject(err instanceof Error ? err : new Error(String(err))));
  }
}

async function spawn(): Promise<Worker> {
  const here = import.meta.url;
  const thread = here.endsWith('.ts') ? new Worker(await bundled(fileURLToPath(new URL('./photo-decode-worker.ts', here))), { eval: true }) : new Worker(new URL('./photo-decode-worker.js', here));
  thread.unref();
  // A worker that dies fails the photo it had and is forgotten; the next photo starts another.
  const fail = (err: Error) => {
    if (worker === thread) worker = null;
    const job = busy;
    if (job) {
      busy = null;
      job.reject(err);
      void runNext();
    }
  };
  thread.on('error', fail);
  thread.on('exit', (code) => {
    if (worker === thread) fail(new Error(`photo decode worker exited with code ${code}`));
  });
  return thread;
}

let bundle: Promise<string> | null = null;

function bundled(entry: string): Promise<string> {
  bundle ??= import('esbuild').then(async (esbuild) => {
    const out = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent', external: ['jsqr', 'zxing-wasm', 'zxing-wasm/*'] });
    return out.outputFiles[0]!.text;
  });
  return bundle;
}
