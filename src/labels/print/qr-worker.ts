import { parentPort } from 'node:worker_threads';
import { qrPageStream, type QrPageJob } from './qr-page.js';

/** Worker thread of src/labels/qr-workers.ts: builds pages' QR streams, one message each. */
export type QrWorkerRequest = { id: number; job: QrPageJob };
export type QrWorkerReply = { id: number; stream: Uint8Array } | { id: number; error: string };

parentPort?.on('message', ({ id, job }: QrWorkerRequest) => {
  let reply: QrWorkerReply;
  try {
    reply = { id, stream: qrPageStream(job) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(reply);
});
