import sharp, { type ResizeOptions, type Sharp } from 'sharp';

/**
 * Uploaded pictures (product photos, report photos) read by content and re-encoded:
 * sharp writes no metadata unless asked, so no camera, place or time leaves the server.
 * A small file can claim a huge canvas: decoding stops past `maxPixels`.
 */
export type Encoded = { data: Buffer; width: number; height: number };

/** The format sharp reads in the bytes (jpeg, png, webp, heif…), or null when it reads none. */
export async function imageFormat(input: Buffer, maxPixels: number): Promise<string | null> {
  try {
    return (await sharp(input, { limitInputPixels: maxPixels }).metadata()).format ?? null;
  } catch {
    return null;
  }
}

/** Turned upright by its orientation, resized, encoded by `encode`; null when the bytes do not decode (damaged, truncated). */
export async function reencodeImage(input: Buffer, maxPixels: number, resize: ResizeOptions, encode: (image: Sharp) => Sharp): Promise<Encoded | null> {
  try {
    const { data, info } = await encode(sharp(input, { limitInputPixels: maxPixels }).rotate().resize({ withoutEnlargement: true, ...resize })).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    return null;
  }
}
