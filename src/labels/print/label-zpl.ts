import path from 'node:path';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { drained } from './drained.js';
import { badgeGeometry, layoutFace, type FaceLayout } from './label-face.js';
import { measureText, STAR, type SheetHeader, type SheetLabel } from './label-sheet.js';
import type { PdfLayout } from './label-layout.js';
import type { ZplDpmm } from './print.schema.js';
import { QR_QUIET_ZONE, qrMatrix } from './qr.js';
import { mayUseOcopMark } from '../../registry/certifications/certification-status.js';

/**
 * A run's labels as ZPL II, for Zebra-class thermal printers: one ^XA…^XZ format per
 * label of the roll size, in the printer's dots. Everything on the label is a 1-bit
 * graphic made here, nothing is left to the printer's fonts or barcode firmware:
 * - the run's text (label-face.ts, in DejaVu like the PDFs, Vietnamese included, which
 *   the printers' built-in fonts do not have) is downloaded once into the printer's
 *   memory (~DG to R:) and recalled on every label (^XG), then deleted at the end (^ID);
 * - each label's QR code is a ^GF graphic of the very symbol the other outputs print
 *   (qr.ts), a whole number of dots per module, so every module is the same width;
 * - each label's serial is a small ^GF graphic too (monospaced DejaVu), and a ^FX
 *   comment names it for whoever reads the file.
 * Graphic data uses ZPL's ASCII hex compression (repeat counts, "," "!" and ":"),
 * which every ZPL II printer reads. See docs/label-format.md §7.2.
 */
export type ZplOptions = {
  layout: PdfLayout;
  dpmm: ZplDpmm;
  /** Seven characters: graphics are stored as R:{prefix}{n}.GRF. */
  graphicPrefix: string;
};

/** A 1-bit image: `rowBytes` bytes per row, bit 7 of a byte the leftmost dot, 1 = black. */
export type Bitmap = { width: number; height: number; rowBytes: number; data: Uint8Array };

import type * as CanvasModule from '@napi-rs/canvas';
import type { Canvas as SkiaCanvas, SKRSContext2D as Ctx } from '@napi-rs/canvas';

type Canvas = typeof CanvasModule;

let canvasLib: Promise<Canvas> | null = null;
/** The canvas library (Skia) with the label fonts, loaded on first use only. */
function canvas(): Promise<Canvas> {
  canvasLib ??= import('@napi-rs/canvas').then((lib) => {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    lib.GlobalFonts.registerFromPath(path.join(dir, 'DejaVuSans.ttf'), 'OcopLabelSans');
    lib.GlobalFonts.registerFromPath(path.join(dir, 'DejaVuSans-Bold.ttf'), 'OcopLabelBold');
    lib.GlobalFonts.registerFromPath(path.join(dir, 'DejaVuSansMono.ttf'), 'OcopLabelMono');
    return lib;
  });
  return canvasLib;
}
const FAMILY = { sans: 'OcopLabelSans', bold: 'OcopLabelBold', mono: 'OcopLabelMono' } as const;

