import type { Writable } from 'node:stream';
import { drained } from './drained.js';

/** Variable-data printer file: one row per label, in print order (RFC 4180, CRLF). */
export const CSV_COLUMNS = ['seq', 'serial', 'url', 'lot', 'stars', 'valid_until'] as const;
export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string | number>;

/** Quotes a field when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (row: CsvRow) => `${CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;

/** Writes the header and the rows, a few hundred at a time, waiting while `out` is full. */
export async function writeLabelCsv(out: Writable, rows: AsyncIterable<CsvRow>): Promise<void> {
  let buffer = `${CSV_COLUMNS.join(',')}\r\n`;
  let buffered = 0;
  for await (const row of rows) {
    if (out.destroyed) return;
    buffer += csvLine(row);
    if (++buffered === 500) {
      if (!out.write(buffer)) await drained(out);
      buffer = '';
      buffered = 0;
    }
  }
  out.end(buffer);
}
