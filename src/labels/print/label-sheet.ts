import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { mayUseOcopMark } from '../../registry/certifications/certification-status.js';
import { qrPageResult, queueQrPage, type QrPageTask } from './qr-workers.js';
import { drained } from './drained.js';

/**
 * The print sheet of a label run: A4 portrait, 3 columns × 8 rows of 64 × 34 mm
 * labels (24 per page) with cut marks in the margins. Each label: the QR code as
 * a sharp 1-bit stencil mask (30 mm square with its quiet zone), the product name, the star
 * badge, the lot and the serial. Written page by page to a stream: a 100,000-label
 * run never sits in memory. Layout is documented in docs/label-format.md.
 */
const MM = 72 / 25.4;
export const SHEET = {
  columns: 3,
  rows: 8,
  labelWidthMm: 64,
  labelHeightMm: 34,
  marginXMm: 9, // (210 − 3 × 64) / 2
  marginYMm: 12.5, // (297 − 8 × 34) / 2
  paddingMm: 2,
  qrMm: 30,
} as const;
export const LABELS_PER_PAGE = SHEET.columns * SHEET.rows;

export type SheetLabel = { serial: string; url: string; stars: number };
export type SheetHeader = { productName: string; lot: string; title: string };

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { sans: Buffer; bold: Buffer; mono: Buffer } | null = null;
/** Read once per process; pdfkit's built-in Helvetica has no glyphs for ệ, ư, ơ… */
function loadFonts() {
  fonts ??= {
    sans: fs.readFileSync(path.join(fontDir, 'DejaVuSans.ttf')),
    bold: fs.readFileSync(path.join(fontDir, 'DejaVuSans-Bold.ttf')),
    mono: fs.readFileSync(path.join(fontDir, 'DejaVuSansMono.ttf')),
  };
  return fonts;
}

/**
 * Streams the sheet into `out`, pausing while `out` is full. Resolves when the PDF is
 * complete, or early (without error) when `out` is closed by the client.
 */
export async function writeLabelSheet(out: Writable, header: SheetHeader, labels: AsyncIterable<SheetLabel>): Promise<void> {
  const f = loadFonts();
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: header.title, Creator: 'ocop-trace' } });
  doc.registerFont('sans', f.sans);
  doc.registerFont('bold', f.bold);
  doc.registerFont('mono', f.mono);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('close', resolve);
    out.once('error', reject);
  });
  doc.pipe(out);

  const nameLines = wrapName(doc, header.productName);
  // A pipeline of pages: a worker thread builds the QR codes of the next few pages while
  // this thread lays out the text of the current one (and builds queued pages' codes
  // itself rather than wait), so two cores share a big run.
  // The look-ahead is bounded: the sheet stays a stream, whatever the run's size.
  const ahead: PreparedPage[] = [];
  let pages = 0;
  const drawNext = async () => {
    const { labels: onPage, qrForm } = ahead.shift()!;
    const form = await qrPageResult(qrForm);
    if (pages > 0) {
      await drained(out);
      doc.addPage();
    }
    drawCutMarks(doc);
    placeQrForm(doc, form);
    onPage.forEach((label, slot) => drawLabelText(doc, slot, label, header.lot, nameLines));
    forgetSerialLayouts(doc);
    pages++;
  };
  const queuePage = async (onPage: SheetLabel[]) => {
    ahead.push(preparePage(onPage));
    if (ahead.length > PAGES_AHEAD) await drawNext();
  };

  let batch: SheetLabel[] = [];
  for await (const label of labels) {
    if (out.destroyed) break;
    batch.push(label);
    if (batch.length === LABELS_PER_PAGE) {
      await queuePage(batch);
      batch = [];
    }
  }
  if (batch.length > 0 && !out.destroyed) await queuePage(batch);
  while (ahead.length > 0 && !out.destroyed) await drawNext();
  if (pages === 0) drawCutMarks(doc); // a run without printable labels: one empty sheet
  doc.end();
  await done;
}

/**
 * pdfkit caches the glyph layout of every word it has drawn, per font, for the life of
 * the document; serials never repeat, so on a 100,000-label sheet that cache alone
 * would grow by hundreds of megabytes. The monospaced font draws only lots and
 * serials: start its cache afresh on every page.
 */
function forgetSerialLayouts(doc: PDFKit.PDFDocument): void {
  doc.font('mono');
  // pdfkit exposes no API for this; _font is the current font object, layoutCache its word cache.
  const font = (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> | null } })._font;
  if (font?.layoutCache) font.layoutCache = Object.create(null) as Record<string, unknown>;
}

type PreparedPage = { labels: SheetLabel[]; qrForm: QrPageTask };

/** Pages whose QR codes are being built while the current one is written (~20 kB each). */
const PAGES_AHEAD = 4;

const slotOrigin = (slot: number) => ({
  x: (SHEET.marginXMm + (slot % SHEET.columns) * SHEET.labelWidthMm) * MM,
  y: (SHEET.marginYMm + Math.floor(slot / SHEET.columns) * SHEET.labelHeightMm) * MM,
});

/** Queues the page's QR codes (stencil masks, compressed) for the worker or this thread. */
function preparePage(labels: SheetLabel[]): PreparedPage {
  const pad = SHEET.paddingMm * MM;
  const origins = labels.map((_, slot): [number, number] => {
    const { x, y } = slotOrigin(slot);
    return [x + pad, y + pad];
  });
  const qrForm = queueQrPage({ urls: labels.map((l) => l.url), origins, side: SHEET.qrMm * MM });
  return { labels, qrForm };
}

