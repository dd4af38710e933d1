import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { mayUseOcopMark } from '../../registry/certifications/certification-status.js';
import { qrPageResult, queueQrPage, type QrPageTask } from './qr-workers.js';
import { drained } from './drained.js';
import { MM, SHEET, sheetLayout, type LabelGeometry, type PdfLayout } from './label-layout.js';
import { badgeGeometry, layoutFace, type FaceContent, type FaceLayout, type LabelLang, type Measure } from './label-face.js';

/**
 * The PDF print formats of a label run, written page by page to a stream (a
 * 100,000-label run never sits in memory):
 * - the **sheet**: A4 portrait, 3 columns × 8 rows of 64 × 34 mm labels (24 per page)
 *   with cut marks in the margins;
 * - **roll**: one label per page, the page the label's size, for roll and thermal label
 *   printers (their drivers print a PDF page per label).
 * Each label: the QR code as a sharp 1-bit stencil mask (its quiet zone included) and,
 * beside it, the run's text (label-face.ts): product, producer, star badge, validity,
 * lot, serial, "scan to verify". Layout is documented in docs/label-format.md §7.
 */
export type SheetLabel = { serial: string; url: string; stars: number; validUntil: string };
/** What every label of the run prints, and the document's title. */
export type SheetHeader = { title: string; lang: LabelLang } & Pick<FaceContent, 'productName' | 'producerName' | 'lot'>;

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
let fonts: { sans: Buffer; bold: Buffer; mono: Buffer } | null = null;
/** Read once per process; pdfkit's built-in Helvetica has no glyphs for ệ, ư, ơ… */
export function loadFonts() {
  fonts ??= {
    sans: fs.readFileSync(path.join(fontDir, 'DejaVuSans.ttf')),
    bold: fs.readFileSync(path.join(fontDir, 'DejaVuSans-Bold.ttf')),
    mono: fs.readFileSync(path.join(fontDir, 'DejaVuSansMono.ttf')),
  };
  return fonts;
}

function withFonts(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  const f = loadFonts();
  doc.registerFont('sans', f.sans);
  doc.registerFont('bold', f.bold);
  doc.registerFont('mono', f.mono);
  return doc;
}

let measuringDoc: PDFKit.PDFDocument | null = null;
/** Advance widths from the embedded fonts, as pdfkit lays them out (kept for the process). */
export const measureText: Measure = (text, font, size) => {
  measuringDoc ??= withFonts(new PDFDocument({ autoFirstPage: false }));
  return measuringDoc.font(font).fontSize(size).widthOfString(text);
};

/**
 * The face of the run's labels on `label`, or null when its text does not fit even at
 * the smallest type. Checked before anything is written with the widest of what varies
 * between runs of a product: five stars, every month's date, a 20-character serial.
 */
export function faceFits(label: LabelGeometry, header: SheetHeader): boolean {
  return Array.from({ length: 12 }, (_, m) => `28${String(m + 1).padStart(2, '0')}28`).every(
    (validUntil) => layoutFace(label.column, { ...header, stars: 5, validUntil, serialLength: 20 }, header.lang, measureText) !== null,
  );
}

/**
 * Streams the labels into `out` in `layout`, pausing while `out` is full. Resolves when
 * the PDF is complete, or early (without error) when `out` is closed by the client.
 * The caller has checked faceFits.
 */
