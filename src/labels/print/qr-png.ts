import { PNG } from 'pngjs';
import { QR_QUIET_ZONE, qrMatrix } from './qr.js';

/** Label QR codes as PNG images (a module of its own: the sheet's worker thread never loads pngjs). */

/**
 * Pixels per module of the smallest PNG offered. Drawn with whole pixels per module,
 * the project's decoder (jsqr) reads every label at 1; 2 is the margin for a viewer
 * or printer that scales the image. (Scaled by fractions of a pixel, as the qrcode
 * library draws a PNG of a given width, modules of uneven widths failed to decode at
 * sizes up to 294 px.) test/unit/labels-qr.test.ts decodes every size from the
 * smallest up.
 */
export const MIN_PNG_MODULE_PX = 2;

/** The smallest `size` of a label's PNG: its modules and quiet zone at MIN_PNG_MODULE_PX. */
export function minPngSize(url: string): { minSize: number; modules: number } {
  const modules = qrMatrix(url).size;
  return { minSize: (modules + 2 * QR_QUIET_ZONE) * MIN_PNG_MODULE_PX, modules };
}

/**
 * A PNG `size` pixels square: the symbol at the largest whole number of pixels per
 * module that leaves its quiet zone, centred; the pixels left over widen the quiet
 * zone. Whole pixels keep every module the same width, which is what decoders need.
 * 8-bit grey, black on white.
 */
export function labelQrPng(url: string, size: number): Buffer {
  const { size: n, data } = qrMatrix(url);
  const px = Math.floor(size / (n + 2 * QR_QUIET_ZONE));
  if (px < 1) throw new RangeError(`a PNG of ${size} px cannot hold ${n} modules and the quiet zone`);
  const offset = Math.floor((size - n * px) / 2);
  const png = new PNG({ width: size, height: size, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const grey = Buffer.alloc(size * size, 255);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!data[row * n + col]) continue;
      for (let y = 0; y < px; y++) grey.fill(0, (offset + row * px + y) * size + offset + col * px, (offset + row * px + y) * size + offset + (col + 1) * px);
    }
  }
  png.data = grey;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}
