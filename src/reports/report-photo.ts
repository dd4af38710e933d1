import { AppError } from '../errors/app-error.js';
import { imageFormat, reencodeImage, type Encoded } from '../images.js';

/** What a phone camera sends; anything else is refused before it is decoded further. */
const ACCEPTED: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'heif']);
const MAX_SIDE = 1600;
const MAX_INPUT_PIXELS = 50_000_000;

export type ReportPhoto = Encoded;

/**
 * A reporter's photo, re-encoded: upright, at most 1600 px a side, JPEG, with no
 * metadata, so a phone's GPS position and camera details never reach the office. The
 * type is read from the bytes, not the file name.
 */
export async function reencodePhoto(input: Buffer): Promise<ReportPhoto> {
  const format = await imageFormat(input, MAX_INPUT_PIXELS);
  const encoded = format && ACCEPTED.has(format)
    ? await reencodeImage(input, MAX_INPUT_PIXELS, { width: MAX_SIDE, height: MAX_SIDE, fit: 'inside' }, (image) => image.jpeg({ quality: 80, mozjpeg: true }))
    : null;
  if (!encoded) throw new AppError('report/photo_unreadable', `The photo is not a readable JPEG, PNG, WebP or HEIC image (read as ${format ?? 'nothing'}).`);
  return encoded;
}
