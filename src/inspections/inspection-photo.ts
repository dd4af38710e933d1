import sharp, { type Metadata } from 'sharp';
import { AppError } from '../errors/app-error.js';
import { reencodeImage, type Encoded } from '../images.js';

/** What a phone camera or the scan page sends (the page converts anything else before upload). */
const ACCEPTED: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp']);
const MAX_SIDE = 1600;
/** 40 megapixels: more than any phone camera takes; a bigger canvas is refused before it is decoded. */
export const MAX_PHOTO_PIXELS = 40_000_000;

/**
 * An inspection photo, re-encoded: upright, at most 1600 px a side, JPEG, no metadata
 * (sharp writes none unless asked), so the phone's camera details and any position the
 * inspector did not choose to record stay out. The type is read from the bytes.
 */
export async function reencodeInspectionPhoto(input: Buffer): Promise<Encoded> {
  // No pixel limit on reading the header: the size is what this step is there to check.
  const meta: Metadata | null = await sharp(input, { limitInputPixels: false }).metadata().catch(() => null);
  if (!meta?.format || !ACCEPTED.has(meta.format)) {
    throw new AppError('inspection/photo_unreadable', `The photo is not a readable JPEG, PNG or WebP image (read as ${meta?.format ?? 'nothing'}).`);
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > MAX_PHOTO_PIXELS) {
    throw new AppError('inspection/photo_too_large', `The photo is ${meta.width}×${meta.height} pixels; at most ${MAX_PHOTO_PIXELS / 1_000_000} megapixels are accepted.`);
  }
  const encoded = await reencodeImage(input, MAX_PHOTO_PIXELS, { width: MAX_SIDE, height: MAX_SIDE, fit: 'inside' }, (image) => image.jpeg({ quality: 80, mozjpeg: true }));
  if (!encoded) throw new AppError('inspection/photo_unreadable', 'The photo could not be decoded (damaged or truncated).');
  return encoded;
}
