import { z } from 'zod';
import { ROLES } from '../policy/principal.js';
import { listQuery } from '../paging.js';

/** A new API key: a producer key names its producer, the others none. */
export const apiKeyCreateSchema = z
  .strictObject({
    role: z.enum(ROLES),
    label: z.string().trim().min(1).max(200),
    producerId: z.string().regex(/^[0-9a-z]{10}$/, 'not a producer id').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'producer' && !v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'a producer key needs its producerId' });
    if (v.role !== 'producer' && v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'only producer keys belong to a producer' });
  });

export const apiKeyListSchema = listQuery({});
