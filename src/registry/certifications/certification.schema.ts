import { z } from 'zod';
import { AUTHORITY_LEVELS } from './certification.model.js';
import { EARLIEST_DECISION_DATE, parseDecisionNumber, todayInVietnam } from './certification-rules.js';
import type { CertificationStatus } from './certification-status.js';
import { provinceCodeInput, recordId } from '../common.schema.js';
import { listQuery } from '../../paging.js';

const decisionNumberInput = z.string().transform((v, ctx) => {
  const parsed = parseDecisionNumber(v);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: 'a decision number looks like 1234/QĐ-UBND (QD is accepted for QĐ)' });
    return z.NEVER;
  }
  return parsed.canonical;
});

/** A calendar date (the date printed on the decision), not in the future in Vietnam. */
const decisionDateInput = z.iso
  .date('a date as YYYY-MM-DD')
  .refine((d) => d <= todayInVietnam(), { message: 'the decision date is in the future' })
  .refine((d) => d >= EARLIEST_DECISION_DATE, { message: `the OCOP programme rates products since ${EARLIEST_DECISION_DATE}` });

export const certificationCreateSchema = z.strictObject({
  stars: z.number().int('whole stars only').min(1).max(5),
  score: z.number().min(0).max(100),
  decisionNumber: decisionNumberInput,
  decisionDate: decisionDateInput,
  /** Level and name default from the stars and the producer's province when left out. */
  authority: z
    .strictObject({
      level: z.enum(AUTHORITY_LEVELS).optional(),
      name: z.string().trim().min(3).max(300).optional(),
    })
    .optional(),
  // Named so the refusal explains itself instead of "unrecognized key".
  validUntil: z.never('validUntil is computed (decision date + 36 months); do not send it').optional(),
  status: z.never('a new certification is active; revoke it with POST /certifications/:id/revoke').optional(),
});

export const revokeSchema = z.strictObject({
  reason: z.string('say why the certification is revoked').trim().min(5, 'at least 5 characters').max(1000),
});

export const CERT_STATUS_FILTERS = ['active', 'expired', 'revoked', 'superseded'] as const satisfies readonly CertificationStatus[];

export const certificationListSchema = listQuery({
  product: recordId.optional(),
  producer: recordId.optional(),
  province: provinceCodeInput.optional(),
  stars: z.coerce.number().int().min(1).max(5).optional(),
  status: z.enum(CERT_STATUS_FILTERS).optional(),
});

export type CertificationCreateInput = z.output<typeof certificationCreateSchema>;
export type CertificationListQuery = z.output<typeof certificationListSchema>;
