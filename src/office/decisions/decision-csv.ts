import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { findCommune, findProvince, normalizeUnitCode } from '../../reference/admin-units.js';
import { gtinProblem } from '../../reference/gs1.js';
import { currentGroupCodes } from '../../reference/product-groups.js';
import { PRODUCER_KINDS } from '../../registry/producers/producer.schema.js';
import {
  allowedAuthorityLevels,
  dateToIsoDate,
  decisionDateToDate,
  EARLIEST_DECISION_DATE,
  parseDecisionNumber,
  starsForScore,
  todayInVietnam,
} from '../../registry/certifications/certification-rules.js';
import { validUntilFor } from '../../registry/certifications/certification-status.js';

/**
 * A certification decision as a CSV file (docs/decision-import.md): the columns, reading
 * the file as Excel writes it (UTF-8 with or without BOM, comma or semicolon), and the
 * checks that need no database. Pure: decision-import.service.ts adds the checks against
 * the registry and writes.
 */

export const COLUMNS = [
  'decision_number',
  'decision_date',
  'authority_level',
  'province',
  'authority_name',
  'producer_id',
  'producer_name',
  'producer_kind',
  'registration_number',
  'commune',
  'product_id',
  'product_name',
  'product_name_en',
  'product_group',
  'gtin',
  'stars',
  'score',
  'valid_from',
  'valid_until',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Columns a file must have in its header (the others may be left out). */
export const REQUIRED_COLUMNS: readonly Column[] = ['decision_number', 'decision_date', 'authority_level', 'stars', 'score'];

/** At most this many products in one file; a decision of more is imported in several files with their own numbers. */
export const MAX_ROWS = 5000;

/** Why a row cannot be imported; the screen words it in the reader's language (decisions.messages.ts). */
export type RowProblem = { code: ProblemCode; column?: Column; params?: Record<string, string | number> };
export type ProblemCode =
  | 'missing' | 'bad_decision_number' | 'bad_date' | 'future_date' | 'too_early' | 'decision_differs'
  | 'bad_level' | 'unknown_province' | 'province_needed' | 'five_star_by_province' | 'level_mismatch' | 'outside_scope'
  | 'stars_range' | 'bad_score' | 'score_mismatch' | 'valid_from_differs' | 'valid_until_differs'
  | 'missing_producer' | 'bad_id' | 'unknown_producer' | 'unknown_commune' | 'bad_kind' | 'bad_registration' | 'producer_differs'
  | 'registration_taken' | 'missing_product' | 'unknown_product' | 'product_of_other_producer' | 'bad_group' | 'bad_name'
  | 'bad_gtin' | 'gtin_check_digit' | 'duplicate_gtin' | 'gtin_taken' | 'duplicate_row' | 'already_certified';

export type Decision = {
  /** Canonical spelling, e.g. 1234/QĐ-UBND. */
  number: string;
  date: string;
  level: 'province' | 'ministry';
  province: string | null;
  authorityName: string | null;
};

export type NewProducer = { name: string; kind: (typeof PRODUCER_KINDS)[number]; registrationNumber: string; provinceCode: string; communeCode: string };
export type NewProduct = { name: { vi: string; en: string | null }; group: string; gtin: string | null };

/** What one valid row asks for. */
export type RowPlan = {
  producer: { id: string } | { registrationNumber: string; create: NewProducer };
  product: { id: string } | { key: string; create: NewProduct };
  stars: number;
  score: number;
};

export type ReadRow = { line: number; values: Partial<Record<Column, string>>; plan: RowPlan | null; problems: RowProblem[] };

export type ReadFile =
  | { ok: false; problem: 'encoding' | 'unreadable' | 'empty' | 'missing_columns' | 'too_many_rows'; params?: Record<string, string | number> }
  | { ok: true; decision: Decision | null; rows: ReadRow[] };

/** The key an import is claimed under: one decision number per issuing authority. */
export function importKey(d: Pick<Decision, 'number' | 'level' | 'province'>): string {
  return `${d.level === 'ministry' ? 'ministry' : `p${d.province}`}~${d.number}`;
}

/**
 * A record id (10 lowercase letters or digits, like ids.ts) derived from the decision and
 * what the record is, so that a commit run again writes the same ids.
 */
export function derivedId(importId: string, what: string): string {
  const hex = createHash('sha256').update(`${importId}\u0000${what}`).digest('hex');
  return BigInt(`0x${hex.slice(0, 16)}`).toString(36).padStart(13, '0').slice(-10);
}

const ID = /^[0-9a-z]{10}$/;

/** Reads the file's bytes: UTF-8 only (Excel's "CSV UTF-8"), the delimiter from the header line. */
export function readDecisionFile(bytes: Buffer): ReadFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: 'encoding' };
  }
  text = text.replace(/^\uFEFF/, '');
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, to: MAX_ROWS + 2 }) as string[][];
  } catch (err) {
    return { ok: false, problem: 'unreadable', params: { detail: err instanceof Error ? err.message.slice(0, 200) : '' } };
  }
  const [header, ...data] = records;
  if (!header || data.length === 0) return { ok: false, problem: 'empty' };
  const names = header.map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) return { ok: false, problem: 'missing_columns', params: { columns: missing.join(', ') } };
  if (data.length > MAX_ROWS) return { ok: false, problem: 'too_many_rows', params: { max: MAX_ROWS } };
  const rows = data
    .map((cells, i) => {
      const values: Partial<Record<Column, string>> = {};
      names.forEach((n, j) => {
        if ((COLUMNS as readonly string[]).includes(n)) values[n as Column] = (cells[j] ?? '').normalize('NFC');
      });
      return { line: i + 2, values };
    })
    .filter((r) => Object.values(r.values).some((v) => v !== ''));
  if (rows.length === 0) return { ok: false, problem: 'empty' };
  return { ok: true, ...checkRows(rows) };
}

