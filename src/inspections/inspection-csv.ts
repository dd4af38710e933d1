import type { InspectionView } from './inspection.presenter.js';

/**
 * The findings log as CSV (RFC 4180, CRLF, UTF-8 with a BOM so spreadsheet programs
 * read Vietnamese right). Cells are text typed at a stall or read off a label, and
 * spreadsheets run a cell starting with = + - @ (or a tab or carriage return) as a
 * formula: such text cells get a leading apostrophe. Numbers are written as numbers.
 */
const COLUMNS = [
  'id', 'at', 'province_code', 'province', 'commune_code', 'commune', 'place', 'lat', 'lng', 'gps_accuracy_m',
  'finding', 'stars_seen', 'notes', 'label_url', 'serial', 'gtin', 'lot', 'label_product_id', 'verdict', 'verdict_as_of',
  'producer_id', 'product_id', 'photos', 'inspector', 'recorded_at',
] as const;
type Column = (typeof COLUMNS)[number];
type Cell = string | number | null;

/** A text cell a spreadsheet would read as a formula, defused. */
export function defused(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(value: Cell): string {
  if (value === null) return '';
  const s = typeof value === 'number' ? String(value) : defused(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function row(v: InspectionView, withInspector: boolean): Record<Column, Cell> {
  return {
    id: v.id,
    at: iso(v.at),
    province_code: v.place.provinceCode,
    province: v.place.province,
    commune_code: v.place.communeCode,
    commune: v.place.commune,
    place: v.place.shop,
    lat: v.place.gps?.lat ?? null,
    lng: v.place.gps?.lng ?? null,
    gps_accuracy_m: v.place.gps?.accuracy ?? null,
    finding: v.finding,
    stars_seen: v.starsSeen,
    notes: v.notes || null,
    label_url: v.label?.url ?? null,
    serial: v.label?.serial ?? null,
    gtin: v.label?.gtin ?? null,
    lot: v.label?.lot ?? null,
    label_product_id: v.label?.productId ?? null,
    verdict: v.label?.verdict ?? null,
    verdict_as_of: iso(v.label?.verdictAsOf ?? null),
    producer_id: v.producerId,
    product_id: v.productId,
    photos: v.photos.length,
    inspector: withInspector && v.inspector ? v.inspector.name ?? v.inspector.keyId : null,
    recorded_at: iso(v.recordedAt),
  };
}

/** The header and one line per inspection; a producer's export has no inspector column. */
export async function* inspectionCsvLines(items: AsyncIterable<InspectionView>, withInspector: boolean): AsyncIterable<string> {
  const columns = COLUMNS.filter((c) => withInspector || c !== 'inspector');
  yield `\uFEFF${columns.join(',')}\r\n`;
  for await (const v of items) {
    const r = row(v, withInspector);
    yield `${columns.map((c) => field(r[c])).join(',')}\r\n`;
  }
}
