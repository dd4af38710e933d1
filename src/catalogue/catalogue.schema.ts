import { z } from 'zod';
import { listQuery } from '../paging.js';
import { allGroupCodes } from '../reference/product-groups.js';
import { PRODUCER_KINDS } from '../registry/producers/producer.schema.js';
import { communeCodeInput, provinceCodeInput } from '../registry/common.schema.js';
import { CATALOGUE_SORTS } from './catalogue-search.js';

/**
 * The public registry's search query, the same for the page (/products) and the JSON
 * (/api/v1/registry/search): every filter is a GET parameter, so a search is a URL to
 * share. The filters are the products API's (q, province, group, stars, status) plus
 * commune, producer kind and sort.
 */
const filters = {
  q: z.string().trim().max(100, 'at most 100 characters').optional(),
  province: provinceCodeInput.optional(),
  commune: communeCodeInput.optional(),
  group: z
    .string()
    .refine((c) => allGroupCodes.includes(c), { message: `one of ${allGroupCodes.join(', ')}` })
    .optional(),
  stars: z.coerce.number().int().min(1).max(5).optional(),
  kind: z.enum(PRODUCER_KINDS).optional(),
  status: z.enum(['active', 'expired', 'none']).optional(),
  sort: z.enum(CATALOGUE_SORTS).optional(),
};

export const catalogueSearchSchema = listQuery(filters);
/** The page also takes the language switch. */
export const cataloguePageSchema = listQuery({ ...filters, lang: z.enum(['vi', 'en']).optional() });

export type CatalogueSearchInput = z.output<typeof catalogueSearchSchema>;

/**
 * A form sends every field, the empty ones as "" ("any province"): those mean "no
 * filter", not a value to refuse.
 */
export function withoutEmpty(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
}

/** A label serial as typed under the QR: spaces and dashes people add are dropped. */
export const serialInput = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[0-9A-Za-z]{13,20}$/, 'a serial is 13 to 20 letters and digits'));
