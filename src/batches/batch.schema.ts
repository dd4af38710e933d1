import { z } from 'zod';
import { findCommune, padCommune } from '../reference/admin-units.js';
import { ID_PATTERN } from '../ids.js';
import { listQuery } from '../paging.js';
import { LOT_PATTERN } from '../reference/gs1.js';

/**
 * Units a batch is counted in. Producers write them in English or Vietnamese; the
 * code (English) is what is stored, so lists and exports read the same everywhere.
 * `counted`: the quantity is a number of packages (each gets one label); otherwise it
 * is a weight or a volume, which says nothing of how many packages it fills.
 */
export const BATCH_UNITS = [
  { code: 'kg', vi: 'kg', counted: false },
  { code: 'g', vi: 'g', counted: false },
  { code: 'l', vi: 'lít', counted: false },
  { code: 'ml', vi: 'ml', counted: false },
  { code: 'piece', vi: 'cái', counted: true },
  { code: 'box', vi: 'hộp', counted: true },
  { code: 'bottle', vi: 'chai', counted: true },
  { code: 'jar', vi: 'hũ', counted: true },
  { code: 'pack', vi: 'gói', counted: true },
  { code: 'bag', vi: 'túi', counted: true },
  { code: 'can', vi: 'lon', counted: true },
  { code: 'set', vi: 'bộ', counted: true },
] as const;

/** Whether a batch in this unit is a number of packages (see BATCH_UNITS). */
export const isCountedUnit = (code: string): boolean => BATCH_UNITS.some((u) => u.code === code && u.counted);

const unitByName = new Map<string, string>(
  BATCH_UNITS.flatMap((u) => [
    [u.code, u.code],
    [u.vi.normalize('NFC'), u.code],
  ]),
);
const unitNames = BATCH_UNITS.map((u) => (u.vi === u.code ? u.code : `${u.code}/${u.vi}`)).join(', ');

const unitInput = z.string().transform((v, ctx) => {
  const code = unitByName.get(v.trim().toLowerCase().normalize('NFC'));
  if (!code) {
    ctx.addIssue({ code: 'custom', message: `unknown unit; use one of ${unitNames}` });
    return z.NEVER;
  }
  return code;
});

/** A calendar day "YYYY-MM-DD" (UTC midnight): batches are dated by day, not by instant. */
const day = z.string().transform((v, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== v) {
    ctx.addIssue({ code: 'custom', message: 'a date is written YYYY-MM-DD, e.g. 2025-09-30' });
    return z.NEVER;
  }
  return d;
});

/** A commune code of the 2025 units: 577, "577" or "00577"; the province follows from it. */
const communeInput = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = String(v).trim();
  const commune = /^\d{1,5}$/.test(text) ? findCommune(padCommune(text)) : undefined;
  if (!commune) {
    ctx.addIssue({ code: 'custom', message: 'not a commune code of the 2025 administrative units (5 digits, e.g. "00577")' });
    return z.NEVER;
  }
  return commune;
});

export const recordIdParam = z.string().regex(ID_PATTERN, 'not a record id (10 lowercase letters or digits)');

export const createBatchInput = z
  .strictObject({
    lotCode: z
      .string()
      .trim()
      .regex(LOT_PATTERN, 'a lot code has 1–20 characters among A–Z a–z 0–9 . _ - and is not "." or ".." (GS1 AI 10, printed in label URLs)'),
    productionDate: day,
    expiryDate: day.nullable().optional(),
    quantity: z.number().positive('must be more than 0').max(1e9, 'too large'),
    unit: unitInput,
    origin: z.strictObject({
      communeCode: communeInput,
      placeName: z.string().trim().min(1).max(300).optional(),
      geo: z
        .strictObject({
          lat: z.number().min(-90).max(90),
          lng: z.number().min(-180).max(180),
        })
        .optional(),
    }),
  })
  .superRefine((b, ctx) => {
    if (b.expiryDate && b.expiryDate.getTime() <= b.productionDate.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['expiryDate'], message: 'must be after the production date' });
    }
    // One day of slack: the producer's calendar day may be ahead of UTC.
    if (b.productionDate.getTime() > Date.now() + 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['productionDate'], message: 'cannot be in the future' });
    }
  });

export type CreateBatchInput = z.output<typeof createBatchInput>;

export const listBatchesQuery = listQuery({
  product: recordIdParam.optional(),
  producer: recordIdParam.optional(),
});

export type ListBatchesQuery = z.output<typeof listBatchesQuery>;
