import { stringify } from 'csv-stringify/sync';
import { COLUMNS, type Column } from '../../../src/office/decisions/decision-csv.js';
import { daysAgo, uniqueDecisionNumber, uniqueDigits, uniqueGtin13 } from './registry.js';

/**
 * Certification decision files (docs/decision-import.md) as the office uploads them:
 * a fresh decision of Hà Nội's People's Committee and rows that each bring a new
 * producer and a new product, unique on every call; overrides per column.
 */
export type DecisionRow = Partial<Record<Column, string>>;
export type DecisionHead = { decision_number: string; decision_date: string; authority_level: string; province: string };

export const newDecision = (): DecisionHead => ({ decision_number: uniqueDecisionNumber(), decision_date: daysAgo(20), authority_level: 'province', province: '01' });

/** A new producer's columns (Bát Tràng, Hà Nội), to share between rows of one producer. */
export const newProducerColumns = (): DecisionRow => ({
  producer_name: `HTX Nhập quyết định ${uniqueDigits(5)}`,
  producer_kind: 'cooperative',
  registration_number: `01${uniqueDigits(8)}`,
  commune: '00577',
});

/** One row: a new product of a new producer (or of `overrides`' producer), 4★ with a score of 78. */
export function decisionRow(head: DecisionHead, overrides: DecisionRow = {}): DecisionRow {
  return {
    ...head,
    ...newProducerColumns(),
    product_name: `Sản phẩm nhập ${uniqueDigits(5)}`,
    product_group: 'food',
    gtin: uniqueGtin13(),
    stars: '4',
    score: '78',
    ...overrides,
  };
}

/** The file's bytes: a header of every column, then the rows; Excel's semicolons and BOM when asked. */
export function decisionCsv(rows: DecisionRow[], opts: { delimiter?: ',' | ';'; bom?: boolean } = {}): Buffer {
  const text = stringify([[...COLUMNS], ...rows.map((r) => COLUMNS.map((c) => r[c] ?? ''))], { delimiter: opts.delimiter ?? ',', record_delimiter: 'windows' });
  return Buffer.from(`${opts.bom ? '\uFEFF' : ''}${text}`, 'utf8');
}
