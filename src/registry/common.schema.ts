import { z } from 'zod';
import { normalizeUnitCode } from '../reference/admin-units.js';
import { ID_PATTERN } from '../ids.js';

/** Schema pieces the registry's inputs share. */

/** Province code: 1, "1" or "01" → "01". Existence is checked with the commune (addressProblems). */
export const provinceCodeInput = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const code = normalizeUnitCode(v, 2);
  if (code === null) {
    ctx.addIssue({ code: 'custom', message: 'a province code has 1–2 digits, e.g. "01" for Hà Nội' });
    return z.NEVER;
  }
  return code;
});

/** Commune code: 577 or "577" or "00577" → "00577". */
export const communeCodeInput = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const code = normalizeUnitCode(v, 5);
  if (code === null) {
    ctx.addIssue({ code: 'custom', message: 'a commune code has 1–5 digits, e.g. "00577"' });
    return z.NEVER;
  }
  return code;
});

export const recordId = z.string().regex(ID_PATTERN, 'not a record id (10 lowercase letters or digits)');

/** Optional free text: trimmed; empty becomes null so "clear this field" is easy to send. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();
