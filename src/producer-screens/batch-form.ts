import { AppError, type FieldProblem } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { BATCH_UNITS, createBatchInput, type CreateBatchInput } from '../batches/batch.schema.js';
import type { BatchRecord } from '../batches/batch.service.js';
import type { ProducerT } from './producer-screens.messages.js';

/**
 * The batch form (new and edit): what was typed, kept as text to show it again, and its
 * translation into the batch service's input (the API's schema, so both check alike).
 */
export type BatchFormValues = {
  lotCode: string;
  productionDate: string;
  expiryDate: string;
  quantity: string;
  unit: string;
  communeCode: string;
  placeName: string;
};

const FIELDS = ['lotCode', 'productionDate', 'expiryDate', 'quantity', 'unit', 'communeCode', 'placeName'] as const;

export const UNIT_CODES = BATCH_UNITS.map((u) => u.code);

export function blankBatchForm(): BatchFormValues {
  return { lotCode: '', productionDate: '', expiryDate: '', quantity: '', unit: 'jar', communeCode: '', placeName: '' };
}

const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');

export function batchFormOf(b: BatchRecord): BatchFormValues {
  return {
    lotCode: b.lotCode,
    productionDate: isoDay(b.productionDate),
    expiryDate: isoDay(b.expiryDate),
    quantity: String(b.quantity),
    unit: b.unit,
    communeCode: b.origin?.communeCode ?? '',
    placeName: b.origin?.placeName ?? '',
  };
}

export function readBatchForm(body: unknown): BatchFormValues {
  const raw = (body ?? {}) as Record<string, unknown>;
  const values = blankBatchForm();
  for (const f of FIELDS) values[f] = typeof raw[f] === 'string' ? (raw[f] as string).trim().slice(0, 400) : '';
  return values;
}

/** The service input, or the problems to show (one line per field, in the page's language). */
export function batchInputOf(values: BatchFormValues, t: ProducerT): { input: CreateBatchInput } | { problems: string[] } {
  const quantity = values.quantity === '' ? Number.NaN : Number(values.quantity.replace(',', '.'));
  const body = {
    lotCode: values.lotCode,
    productionDate: values.productionDate,
    ...(values.expiryDate ? { expiryDate: values.expiryDate } : {}),
    quantity,
    unit: values.unit,
    origin: { communeCode: values.communeCode, ...(values.placeName ? { placeName: values.placeName } : {}) },
  };
  try {
    return { input: parseInput(createBatchInput, body) };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'request/invalid') throw err;
    const problems = ((err.details as { problems?: FieldProblem[] } | undefined)?.problems ?? []).map((p) => fieldOf(p.path));
    return { problems: [...new Set(problems)].map((f) => t(`problem.${f}`)) };
  }
}

function fieldOf(path: string): Exclude<(typeof FIELDS)[number], never> {
  if (path.startsWith('origin.communeCode') || path === 'origin') return 'communeCode';
  if (path.startsWith('origin.placeName')) return 'placeName';
  const top = path.split('.')[0] as (typeof FIELDS)[number];
  return FIELDS.includes(top) ? top : 'lotCode';
}
