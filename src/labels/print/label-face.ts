/**
 * What a printed label says besides its QR code, and where, for every print format
 * (the A4 sheet, one label per page for roll printers, ZPL): the product and its
 * producer, the star badge, how long the certificate is valid, the lot, the serial
 * and what to do with the code. Laid out once per run in points (1/72 in) from the
 * label's top left, by a measure of the fonts' advance widths; the PDF formats draw it
 * with pdfkit and ZPL with a canvas (label-pdf.ts, label-zpl.ts). See
 * docs/label-format.md §7.
 *
 * Language: `vi-en` (the default) prints every fixed text in Vietnamese and English,
 * as the sheet always has; `vi` or `en` prints one language, which leaves a small
 * label room for larger type. The product name is in the label's first language.
 */

export const LABEL_LANGS = ['vi-en', 'vi', 'en'] as const;
export type LabelLang = (typeof LABEL_LANGS)[number];

export type FontName = 'sans' | 'bold' | 'mono';
/** The advance width of `text` in `font` at `size` points, in points. */
export type Measure = (text: string, font: FontName, size: number) => number;

/** What every label of a run shares. */
export type FaceContent = {
  productName: { vi: string; en?: string | null };
  producerName: string;
  lot: string;
  stars: number;
  /** YYMMDD, as printed in the label URL. */
  validUntil: string;
  /** Characters in the run's serials (16 for new serials). */
  serialLength: number;
};

export type TextOp = { kind: 'text'; text: string; font: FontName; size: number; x: number; y: number };
/** The star badge in a box: top left x, y; the OCOP mark first from 3★ (mayUseOcopMark). */
export type BadgeOp = { kind: 'badge'; stars: number; x: number; y: number; height: number };
export type FaceOp = TextOp | BadgeOp;

export type FaceLayout = {
  /** Everything but the serial, the same on every label of the run. `y` of text is its baseline. */
  ops: FaceOp[];
  /** Where each label's serial goes (baseline). */
  serial: { font: 'mono'; size: number; x: number; y: number };
  /** The body type size chosen, in points. */
  size: number;
};

export type Box = { x: number; y: number; width: number; height: number };

/** Keeps "14 Jun 2028" on one line; printed as a space. */
const NBSP = '\u00a0';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * The certificate's last valid day in words and digits: "Hiệu lực đến 14/06/2028",
 * "Valid until 14 Jun 2028" (the English date joined by no-break spaces).
 */
export function validUntilText(yymmdd: string): { vi: string; en: string } {
  const [yy, mm, dd] = [yymmdd.slice(0, 2), yymmdd.slice(2, 4), yymmdd.slice(4, 6)];
  return { vi: `Hiệu lực đến ${dd}/${mm}/20${yy}`, en: `Valid until ${Number(dd)}${NBSP}${MONTHS[Number(mm) - 1]}${NBSP}20${yy}` };
}

/** The fixed texts of a label in its language(s). */
export function faceWords(lang: LabelLang): { lot: string; serial: string; scan: string } {
  switch (lang) {
    case 'vi':
      return { lot: 'Lô:', serial: 'Số sê-ri:', scan: 'Quét để xác thực' };
    case 'en':
      return { lot: 'Lot:', serial: 'Serial:', scan: 'Scan to verify' };
    default:
      return { lot: 'Lô / Lot:', serial: 'Số sê-ri / Serial:', scan: 'Quét để xác thực / Scan to verify' };
  }
}

/** Type sizes tried, largest first (points). Below the smallest the label is too small. */
export const MAX_TYPE = 6.5;
export const MIN_TYPE = 4.5;
const STEP = 0.25;
const LEADING = 1.2;
/** Widths are measured with one font engine and may be drawn with another: keep a little slack. */
const SLACK = 0.97;

/** Lots and serials are never cut: on a narrow label their monospaced type shrinks, down to this. */
export const MIN_MONO_TYPE = 4;

type Block =
  /** `text` is "vi / en" for both languages: broken after the " /" first when it does not fit one line. */
  | { kind: 'text'; text: string; font: FontName; scale: number; maxLines: number; ellipsis: boolean; gapBefore?: boolean }
  | { kind: 'mono'; text: string; scale: number; serial: boolean; gapBefore?: boolean }
  | { kind: 'badge'; gapBefore?: boolean };

function blocks(content: FaceContent, lang: LabelLang): Block[] {
  const words = faceWords(lang);
  const valid = validUntilText(content.validUntil);
  const name = lang === 'en' ? content.productName.en || content.productName.vi : content.productName.vi;
  const text = (t: string, font: FontName, scale: number, maxLines = 2, ellipsis = false, gapBefore = false): Block => ({ kind: 'text', text: t, font, scale, maxLines, ellipsis, gapBefore });
  return [
    text(name, 'bold', 1.15, 2, true),
    text(content.producerName, 'sans', 0.9, 1, true),
    { kind: 'badge', gapBefore: true },
    ...(lang === 'en' ? [] : [text(valid.vi, 'sans', 1, 2, false, true)]),
    ...(lang === 'vi' ? [] : [text(valid.en, 'sans', 1, 2, false, lang === 'en')]),
    text(words.lot, 'sans', 0.9, 1, false, true),
    { kind: 'mono', text: content.lot, scale: 1.05, serial: false },
    text(words.serial, 'sans', 0.9, 1, false, true),
    // The widest serial of its length stands in for each label's own.
    { kind: 'mono', text: 'W'.repeat(content.serialLength), scale: 1.25, serial: true },
    text(words.scan, 'bold', 1, 2, false, true),
  ];
}

