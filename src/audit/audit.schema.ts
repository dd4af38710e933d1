import { z } from 'zod';
import { listQuery } from '../paging.js';

/**
 * The audit log's filters for programs (GET /api/v1/audit): the same as the office's
 * screen (src/office/office-audit.routes.ts), with instants instead of Vietnam days.
 */
export const auditListSchema = listQuery({
  user: z.string().regex(/^[0-9a-z]{1,60}$/, 'a user id').optional().meta({ description: "A user's writes: through their sessions and the keys bound to them." }),
  actor: z.string().regex(/^[0-9A-Za-z:_-]{1,60}$/, 'an API key id, user:<id> or system').optional().meta({ description: "One credential's writes." }),
  action: z.string().regex(/^[a-z_]{2,40}\.[a-z_]{2,40}$/, 'an action such as producer.create').optional(),
  record: z.string().regex(/^[0-9A-Za-z_-]{1,60}$/, "a record's id").optional().meta({ description: 'The record written.' }),
  province: z.string().regex(/^\d{2}$/, 'a 2-digit province code').optional().meta({ description: "Entries of this province's records; a provincial admin gets its own province's without it." }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'From this instant (included).' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Up to this instant (excluded).' }),
});
