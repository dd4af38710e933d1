import { z } from 'zod';
import { ROLES } from '../policy/principal.js';
import { listQuery } from '../paging.js';
import { provinceCodeInput } from '../registry/common.schema.js';

/**
 * A new API key: a producer key names its producer, the others none. An admin key may
 * name the `province` office it acts for, an inspector key the `provinces` it works in;
 * the national office leaves them out for a national key, a provincial office's keys get
 * its province whatever is sent (and refuse another one).
 */
export const apiKeyCreateSchema = z
  .strictObject({
    role: z.enum(ROLES),
    label: z.string().trim().min(1).max(200),
    producerId: z.string().regex(/^[0-9a-z]{10}$/, 'not a producer id').optional(),
    province: provinceCodeInput.optional(),
    provinces: z.array(provinceCodeInput).min(1, 'name at least one province, or leave provinces out').max(34).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'producer' && !v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'a producer key needs its producerId' });
    if (v.role !== 'producer' && v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'only producer keys belong to a producer' });
    if (v.role !== 'admin' && v.province) ctx.addIssue({ code: 'custom', path: ['province'], message: 'only admin keys act for a province office; an inspector key names its provinces' });
    if (v.role !== 'inspector' && v.provinces) ctx.addIssue({ code: 'custom', path: ['provinces'], message: 'only inspector keys name the provinces they work in' });
  });

export const apiKeyListSchema = listQuery({});
