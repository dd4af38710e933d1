import { z } from 'zod';

/**
 * The one paging every offset list shares (registry, batches, label runs, API keys):
 * `?limit=` 1–100 (default 20) and either `?offset=` or `?page=` (1-based), never both;
 * the answer is `{items, page: {limit, offset, total}}`. Events page with a cursor
 * instead (EPCIS' nextPageToken, see docs/epcis.md).
 */

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * A list query: the filters plus paging. Query values arrive as strings. Unknown
 * parameters are refused so that a misspelt filter does not silently return everything.
 */
export function listQuery<S extends z.ZodRawShape>(filters: S) {
  return z
    .strictObject({
      ...filters,
      limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE} per page`).default(DEFAULT_PAGE_SIZE),
      offset: z.coerce.number().int().min(0).optional(),
      page: z.coerce.number().int().min(1).optional(),
    })
    // The generic shape hides the paging keys from TypeScript; they are always there.
    .refine((p) => (p as { offset?: number }).offset === undefined || (p as { page?: number }).page === undefined, {
      message: 'send offset or page, not both',
      path: ['page'],
    });
}

export type Paging = { limit: number; offset: number };

export function pagingOf(p: { limit: number; offset?: number | undefined; page?: number | undefined }): Paging {
  return { limit: p.limit, offset: p.offset ?? (p.page ? (p.page - 1) * p.limit : 0) };
}

export type Page<T> = { items: T[]; page: Paging & { total: number } };

