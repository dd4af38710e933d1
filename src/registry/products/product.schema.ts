import { z } from 'zod';
import { allGroupCodes, currentGroupCodes, CURRENT_GROUP_LIST_VERSION } from '../../reference/product-groups.js';
import { optionalText, provinceCodeInput, recordId } from '../common.schema.js';
import { listQuery } from '../../paging.js';

/**
 * A GTIN is sent as a string: as a JSON number it would lose its leading zeros. Only
 * the shape is checked here; digits and the check digit are checked by normalizeGtin,
 * which answers `product/invalid_gtin` naming the expected digit.
 */
const gtinInput = z.string('send the GTIN as a string of digits, e.g. "8936045120019"').trim().max(20, 'at most 20 characters');

const groupInput = z
  .string()
  .trim()
  .refine((c) => currentGroupCodes.includes(c), {
    message: `one of ${currentGroupCodes.join(', ')} (the product groups of Decision 148/QĐ-TTg, list version ${CURRENT_GROUP_LIST_VERSION})`,
  });

const viName = z.string().trim().min(2, 'at least 2 characters').max(300, 'at most 300 characters');

const imagesInput = z.array(z.url('an image is an http(s) URL').max(500)).max(10, 'at most 10 images');

/** Standards and technical regulations applied, as numbered: "TCVN 5250:2015", "QCVN 8-2:2011/BYT", "TCCS 01:2024/…". */
const standardsInput = z
  .array(z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'))
  .max(10, 'at most 10 standards');

export const productCreateSchema = z.strictObject({
  producerId: recordId,
  name: z.strictObject({ vi: viName, en: optionalText(300) }),
  group: groupInput,
  gtin: gtinInput.nullable().optional(),
  description: optionalText(2000),
  images: imagesInput.optional(),
  standards: standardsInput.optional(),
});

/** A patch: name parts merge; a new group must come from the current list; gtin null removes it. */
export const productPatchSchema = z
  .strictObject({
    name: z.strictObject({ vi: viName.optional(), en: optionalText(300) }).optional(),
    group: groupInput.optional(),
    gtin: gtinInput.nullable().optional(),
    description: optionalText(2000),
    images: imagesInput.optional(),
    standards: standardsInput.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'send at least one field to change' });

/** Status of the product's current certification; `none`: no current certification. */
export const PRODUCT_CERT_STATUSES = ['active', 'expired', 'none'] as const;

export const productListSchema = listQuery({
  producer: recordId.optional(),
  group: z
    .string()
    .refine((c) => allGroupCodes.includes(c), { message: `one of ${allGroupCodes.join(', ')}` })
    .optional(),
  gtin: z.string().trim().max(20).optional(),
  stars: z.coerce.number().int().min(1).max(5).optional(),
  status: z.enum(PRODUCT_CERT_STATUSES).optional(),
  province: provinceCodeInput.optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

export type ProductCreateInput = z.output<typeof productCreateSchema>;
export type ProductPatchInput = z.output<typeof productPatchSchema>;
export type ProductListQuery = z.output<typeof productListSchema>;
