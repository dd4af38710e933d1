import { z } from 'zod';
import { listQuery } from '../../paging.js';
import { communeCodeInput, recordId } from '../common.schema.js';

/**
 * A location to register: its GS1 identity either as an SGLN URN / GLN Digital Link
 * (`id`, as events name it) or as `gln` + optional `extension`; one of the two.
 */
export const locationCreateSchema = z
  .strictObject({
    id: z.string().trim().max(300).optional(),
    gln: z.string().trim().max(20).optional(),
    extension: z.string().trim().max(20).optional(),
    name: z.string().trim().min(2, 'at least 2 characters').max(200, 'at most 200 characters'),
    communeCode: communeCodeInput,
    producerId: recordId.nullable().optional(),
  })
  .refine((l) => (l.id === undefined) !== (l.gln === undefined), { message: 'send id (an SGLN or GLN Digital Link) or gln, not both', path: ['id'] })
  .refine((l) => l.extension === undefined || l.gln !== undefined, { message: 'extension goes with gln', path: ['extension'] });
export type LocationCreateInput = z.output<typeof locationCreateSchema>;

export const locationListSchema = listQuery({ producer: recordId.optional(), commune: communeCodeInput.optional() });
export type LocationListQuery = z.output<typeof locationListSchema>;
