import sharp from 'sharp';
import type { DecoderName, Pixels } from './photo-decoders.js';

/**
 * How a photo is tried: which decoder, on a copy scaled to at most `maxSide` pixels on
 * its long side (null: as taken), in order, until one finds a code. The plan is the
 * one scripts/bench/photo-decode.ts measured best on test/fixtures/label-photos
 * (figures in docs/api.md, "Photo decode").
 */
export type DecodeTry = { decoder: DecoderName; maxSide: number | null };

export const SERVER_PLAN: readonly DecodeTry[] = [
  // Fast, and on the photo set as good as any size: a label fills a good part of a close photo.
  { decoder: 'zxing', maxSide: 1024 },
  // A label far off in a large photo needs the pixels: tried only when the small copy found nothing.
  { decoder: 'zxing', maxSide: 2560 },
];
// jsQR is not in the plan: after zxing it read no photo of the set that zxing had missed
// (see the bench), and costs seconds on a large photo.

/**
 * The photo's pixels, turned upright by its EXIF orientation and scaled down to
 * `maxSide` (never up), as RGBA. sharp decodes on libuv's thread pool, not the event
 * loop; `maxPixels` stops a small file that claims a huge canvas.
 */
export async function pixelsAt(image: Buffer, maxSide: number | null, maxPixels: number): Promise<Pixels> {
  let pipeline = sharp(image, { limitInputPixels: maxPixels }).rotate();
  if (maxSide !== null) pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
