import zlib from 'node:zlib';
import { QR_QUIET_ZONE, qrMatrix } from './qr.js';

/**
 * One page's QR codes as a compressed PDF content stream: per code, a matrix that
 * places it (leaving its quiet zone) and one rectangle per horizontal run of dark
 * modules, filled once. Pure and self-contained, so it runs on a worker thread
 * (src/labels/qr-workers.ts) as well as on the main one; both give the same bytes.
 */
export type QrPageJob = {
  urls: string[];
  /** Top-left corner of each code's square (quiet zone included), in points. */
  origins: [x: number, y: number][];
  /** Side of each code's square, quiet zone included, in points. */
  side: number;
};

export function qrPageStream(job: QrPageJob): Buffer {
  const w = new AsciiWriter();
  w.text('0 g\n');
  job.urls.forEach((url, i) => {
    const { size, data } = qrMatrix(url);
    const module = job.side / (size + 2 * QR_QUIET_ZONE);
    const [x, y] = job.origins[i]!;
    const at = (v: number) => (v + QR_QUIET_ZONE * module).toFixed(3);
    w.text(`q ${module.toFixed(5)} 0 0 ${module.toFixed(5)} ${at(x)} ${at(y)} cm\n`);
    writeRuns(w, data, size);
    w.text('f Q\n');
  });
  return zlib.deflateSync(w.bytes());
}

/**
 * "col row length 1 re" for every run of dark modules, written straight into the
 * buffer: a page has ~20,000 runs, and building them as arrays and strings first made
 * more garbage than the symbols themselves.
 */
function writeRuns(w: AsciiWriter, data: Uint8Array, size: number): void {
  for (let row = 0, i = 0; row < size; row++) {
    let start = -1;
    for (let col = 0; col < size; col++, i++) {
      if (data[i] === 1) {
        if (start < 0) start = col;
      } else if (start >= 0) {
        w.run(start, row, col - start);
        start = -1;
      }
    }
    if (start >= 0) w.run(start, row, size - start);
  }
}

const ONE_RE = Buffer.from(' 1 re\n', 'latin1');

/** A growing byte buffer for ASCII text and small non-negative integers. */
class AsciiWriter {
  private buf = Buffer.allocUnsafe(256 * 1024);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  text(s: string): void {
    this.room(s.length);
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  /** "c r len 1 re\n"; every value is below 1000 (a QR symbol is at most 177 modules). */
  run(c: number, r: number, len: number): void {
    this.room(24);
    this.int(c);
    this.buf[this.at++] = 0x20;
    this.int(r);
    this.buf[this.at++] = 0x20;
    this.int(len);
    for (const byte of ONE_RE) this.buf[this.at++] = byte;
  }

  private int(n: number): void {
    const b = this.buf;
    if (n >= 100) b[this.at++] = 0x30 + ((n / 100) | 0);
    if (n >= 10) b[this.at++] = 0x30 + (((n / 10) | 0) % 10);
    b[this.at++] = 0x30 + (n % 10);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}