/**
 * The largest type (MAX_TYPE down to MIN_TYPE) at which the run's text fits the column,
 * or null when it does not fit even at MIN_TYPE. Names and producers are cut with "…";
 * every other text must fit whole, wrapped at spaces.
 */
export function layoutFace(column: Box, content: FaceContent, lang: LabelLang, measure: Measure): FaceLayout | null {
  for (let size = MAX_TYPE; size >= MIN_TYPE - 1e-9; size -= STEP) {
    const layout = layoutAt(size, column, content, lang, measure);
    if (layout) return layout;
  }
  return null;
}

/** Badge geometry relative to its height h: the OCOP tag (from 3★), then the stars. */
export function badgeGeometry(stars: number, ocopMark: boolean, h: number) {
  const tagWidth = ocopMark ? (9 / 4.2) * h : 0;
  const gap = ocopMark ? (1.2 / 4.2) * h : 0;
  const radius = (1.7 / 4.2) * h;
  const pitch = 2 * radius + (0.5 / 4.2) * h;
  const width = tagWidth + gap + stars * pitch - (0.5 / 4.2) * h;
  return { tagWidth, gap, radius, pitch, width };
}

function layoutAt(size: number, col: Box, content: FaceContent, lang: LabelLang, measure: Measure): FaceLayout | null {
  const width = col.width * SLACK;
  const ops: FaceOp[] = [];
  let serial: FaceLayout['serial'] | null = null;
  let y = col.y;
  for (const block of blocks(content, lang)) {
    if (block.gapBefore && y > col.y) y += 0.3 * size;
    if (block.kind === 'badge') {
      // As tall as two lines of type, lower if the column is too narrow for the widest
      // badge (the OCOP mark and five stars): the same height whatever the stars.
      let height = 2.1 * size;
      const widest = badgeGeometry(5, true, height).width;
      if (widest > width) height *= width / widest;
      ops.push({ kind: 'badge', stars: content.stars, x: col.x, y, height });
      y += height;
      continue;
    }
    if (block.kind === 'mono') {
      const s = Math.min(block.scale * size, (width / measure(block.text, 'mono', 1)) * 0.999);
      if (s < MIN_MONO_TYPE) return null;
      y += s * LEADING;
      const baseline = y - s * (LEADING - 1) - 0.2 * s;
      if (block.serial) serial = { font: 'mono', size: s, x: col.x, y: baseline };
      else ops.push({ kind: 'text', text: block.text, font: 'mono', size: s, x: col.x, y: baseline });
      continue;
    }
    const s = block.scale * size;
    const lines = wrapBilingual(block.text, block.font, s, width, block.maxLines, block.ellipsis, measure);
    if (!lines) return null;
    for (const line of lines) {
      y += s * LEADING;
      ops.push({ kind: 'text', text: line.replaceAll(NBSP, ' '), font: block.font, size: s, x: col.x, y: y - s * (LEADING - 1) - 0.2 * s });
    }
  }
  if (y > col.y + col.height || !serial) return null;
  return { ops, serial, size };
}

/** A "vi / en" text that does not fit one line goes on two, "vi /" then "en", if each fits; otherwise see wrap. */
function wrapBilingual(text: string, font: FontName, size: number, width: number, maxLines: number, ellipsis: boolean, measure: Measure): string[] | null {
  const halves = text.split(' / ');
  if (halves.length === 2 && maxLines >= 2 && measure(text, font, size) > width) {
    const lines = [`${halves[0]} /`, halves[1]!];
    if (lines.every((l) => measure(l, font, size) <= width)) return lines;
  }
  return wrap(text, font, size, width, maxLines, ellipsis, measure);
}

/**
 * `text` in at most `maxLines` lines of `width`, broken at spaces. With `ellipsis`, what
 * does not fit is cut and "…" ends the last line; without, null when it does not fit.
 */
export function wrap(text: string, font: FontName, size: number, width: number, maxLines: number, ellipsis: boolean, measure: Measure): string[] | null {
  const fits = (s: string) => measure(s, font, size) <= width;
  const words = text.split(/[ \t\n]+/).filter(Boolean); // not at a no-break space
  if (words.length === 0) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (fits(next)) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    if (!fits(word) && !ellipsis) return null;
  }
  lines.push(line);
  if (lines.length <= maxLines && lines.every(fits)) return lines;
  if (!ellipsis) return null;
  const cut = (s: string) => {
    while (s.length > 1 && !fits(`${s}…`)) s = s.slice(0, -1);
    return `${s.trimEnd()}…`;
  };
  const kept = lines.slice(0, maxLines).map((l) => (fits(l) ? l : cut(l)));
  if (lines.length > maxLines) kept[maxLines - 1] = cut(lines.slice(maxLines - 1).join(' '));
  return kept;
}