/** The decision a row names, or its problems. */
function decisionOf(v: Partial<Record<Column, string>>, problems: RowProblem[]): Decision | null {
  const before = problems.length;
  const number = v.decision_number ? parseDecisionNumber(v.decision_number) : null;
  if (!v.decision_number) problems.push({ code: 'missing', column: 'decision_number' });
  else if (!number) problems.push({ code: 'bad_decision_number', column: 'decision_number' });
  const date = v.decision_date ?? '';
  if (!date) problems.push({ code: 'missing', column: 'decision_date' });
  else if (!isIsoDate(date)) problems.push({ code: 'bad_date', column: 'decision_date' });
  else if (date > todayInVietnam()) problems.push({ code: 'future_date', column: 'decision_date' });
  else if (date < EARLIEST_DECISION_DATE) problems.push({ code: 'too_early', column: 'decision_date', params: { earliest: EARLIEST_DECISION_DATE } });
  const level = (v.authority_level ?? '').toLowerCase();
  if (level !== 'province' && level !== 'ministry') problems.push({ code: 'bad_level', column: 'authority_level' });
  let province: string | null = null;
  if (level === 'province') {
    province = normalizeUnitCode(v.province ?? '', 2);
    if (!v.province) problems.push({ code: 'province_needed', column: 'province' });
    else if (!province || !findProvince(province)) problems.push({ code: 'unknown_province', column: 'province', params: { value: v.province } });
  }
  if (problems.length > before || !number) return null;
  const name = (v.authority_name ?? '').trim();
  return { number: number.canonical, date, level: level as Decision['level'], province, authorityName: name ? name.slice(0, 300) : null };
}

const isIsoDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && dateToIsoDate(decisionDateToDate(s)) === s;

/** Valid until: the decision date plus 36 months, as the registry computes it. */
const validUntilOf = (date: string): string => dateToIsoDate(validUntilFor(decisionDateToDate(date)));

function checkRows(input: Array<{ line: number; values: Partial<Record<Column, string>> }>): { decision: Decision | null; rows: ReadRow[] } {
  let decision: Decision | null = null;
  const rows: ReadRow[] = [];
  const gtins = new Map<string, number>();
  const products = new Map<string, number>();
  const producers = new Map<string, NewProducer>();
  for (const { line, values: v } of input) {
    const problems: RowProblem[] = [];
    const own = decisionOf(v, problems);
    if (own && !decision) decision = own;
    else if (own && decision && (own.number !== decision.number || own.date !== decision.date || own.level !== decision.level || own.province !== decision.province)) {
      problems.push({ code: 'decision_differs', column: 'decision_number', params: { first: decision.number, date: decision.date } });
    }
    const stars = Number(v.stars);
    const starsOk = /^\d$/.test(v.stars ?? '') && stars >= 1 && stars <= 5;
    if (!starsOk) problems.push({ code: 'stars_range', column: 'stars', params: { value: v.stars ?? '' } });
    const score = Number((v.score ?? '').replace(',', '.'));
    const scoreOk = v.score !== undefined && v.score !== '' && Number.isFinite(score) && score >= 0 && score <= 100;
    if (!scoreOk) problems.push({ code: 'bad_score', column: 'score' });
    if (starsOk && scoreOk && starsForScore(score) !== stars) problems.push({ code: 'score_mismatch', column: 'score', params: { score, stars, earned: starsForScore(score) } });
    if (starsOk && own) {
      if (stars === 5 && own.level === 'province') problems.push({ code: 'five_star_by_province', column: 'authority_level' });
      else if (!allowedAuthorityLevels(stars).includes(own.level)) problems.push({ code: 'level_mismatch', column: 'authority_level', params: { stars } });
    }
    if (own && v.valid_from && v.valid_from !== own.date) problems.push({ code: 'valid_from_differs', column: 'valid_from', params: { expected: own.date } });
    if (own && v.valid_until && v.valid_until !== validUntilOf(own.date)) problems.push({ code: 'valid_until_differs', column: 'valid_until', params: { expected: validUntilOf(own.date) } });

    const producer = producerOf(v, problems, producers);
    const product = productOf(v, line, problems);
    if (product) {
      const key = 'id' in product ? `id:${product.id}` : product.create.gtin ? `gtin:${product.create.gtin}` : null;
      const gtin = 'create' in product ? product.create.gtin : null;
      if (gtin && gtins.has(gtin)) problems.push({ code: 'duplicate_gtin', column: 'gtin', params: { line: gtins.get(gtin)! } });
      else if (key && products.has(key)) problems.push({ code: 'duplicate_row', column: 'product_id', params: { line: products.get(key)! } });
      if (gtin && !gtins.has(gtin)) gtins.set(gtin, line);
      if (key && !products.has(key)) products.set(key, line);
    }
    const plan = problems.length === 0 && producer && product ? { producer, product, stars, score } : null;
    rows.push({ line, values: v, plan, problems });
  }
  return { decision, rows };
}