/**
 * Places the compressed QR codes as a form XObject over the whole page. Its space is
 * the page's as pdfkit sets it up (origin top left, y down), like everything else here.
 */
function placeQrForm(doc: PDFKit.PDFDocument, compressed: Buffer): void {
  // Filter given: pdfkit writes the stream as it is instead of compressing it again.
  const form = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [0, 0, doc.page.width, doc.page.height], Filter: 'FlateDecode' });
  form.end(compressed);
  doc.page.xobjects.QrCodes = form;
  doc.addContent('q /QrCodes Do Q');
}

function drawLabelText(doc: PDFKit.PDFDocument, slot: number, label: SheetLabel, lot: string, nameLines: string[]): void {
  const { x, y } = slotOrigin(slot);
  const pad = SHEET.paddingMm * MM;
  const tx = x + pad + SHEET.qrMm * MM + pad;
  const tw = x + SHEET.labelWidthMm * MM - pad - tx;
  let ty = y + pad + 0.5;
  doc.font('bold').fontSize(6.5).fillColor('black');
  for (const line of nameLines) {
    doc.text(line, tx, ty, { lineBreak: false, width: tw });
    ty += 8;
  }
  drawStarBadge(doc, tx, y + 13.5 * MM, label.stars);
  doc.font('sans').fontSize(5.5).fillColor('black');
  doc.text('Lô / Lot:', tx, y + 19.5 * MM, { lineBreak: false });
  doc.text('Số sê-ri / Serial:', tx, y + 25 * MM, { lineBreak: false });
  // Lot and serial in a monospaced face: people read them out and type them in.
  doc.font('mono').fontSize(6.5).text(lot, tx, y + 21.7 * MM, { lineBreak: false });
  doc.fontSize(7).text(label.serial, tx, y + 27.2 * MM, { lineBreak: false });
}

/** Five-pointed star of outer radius 1 centred at 0,0 (point up). */
const STAR = Array.from({ length: 10 }, (_, i) => {
  const a = -Math.PI / 2 + (i * Math.PI) / 5;
  const r = i % 2 === 0 ? 1 : 0.4;
  return [r * Math.cos(a), r * Math.sin(a)] as const;
});

/**
 * 3★ and up: the OCOP mark (a red "OCOP" tag) followed by the stars. 1–2★: the stars
 * alone, because the mark may only be used from 3★.
 */
function drawStarBadge(doc: PDFKit.PDFDocument, x: number, y: number, stars: number): void {
  let sx = x;
  const h = 4.2 * MM;
  if (mayUseOcopMark(stars)) {
    const w = 9 * MM;
    doc.roundedRect(x, y, w, h, 1.5).fill('#c8102e');
    doc.font('bold').fontSize(6.5).fillColor('white').text('OCOP', x, y + 2.4, { width: w, align: 'center', lineBreak: false });
    sx = x + w + 1.2 * MM;
  }
  const radius = 1.7 * MM;
  for (let i = 0; i < stars; i++) {
    const cx = sx + radius + i * (2 * radius + 0.5 * MM);
    const cy = y + h / 2;
    doc.polygon(...STAR.map(([px, py]) => [cx + px * radius, cy + py * radius]));
  }
  doc.fill('#e0a800');
}

/** Cut marks: short lines in the margins on every column and row boundary. */
function drawCutMarks(doc: PDFKit.PDFDocument): void {
  const left = SHEET.marginXMm * MM;
  const top = SHEET.marginYMm * MM;
  const right = left + SHEET.columns * SHEET.labelWidthMm * MM;
  const bottom = top + SHEET.rows * SHEET.labelHeightMm * MM;
  const gap = 1.5 * MM;
  const len = 5 * MM;
  doc.save().lineWidth(0.25).strokeColor('#555555');
  for (let c = 0; c <= SHEET.columns; c++) {
    const x = left + c * SHEET.labelWidthMm * MM;
    doc.moveTo(x, top - gap - len).lineTo(x, top - gap);
    doc.moveTo(x, bottom + gap).lineTo(x, bottom + gap + len);
  }
  for (let r = 0; r <= SHEET.rows; r++) {
    const y = top + r * SHEET.labelHeightMm * MM;
    doc.moveTo(left - gap - Math.min(len, left - gap - 1), y).lineTo(left - gap, y);
    doc.moveTo(right + gap, y).lineTo(right + gap + Math.min(len, left - gap - 1), y);
  }
  doc.stroke().restore();
}

/**
 * The product name in at most three lines of the text column, cut with an ellipsis;
 * computed once per sheet (every label of a run has the same product).
 */
function wrapName(doc: PDFKit.PDFDocument, name: string): string[] {
  const width = (SHEET.labelWidthMm - SHEET.qrMm - 3 * SHEET.paddingMm) * MM;
  doc.font('bold').fontSize(6.5);
  const fits = (s: string) => doc.widthOfString(s) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of name.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (fits(next)) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
  }
  if (line) lines.push(line);
  if (lines.length <= 3) return lines;
  let last = `${lines[2]} ${lines[3]}`;
  while (last.length > 1 && !fits(`${last}…`)) last = last.slice(0, -1);
  return [lines[0]!, lines[1]!, `${last.trimEnd()}…`];
}
