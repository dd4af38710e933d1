import { parentPort } from 'node:worker_threads';
import { DECODERS, type DecoderName } from './photo-decoders.js';

/** Worker thread of photo-decode-workers.ts: one decode per message, pixels transferred in. */
export type DecodeRequest = { id: number; decoder: DecoderName; width: number; height: number; data: Uint8ClampedArray };
export type DecodeReply = { id: number; texts: string[] } | { id: number; error: string };

parentPort?.on('message', (job: DecodeRequest) => {
  const pixels = { data: job.data, width: job.width, height: job.height };
  Promise.resolve(DECODERS[job.decoder](pixels)).then(
    (texts) => parentPort!.postMessage({ id: job.id, texts } satisfies DecodeReply),
    (err: unknown) => parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies DecodeReply),
  );
});