export async function writeLabelZpl(out: Writable, header: SheetHeader, labels: AsyncIterable<SheetLabel>, opts: ZplOptions): Promise<void> {
  const lib = await canvas();
  const scale = (opts.dpmm * 25.4) / 72; // dots per point
  const dot = (pt: number) => Math.round(pt * scale);
  const { label } = opts.layout;
  const width = dot(label.width);
  const height = dot(label.height);
  const column = { x: dot(label.column.x), y: dot(label.column.y), width: dot(label.column.width), height: dot(label.column.height) };
  const qrBox = { x: dot(label.qr.x), y: dot(label.qr.y), side: Math.floor(label.qr.side * scale) };

  // One canvas for the run's text, one for serials: drawn in points, scaled to dots.
  const faceCanvas = lib.createCanvas(column.width, column.height);
  const faceCtx = faceCanvas.getContext('2d');
  let serialCanvas: { canvas: SkiaCanvas; box: { x: number; y: number; width: number; height: number }; baseline: number } | null = null;

  const faces = new Map<string, { name: string; face: FaceLayout }>();
  const done: string[] = [];
  let text = '';
  const flush = async (force = false) => {
    if (!force && text.length < 64 * 1024) return;
    if (!out.write(text)) await drained(out);
    text = '';
  };

  for await (const l of labels) {
    if (out.destroyed) return;
    const key = `${l.stars}|${l.validUntil}|${l.serial.length}`;
    let entry = faces.get(key);
    if (!entry) {
      const face = layoutFace(label.column, { ...header, stars: l.stars, validUntil: l.validUntil, serialLength: l.serial.length }, header.lang, measureText);
      if (!face) throw new Error(`the text of the labels does not fit a label of ${label.width} × ${label.height} pt`);
      entry = { name: `R:${opts.graphicPrefix}${faces.size.toString(36).toUpperCase()}.GRF`, face };
      faces.set(key, entry);
      done.push(entry.name);
      text += `~DG${entry.name},${downloadGraphic(drawFace(faceCtx, face, scale, label.column))}\n`;
      const s = face.serial;
      // The serial's box: its line in the column, from above the tallest glyph to below the deepest.
      const top = Math.floor((s.y - s.size) * scale);
      const box = { x: dot(s.x), y: top, width: column.x + column.width - dot(s.x), height: Math.ceil((s.y + 0.3 * s.size) * scale) - top };
      serialCanvas = { canvas: lib.createCanvas(box.width, box.height), box, baseline: s.y * scale - top };
    }
    const serial = serialCanvas!;
    const qr = qrBitmap(l.url, qrBox.side);
    const serialBitmap = drawSerial(serial.canvas.getContext('2d'), l.serial, entry.face.serial.size * scale, serial.baseline);
    text +=
      `^XA^FX label ${l.serial}\n^PW${width}^LL${height}^LH0,0\n` +
      `^FO${column.x},${column.y}^XG${entry.name},1,1^FS\n` +
      `^FO${qrBox.x + qr.offset},${qrBox.y + qr.offset}^GFA,${graphicField(qr.bitmap)}^FS\n` +
      `^FO${serial.box.x},${serial.box.y}^GFA,${graphicField(serialBitmap)}^FS\n^XZ\n`;
    await flush();
  }
  // Free the printer's memory of the run's graphics.
  for (const name of done) text += `^XA^ID${name}^FS^XZ\n`;
  out.end(text);
  await new Promise<void>((resolve) => {
    if (out.writableFinished || out.destroyed) resolve();
    else {
      out.once('finish', resolve);
      out.once('close', resolve);
    }
  });
}

/**
 * The label's QR symbol at the largest whole number of dots per module that leaves its
 * quiet zone within `side` dots, and where it starts in that square.
 */
