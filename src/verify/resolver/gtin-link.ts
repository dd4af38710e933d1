import { notFound } from '../../errors/app-error.js';
import { gtinCheckDigitOk } from '../../reference/gs1.js';
import { findProductByGtin } from '../../registry/products/product.service.js';
import { productPagePath } from '../../catalogue/catalogue.service.js';

/**
 * A GS1 Digital Link naming only a product: `/01/{gtin}` with no lot or serial (a shop's
 * shelf tag, a catalogue, a barcode read as a link). It names the product, not a label,
 * so it leads to the product's page in the public registry: 307 there with the query
 * kept, or 404 `resolver/gtin_not_found` when no product carries the GTIN. GTIN-8, -12,
 * -13 and -14 are read, as the registry stores them (left-padded to 14 digits). The route
 * asks only when the URL carries no label signature parameters (s, v, k, sig): with them
 * it is a label cut short, which the offline check of docs/label-format.md §4 also
 * reads as "not a label", so both keep giving one verdict.
 */
const GTIN_ONLY = /^\/01\/(\d{8}|\d{12,14})\/?$/;

/** The product page to send a GTIN-only link to; null when the path is not one (then it is a malformed label URL). */
export async function gtinOnlyTarget(path: string, search: string): Promise<string | null> {
  const digits = GTIN_ONLY.exec(path)?.[1];
  if (!digits) return null;
  const gtin = digits.padStart(14, '0');
  if (!gtinCheckDigitOk(gtin)) return null;
  const product = await findProductByGtin(gtin);
  if (!product) throw notFound('resolver/gtin_not_found', `No product in the registry carries GTIN ${gtin}.`);
  return `${productPagePath(product._id)}${search}`;
}
