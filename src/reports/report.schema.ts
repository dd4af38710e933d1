import { z } from 'zod';
import { listQuery } from '../paging.js';
import { REPORT_STATUSES } from './report-kinds.js';

/** The reports list (GET /api/v1/reports): a status and a province to filter on, and paging. */
export const reportListSchema = listQuery({
  status: z.enum(REPORT_STATUSES).optional(),
  province: z.string().regex(/^\d{2}$/, 'a 2-digit province code').optional(),
});
