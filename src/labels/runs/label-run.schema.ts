import { z } from 'zod';
import { ID_PATTERN } from '../../ids.js';
import { SERIAL_PATTERN } from '../format/label-url.js';
import { listQuery } from '../../paging.js';

export const MAX_RUN_COUNT = 100_000;

export const recordIdParam = z.string().regex(ID_PATTERN, 'not a record id (10 lowercase letters or digits)');
/** A signing key's id: a full RFC 7638 thumbprint (43 base64url characters) or its 8-character prefix. */
export const kidParam = z.string().regex(/^[A-Za-z0-9_-]{8}([A-Za-z0-9_-]{35})?$/, 'a key id is 8 or 43 base64url characters');
export const serialParam = z.string().regex(SERIAL_PATTERN, 'not a label serial (13–20 letters or digits)');

export const issueRunBody = z.strictObject({
  count: z
    .number({ error: 'count must be a whole number from 1 to 100000' })
    .int('count must be a whole number')
    .min(1, 'at least 1 label')
    .max(MAX_RUN_COUNT, `at most ${MAX_RUN_COUNT} labels per run; split larger jobs into several runs`),
});

export const reasonBody = z.strictObject({
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(1000),
});

export const optionalReasonBody = z
  .strictObject({ reason: z.string().trim().min(1).max(1000).optional() })
  .optional()
  .transform((b) => b ?? {});

/** The smallest size that decodes depends on the label's symbol: checked by the route (label/png_too_small). */
export const pngQuery = z.strictObject({
  size: z.coerce.number().int('size is a whole number of pixels').min(1, 'size is at least 1 px').max(2048, 'size is at most 2048 px').default(512),
});

/** A batch's label runs: paging only. */
export const runListQuery = listQuery({});
