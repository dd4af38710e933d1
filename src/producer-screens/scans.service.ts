import { notFound } from '../errors/app-error.js';
import { assertMay } from '../policy/policy.js';
import type { Principal } from '../policy/principal.js';
import { findProduct, listProducts, type ProductRecord } from '../registry/products/product.service.js';
import { scansOfProducts } from '../verify/scans/scan-reads.js';
import { producerOf } from './events.service.js';
import { monthWindowStart, scanFigures, type ScanFigures } from './scans-figures.js';

/**
 * The scans of a producer's labels, for its scans screen:
 * 1. the account's producer, and its products (or the one product asked for, which
 *    must be its own: 403 otherwise);
 * 2. the scans whose URL names one of those products, by GTIN or by product id
 *    (src/verify/scans/scan-reads.ts): forgeries of its GTINs count too, another
 *    producer's labels never;
 * 3. counted per day, month, commune and product (scans-figures.ts).
 * At most SCANS_READ scans are read (the newest): beyond that the page says its
 * figures are cut, rather than reading a growing history on every view.
 */
export const SCANS_READ = 50_000;
export const DAY_WINDOWS = [30, 90] as const;
export type DayWindow = (typeof DAY_WINDOWS)[number];

export type ProducerScans = Omit<ScanFigures, 'products'> & {
  producerId: string;
  products: Array<ScanFigures['products'][number] & { name: string; gtin: string | null }>;
  allProducts: Array<{ id: string; name: string }>;
  productId: string | null;
  window: DayWindow;
  truncated: boolean;
  since: Date;
};

const PRODUCTS_READ = 500;

export async function producerScans(principal: Principal, opts: { window: DayWindow; productId?: string | null; producerId?: string | null }, now = new Date()): Promise<ProducerScans> {
  assertMay(principal, 'producer_scans.read');
  let product: ProductRecord | null = null;
  if (opts.productId) {
    product = await findProduct(opts.productId);
    if (!product) throw notFound('product/not_found', `No product ${opts.productId}.`);
  }
  const producerId = producerOf(principal, 'producer_scans.read', product?.producerId ?? opts.producerId);
  const all = (await listProducts({ producer: producerId, limit: PRODUCTS_READ, offset: 0 })).items;
  const chosen: ProductRecord[] = product ? [product] : all;
  const productOfKey = new Map<string, string>();
  for (const p of chosen) {
    productOfKey.set(p._id, p._id);
    if (p.gtin) productOfKey.set(p.gtin, p._id);
  }
  const since = monthWindowStart(now);
  const { scans, truncated } = await scansOfProducts([...productOfKey.keys()], since, SCANS_READ);
  const figures = scanFigures(scans, { now, days: opts.window, productOfKey, productIds: chosen.map((p) => p._id) });
  const byId = new Map(chosen.map((p) => [p._id, p]));
  return {
    ...figures,
    producerId,
    products: figures.products.map((row) => ({ ...row, name: byId.get(row.product)?.name.vi ?? row.product, gtin: byId.get(row.product)?.gtin ?? null })),
    allProducts: all.map((p) => ({ id: p._id, name: p.name.vi })),
    productId: opts.productId ?? null,
    window: opts.window,
    truncated,
    since,
  };
}
