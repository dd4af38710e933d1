import sharp from 'sharp';
import { AppError } from '../errors/app-error.js';

/** What a phone camera sends; anything else is refused before it is decoded further. */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'heif']);
const MAX_SIDE = 1600;

export type ReportPhoto = { data: Buffer; width: number; height: number };

/**
 * A reporter's photo, re-encoded: turned upright, at most 1600 px a side, JPEG, with
 * no metadata (sharp writes none unless asked), so a phone's GPS position and camera
 * details never reach the office. The type is read from the bytes, not the file name.
 */
export async function reencodePhoto(input: Buffer): Promise<ReportPhoto> {
  let format: string | undefined;
  try {
    format = (await sharp(input).metadata()).format;
  } catch {
    format = undefined;
  }
  if (!format || !ACCEPTED.has(format)) {
    throw new AppError('report/photo_unreadable', `The photo is not a JPEG, PNG, WebP or HEIC image (read as ${format ?? 'nothing'}).`);
  }
  const { data, info } = await sharp(input, { limitInputPixels: 50_000_000 })
    .rotate()
    .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
