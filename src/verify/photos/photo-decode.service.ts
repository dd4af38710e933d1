import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../errors/app-error.js';
import { pixelsAt, SERVER_PLAN } from './decode-plan.js';
import { DecodeTimeout, decodeOffThread, queuedDecodes } from './photo-decode-workers.js';
import type { Pixels } from './photo-decoders.js';

/**
 * Reading a label photo on the server, for inspectors whose camera stream fails:
 *
 * 1. The header is read (sharp metadata, no pixels decoded): not an image → 415
 *    `decode/unsupported_image`; more than MAX_PHOTO_PIXELS → 422 `decode/too_many_pixels`.
 * 2. Too many photos already waiting → 503 `decode/busy`, before any work.
 * 3. The photo is tried as SERVER_PLAN says (decode-plan.ts): scaled by sharp on the
 *    thread pool, decoded on the decode worker thread, until a try finds a code. The
 *    whole photo has `timeLimitMs`; past it the worker is terminated → 422 `decode/time_limit`.
 * 4. Nothing found → 422 `decode/no_code_found`.
 *
 * The photo is never stored or logged: it lives in this request's memory only.
 */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTO_PIXELS = 24_000_000;
/** Photos decoding or waiting for the worker at once; more are refused (each takes up to the time limit). */
const MAX_QUEUED = 8;

export type DecodedPhoto = { texts: string[]; width: number; height: number };

export async function decodeLabelPhoto(image: Buffer, opts: { timeLimitMs: number }): Promise<DecodedPhoto> {
  const started = Date.now();
  let meta: Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch {
    throw new AppError('decode/unsupported_image', 'The body is not an image sharp can read (JPEG, PNG, WebP, HEIC).');
  }
  const { width = 0, height = 0 } = meta;
  if (!width || !height) throw new AppError('decode/unsupported_image', 'The image has no size.');
  if (width * height > MAX_PHOTO_PIXELS) {
    throw new AppError('decode/too_many_pixels', `The photo is ${width} × ${height} pixels; at most ${MAX_PHOTO_PIXELS.toLocaleString('en')} are read.`, { width, height, maxPixels: MAX_PHOTO_PIXELS });
  }
  if (queuedDecodes() >= MAX_QUEUED) throw new AppError('decode/busy', 'Too many photos are being read right now.');
  const deadline = started + opts.timeLimitMs;
  for (const step of SERVER_PLAN) {
    // A photo smaller than an earlier try's size was read as it is already.
    if (step !== SERVER_PLAN[0] && step.maxSide !== null && Math.max(width, height) <= (SERVER_PLAN[0]!.maxSide ?? Infinity)) break;
    let pixels: Pixels;
    try {
      pixels = await pixelsAt(image, step.maxSide, MAX_PHOTO_PIXELS);
    } catch {
      throw new AppError('decode/unsupported_image', 'The image is damaged or truncated: its pixels cannot be read.');
    }
    const texts = await decodeOffThread(step.decoder, pixels, deadline).catch((err: unknown) => {
      if (err instanceof DecodeTimeout) throw timeLimit(opts.timeLimitMs);
      throw err;
    });
    if (texts.length > 0) return { texts: [...new Set(texts)], width, height };
    if (Date.now() >= deadline) throw timeLimit(opts.timeLimitMs);
  }
  throw new AppError('decode/no_code_found', 'No QR code was found in the photo.');
}

const timeLimit = (ms: number) => new AppError('decode/time_limit', `Reading the photo took longer than ${ms} ms; the attempt was stopped.`, { timeLimitMs: ms });
