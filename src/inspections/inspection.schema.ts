import { z } from 'zod';
import { optionalText } from '../registry/common.schema.js';
import { listQuery } from '../paging.js';
import { findCommune, normalizeUnitCode } from '../reference/admin-units.js';
import { FINDINGS, FUTURE_TOLERANCE_MS, INSPECTION_ID_PATTERN, MAX_NOTES } from './inspection-findings.js';

/** A commune code (577, "577" or "00577") of a commune that exists (2025 units). */
const communeCode = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const code = normalizeUnitCode(v, 5);
  if (code === null || !findCommune(code)) {
    ctx.addIssue({ code: 'custom', message: 'not a commune code of the 2025 administrative units (GET /api/v1/admin-units/provinces/:code/communes), e.g. "00004"' });
    return z.NEVER;
  }
  return code;
});

const isoDateTime = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time with its offset, e.g. 2026-12-02T09:30:00+07:00' });

/** Text as typed on a label or by the device: trimmed, empty is absent (the registry's optionalText). */
const shortText = optionalText;

/**
 * What the inspector's device sends for one inspection (POST /api/v1/inspections). The
 * label part is what the device read and concluded; the server trusts none of it for
 * ownership: it looks the producer up itself.
 */
export const inspectionCreateSchema = z.strictObject({
  id: z.string().regex(INSPECTION_ID_PATTERN, '16–64 characters A–Z, a–z, 0–9, _ or -, made on the device'),
  at: isoDateTime.refine((s) => Date.parse(s) <= Date.now() + FUTURE_TOLERANCE_MS, 'the inspection time is in the future; check the device clock'),
  commune: communeCode,
  gps: z
    .strictObject({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      accuracy: z.number().min(0).max(100_000).nullable().optional(),
    })
    .nullable()
    .optional(),
  place: z.string().trim().min(1, 'name the stall or shop').max(200, 'at most 200 characters'),
  starsSeen: z.number().int().min(1).max(5).nullable().optional(),
  finding: z.enum(FINDINGS),
  notes: z.string().trim().max(MAX_NOTES, `at most ${MAX_NOTES} characters`).optional(),
  label: z
    .strictObject({
      url: shortText(2000),
      serial: shortText(64),
      productId: shortText(64),
      gtin: shortText(20),
      lot: shortText(64),
      verdict: shortText(40),
      verdictAsOf: isoDateTime.nullable().optional(),
    })
    .nullable()
    .optional(),
});

export type InspectionCreateInput = z.output<typeof inspectionCreateSchema>;

const day = /^\d{4}-\d{2}-\d{2}$/;
/** A day (the whole day, Vietnam time) or an instant. */
const dateOrInstant = z.string().refine((s) => day.test(s) || !Number.isNaN(Date.parse(s)), 'a date (2026-12-02) or an ISO date-time');

/** The filters of the lists (JSON and CSV). */
export const inspectionFilters = {
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  commune: communeCode.optional(),
  finding: z.enum(FINDINGS).optional(),
  producerId: z.string().regex(/^[0-9a-z]{10}$/, 'a producer id (10 lowercase letters or digits)').optional(),
};

export const inspectionListSchema = listQuery(inspectionFilters);
export const inspectionCsvSchema = z.strictObject(inspectionFilters);
export type InspectionFilterInput = z.output<typeof inspectionCsvSchema>;

export const inspectionIdParams = z.object({ id: z.string().regex(INSPECTION_ID_PATTERN) });