export function qrBitmap(url: string, side: number): { bitmap: Bitmap; offset: number; dotsPerModule: number } {
  const { size, data } = qrMatrix(url);
  const m = Math.floor(side / (size + 2 * QR_QUIET_ZONE));
  if (m < 1) throw new RangeError(`${side} dots cannot hold a QR code of ${size} modules`);
  const w = size * m;
  const rowBytes = Math.ceil(w / 8);
  const bits = new Uint8Array(rowBytes * w);
  for (let y = 0; y < w; y++) {
    const row = ((y / m) | 0) * size;
    for (let x = 0; x < w; x++) if (data[row + ((x / m) | 0)]) bits[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  return { bitmap: { width: w, height: w, rowBytes, data: bits }, offset: Math.floor((side - w) / 2), dotsPerModule: m };
}

/** Draws the run's text on the column's canvas (in points scaled to dots) and reads it back as 1 bit. */
function drawFace(ctx: Ctx, face: FaceLayout, scale: number, column: { x: number; y: number }): Bitmap {
  const { width, height } = ctx.canvas;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);
  ctx.setTransform(scale, 0, 0, scale, -column.x * scale, -column.y * scale);
  ctx.fillStyle = 'black';
  ctx.textBaseline = 'alphabetic';
  for (const op of face.ops) {
    if (op.kind === 'text') {
      ctx.font = `${op.size}px ${FAMILY[op.font]}`;
      ctx.fillText(op.text, op.x, op.y);
      continue;
    }
    // The badge in black: thermal labels have one colour. The OCOP tag is reversed (white letters).
    const ocop = mayUseOcopMark(op.stars);
    const g = badgeGeometry(op.stars, ocop, op.height);
    if (ocop) {
      ctx.beginPath();
      ctx.roundRect(op.x, op.y, g.tagWidth, op.height, op.height * 0.13);
      ctx.fill();
      ctx.fillStyle = 'white';
      ctx.font = `${op.height * 0.55}px ${FAMILY.bold}`;
      ctx.textAlign = 'center';
      ctx.fillText('OCOP', op.x + g.tagWidth / 2, op.y + op.height * 0.7);
      ctx.textAlign = 'left';
      ctx.fillStyle = 'black';
    }
    const sx = op.x + g.tagWidth + g.gap;
    for (let i = 0; i < op.stars; i++) {
      const cx = sx + g.radius + i * g.pitch;
      const cy = op.y + op.height / 2;
      ctx.beginPath();
      STAR.forEach(([px, py], k) => (k === 0 ? ctx.moveTo(cx + px * g.radius, cy + py * g.radius) : ctx.lineTo(cx + px * g.radius, cy + py * g.radius)));
      ctx.closePath();
      ctx.fill();
    }
  }
  return threshold(ctx);
}

function drawSerial(ctx: Ctx, serial: string, px: number, baseline: number): Bitmap {
  const { width, height } = ctx.canvas;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = 'black';
  ctx.textBaseline = 'alphabetic';
  ctx.font = `${px}px ${FAMILY.mono}`;
  ctx.fillText(serial, 0, baseline);
  return threshold(ctx);
}

/** Dots darker than mid-grey are printed. */
function threshold(ctx: Ctx): Bitmap {
  const { width, height } = ctx.canvas;
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const rowBytes = Math.ceil(width / 8);
  const data = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (rgba[i]! * 0.299 + rgba[i + 1]! * 0.587 + rgba[i + 2]! * 0.114 < 170) data[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { width, height, rowBytes, data };
}

/** `^GFA,` parameters and data: total bytes, field bytes, bytes per row, compressed hex. */
function graphicField(b: Bitmap): string {
  const total = b.rowBytes * b.height;
  return `${total},${total},${b.rowBytes},${compressZplHex(b)}`;
}

/** `~DG` parameters after the name: total bytes, bytes per row, compressed hex. */
function downloadGraphic(b: Bitmap): string {
  return `${b.rowBytes * b.height},${b.rowBytes},${compressZplHex(b)}`;
}

const HEX = '0123456789ABCDEF';

/**
 * ZPL's ASCII hex compression: per row, a row equal to the one before is ":"; a run of
 * one hex digit is written as a repeat count (G–Y = 1–19, g–z = 20–400) before the
 * digit; zeros (or F's) to the end of the row, from a whole byte, are "," (or "!").
 */
export function compressZplHex(b: Bitmap): string {
  let out = '';
  let previous: string | null = null;
  for (let y = 0; y < b.height; y++) {
    let hex = '';
    for (let i = 0; i < b.rowBytes; i++) {
      const byte = b.data[y * b.rowBytes + i]!;
      hex += HEX[byte >> 4]! + HEX[byte & 15]!;
    }
    if (hex === previous) {
      out += ':';
      continue;
    }
    previous = hex;
    let i = 0;
    while (i < hex.length) {
      const c = hex[i]!;
      let j = i;
      while (j < hex.length && hex[j] === c) j++;
      if (j === hex.length && i % 2 === 0 && (c === '0' || c === 'F')) {
        out += c === '0' ? ',' : '!';
        break;
      }
      out += j - i > 1 ? repeatCount(j - i) + c : c;
      i = j;
    }
  }
  return out;
}

/** A repeat count in ZPL's letters: z = 400, g–y = 20–380 in twenties, G–Y = 1–19. */
export function repeatCount(n: number): string {
  let s = 'z'.repeat(Math.floor(n / 400));
  n %= 400;
  if (n >= 20) s += String.fromCharCode('g'.charCodeAt(0) + Math.floor(n / 20) - 1);
  n %= 20;
  if (n > 0) s += String.fromCharCode('G'.charCodeAt(0) + n - 1);
  return s;
}