export async function writeLabelPdf(out: Writable, header: SheetHeader, labels: AsyncIterable<SheetLabel>, layout: PdfLayout): Promise<void> {
  const doc = withFonts(new PDFDocument({ size: layout.page, margin: 0, info: { Title: header.title, Creator: 'ocop-trace' } }));
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('close', resolve);
    out.once('error', reject);
  });
  doc.pipe(out);

  // Every label of a run has the same stars and validity; laid out once for each seen.
  const faces = new Map<string, FaceLayout>();
  const faceOf = (l: SheetLabel): FaceLayout => {
    const key = `${l.stars}|${l.validUntil}|${l.serial.length}`;
    const known = faces.get(key);
    if (known) return known;
    const content = { ...header, stars: l.stars, validUntil: l.validUntil, serialLength: l.serial.length };
    const face = layoutFace(layout.label.column, content, header.lang, measureText);
    if (!face) throw new Error(`the text of the labels does not fit a label of ${layout.label.width} × ${layout.label.height} pt`);
    faces.set(key, face);
    return face;
  };

  // A pipeline of pages: a worker thread builds the QR codes of the next few pages while
  // this thread lays out the text of the current one (and builds queued pages' codes
  // itself rather than wait), so two cores share a big run.
  // The look-ahead is bounded: the PDF stays a stream, whatever the run's size.
  const ahead: PreparedPage[] = [];
  let pages = 0;
  const drawNext = async () => {
    const { labels: onPage, qrForm } = ahead.shift()!;
    const form = await qrPageResult(qrForm);
    if (pages > 0) {
      await drained(out);
      doc.addPage({ size: layout.page, margin: 0 });
    }
    if (layout.kind === 'sheet') drawCutMarks(doc);
    placeQrForm(doc, form);
    onPage.forEach((label, slot) => drawLabelText(doc, layout.origin(slot), faceOf(label), label.serial));
    forgetSerialLayouts(doc);
    pages++;
  };
  const queuePage = async (onPage: SheetLabel[]) => {
    ahead.push(preparePage(onPage, layout));
    if (ahead.length > PAGES_AHEAD) await drawNext();
  };

  let batch: SheetLabel[] = [];
  for await (const label of labels) {
    if (out.destroyed) break;
    batch.push(label);
    if (batch.length === layout.perPage) {
      await queuePage(batch);
      batch = [];
    }
  }
  if (batch.length > 0 && !out.destroyed) await queuePage(batch);
  while (ahead.length > 0 && !out.destroyed) await drawNext();
  if (pages === 0 && layout.kind === 'sheet') drawCutMarks(doc); // a run without printable labels: one empty sheet
  doc.end();
  await done;
}

/** The A4 sheet (see writeLabelPdf). */
export function writeLabelSheet(out: Writable, header: SheetHeader, labels: AsyncIterable<SheetLabel>): Promise<void> {
  return writeLabelPdf(out, header, labels, sheetLayout());
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

/** Queues the page's QR codes (stencil masks, compressed) for the worker or this thread. */
function preparePage(labels: SheetLabel[], layout: PdfLayout): PreparedPage {
  const { qr } = layout.label;
  const origins = labels.map((_, slot): [number, number] => {
    const { x, y } = layout.origin(slot);
    return [x + qr.x, y + qr.y];
  });
  const qrForm = queueQrPage({ urls: labels.map((l) => l.url), origins, side: qr.side });
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

function drawLabelText(doc: PDFKit.PDFDocument, at: { x: number; y: number }, face: FaceLayout, serial: string): void {
  doc.fillColor('black');
  for (const op of face.ops) {
    if (op.kind === 'badge') drawStarBadge(doc, at.x + op.x, at.y + op.y, op.height, op.stars);
    else doc.font(op.font).fontSize(op.size).fillColor('black').text(op.text, at.x + op.x, at.y + op.y, { lineBreak: false, baseline: 'alphabetic' });
  }
  // Lot and serial in a monospaced face: people read them out and type them in.
  const s = face.serial;
  doc.font(s.font).fontSize(s.size).fillColor('black').text(serial, at.x + s.x, at.y + s.y, { lineBreak: false, baseline: 'alphabetic' });
}

/** Five-pointed star of outer radius 1 centred at 0,0 (point up). */
export const STAR = Array.from({ length: 10 }, (_, i) => {
  const a = -Math.PI / 2 + (i * Math.PI) / 5;
  const r = i % 2 === 0 ? 1 : 0.4;
  return [r * Math.cos(a), r * Math.sin(a)] as const;
});

/**
 * 3★ and up: the OCOP mark (a red "OCOP" tag) followed by the stars. 1–2★: the stars
 * alone, because the mark may only be used from 3★.
 */
function drawStarBadge(doc: PDFKit.PDFDocument, x: number, y: number, h: number, stars: number): void {
  const ocop = mayUseOcopMark(stars);
  const g = badgeGeometry(stars, ocop, h);
  if (ocop) {
    doc.roundedRect(x, y, g.tagWidth, h, h * 0.13).fill('#c8102e');
    doc.font('bold').fontSize(h * 0.55).fillColor('white').text('OCOP', x, y + h * 0.5 + h * 0.2, { width: g.tagWidth, align: 'center', lineBreak: false, baseline: 'alphabetic' });
  }
  const sx = x + g.tagWidth + g.gap;
  for (let i = 0; i < stars; i++) {
    const cx = sx + g.radius + i * g.pitch;
    const cy = y + h / 2;
    doc.polygon(...STAR.map(([px, py]) => [cx + px * g.radius, cy + py * g.radius]));
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
