import type { Box } from './label-face.js';

/**
 * Where labels go on the page, in PDF points: the A4 sheet of 24 and the roll of one
 * label per page (docs/label-format.md §7).
 */
export const MM = 72 / 25.4;
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

/**
 * Roll labels, in mm. The QR code is at least ROLL.minQrMm square (quiet zone included:
 * 0.40 mm a module at version 10), which decodes from a 150 dpi print; the bounds keep
 * it so. Whether the text fits is checked for each run (rollFits).
 */
export const ROLL = {
  minWidthMm: 50,
  maxWidthMm: 150,
  minHeightMm: 30,
  maxHeightMm: 150,
  /** A common thermal label on which both languages fit. */
  defaultWidthMm: 60,
  defaultHeightMm: 40,
  paddingMm: 1.5,
  minQrMm: 26,
} as const;

/** Where a label's QR code and text go, in points from its top left. */
export type LabelGeometry = { width: number; height: number; qr: { x: number; y: number; side: number }; column: Box };

export type PdfLayout = {
  kind: 'sheet' | 'roll';
  page: [width: number, height: number];
  perPage: number;
  /** Top left of the label in a slot of the page. */
  origin: (slot: number) => { x: number; y: number };
  label: LabelGeometry;
};

/**
 * A label of `width` × `height` points: the QR code square at the left (the label's
 * height less the padding, or 60 % of its width if that is less), the text in the
 * column to its right.
 */
export function labelGeometry(width: number, height: number, pad: number): LabelGeometry {
  const side = Math.min(height - 2 * pad, (width - 3 * pad) * 0.6);
  return {
    width,
    height,
    qr: { x: pad, y: (height - side) / 2, side },
    column: { x: 2 * pad + side, y: pad, width: width - 3 * pad - side, height: height - 2 * pad },
  };
}

export function sheetLayout(): PdfLayout {
  return {
    kind: 'sheet',
    page: [210 * MM, 297 * MM],
    perPage: LABELS_PER_PAGE,
    origin: (slot) => ({
      x: (SHEET.marginXMm + (slot % SHEET.columns) * SHEET.labelWidthMm) * MM,
      y: (SHEET.marginYMm + Math.floor(slot / SHEET.columns) * SHEET.labelHeightMm) * MM,
    }),
    label: labelGeometry(SHEET.labelWidthMm * MM, SHEET.labelHeightMm * MM, SHEET.paddingMm * MM),
  };
}

/** One label per page of `widthMm` × `heightMm` (within ROLL's bounds). */
export function rollLayout(widthMm: number, heightMm: number): PdfLayout {
  const label = labelGeometry(widthMm * MM, heightMm * MM, ROLL.paddingMm * MM);
  return { kind: 'roll', page: [label.width, label.height], perPage: 1, origin: () => ({ x: 0, y: 0 }), label };
}