function producerOf(v: Partial<Record<Column, string>>, problems: RowProblem[], seen: Map<string, NewProducer>): RowPlan['producer'] | null {
  const id = (v.producer_id ?? '').toLowerCase();
  if (id) {
    if (!ID.test(id)) {
      problems.push({ code: 'bad_id', column: 'producer_id', params: { value: v.producer_id ?? '' } });
      return null;
    }
    return { id };
  }
  if (!v.producer_name && !v.registration_number) {
    problems.push({ code: 'missing_producer', column: 'producer_id' });
    return null;
  }
  const before = problems.length;
  const name = (v.producer_name ?? '').trim();
  if (name.length < 2 || name.length > 300) problems.push({ code: 'bad_name', column: 'producer_name' });
  const kind = (v.producer_kind ?? '').toLowerCase();
  if (!(PRODUCER_KINDS as readonly string[]).includes(kind)) problems.push({ code: 'bad_kind', column: 'producer_kind', params: { kinds: PRODUCER_KINDS.join(', ') } });
  const registrationNumber = (v.registration_number ?? '').replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-Z][0-9A-Z./-]{2,49}$/.test(registrationNumber)) problems.push({ code: 'bad_registration', column: 'registration_number' });
  const communeCode = normalizeUnitCode(v.commune ?? '', 5);
  const commune = communeCode ? findCommune(communeCode) : undefined;
  if (!commune) problems.push({ code: 'unknown_commune', column: 'commune', params: { value: v.commune ?? '' } });
  if (problems.length > before || !commune) return null;
  const create: NewProducer = { name, kind: kind as NewProducer['kind'], registrationNumber, provinceCode: commune.provinceCode, communeCode: commune.code };
  const earlier = seen.get(registrationNumber);
  if (earlier && (earlier.name !== name || earlier.kind !== create.kind || earlier.communeCode !== create.communeCode)) {
    problems.push({ code: 'producer_differs', column: 'registration_number', params: { value: registrationNumber } });
    return null;
  }
  seen.set(registrationNumber, create);
  return { registrationNumber, create };
}

function productOf(v: Partial<Record<Column, string>>, line: number, problems: RowProblem[]): RowPlan['product'] | null {
  const id = (v.product_id ?? '').toLowerCase();
  if (id) {
    if (!ID.test(id)) {
      problems.push({ code: 'bad_id', column: 'product_id', params: { value: v.product_id ?? '' } });
      return null;
    }
    return { id };
  }
  if (!v.product_name) {
    problems.push({ code: 'missing_product', column: 'product_name' });
    return null;
  }
  const before = problems.length;
  const vi = v.product_name.trim();
  if (vi.length < 2 || vi.length > 300) problems.push({ code: 'bad_name', column: 'product_name' });
  const en = (v.product_name_en ?? '').trim().slice(0, 300) || null;
  const group = (v.product_group ?? '').toLowerCase();
  if (!currentGroupCodes.includes(group)) problems.push({ code: 'bad_group', column: 'product_group', params: { groups: currentGroupCodes.join(', ') } });
  let gtin: string | null = null;
  if (v.gtin) {
    const problem = gtinProblem(v.gtin);
    if (problem?.kind === 'check_digit') problems.push({ code: 'gtin_check_digit', column: 'gtin', params: { value: v.gtin, expected: problem.expected } });
    else if (problem) problems.push({ code: 'bad_gtin', column: 'gtin', params: { value: v.gtin } });
    else gtin = v.gtin.replace(/[\s-]/g, '').padStart(14, '0');
  }
  if (problems.length > before) return null;
  return { key: gtin ? `gtin:${gtin}` : `line:${line}`, create: { name: { vi, en }, group, gtin } };
}
