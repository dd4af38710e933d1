import zlib from 'node:zlib';
import { QR_QUIET_ZONE, qrMatrix } from './qr.js';

/**
 * One page's QR codes as a compressed PDF content stream: per code, a matrix that
 * places it (leaving its quiet zone) and the symbol as a 1-bit stencil mask, one sample
 * per module, drawn in the fill colour and never interpolated, so every module prints
 * as a sharp square at any resolution. Each mask is an inline image in hex (ASCIIHex
 * ends at ">", so no binary byte can be mistaken for its end). A page of 24 codes is
 * ≈ 25 kB before compression, where rectangles per run of dark modules were ≈ 300 kB:
 * much less to compress and to print. Pure and self-contained, so it runs on a worker
 * thread (src/labels/qr-workers.ts) as well as on the main one; both give the same bytes.
 */
export type QrPageJob = {
  urls: string[];
  /** Top-left corner of each code's square (quiet zone included), in points. */
  origins: [x: number, y: number][];
  /** Side of each code's square, quiet zone included, in points. */
  side: number;
};

export function qrPageStream(job: QrPageJob): Buffer {
  const chunks: string[] = ['0 g\n'];
  job.urls.forEach((url, i) => {
    const { size, data } = qrMatrix(url);
    const module = job.side / (size + 2 * QR_QUIET_ZONE);
    const [x, y] = job.origins[i]!;
    const left = x + QR_QUIET_ZONE * module;
    const top = y + QR_QUIET_ZONE * module;
    const width = size * module;
    // The page's y axis points down (pdfkit's); an image's first row is drawn at the
    // top of its unit square, so the square is flipped to start from the symbol's bottom.
    chunks.push(`q ${width.toFixed(3)} 0 0 ${(-width).toFixed(3)} ${left.toFixed(3)} ${(top + width).toFixed(3)} cm\n`);
    chunks.push(`BI /IM true /W ${size} /H ${size} /D [1 0] /F /AHx ID\n${maskHex(data, size)}>\nEI Q\n`);
  });
  return zlib.deflateSync(Buffer.from(chunks.join(''), 'latin1'));
}

const HEX = '0123456789abcdef';

/** Dark modules as 1 bits, rows padded to whole bytes (PDF image rows), in hex. */
function maskHex(data: Uint8Array, size: number): string {
  let hex = '';
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col += 8) {
      let byte = 0;
      for (let bit = 0; bit < 8; bit++) byte = (byte << 1) | (col + bit < size ? data[row * size + col + bit]! : 0);
      hex += HEX[byte >> 4]! + HEX[byte & 15]!;
    }
    hex += '\n';
  }
  return hex;
}
