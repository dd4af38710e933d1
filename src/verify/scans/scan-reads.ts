import type { Verdict } from '../verdict.js';
import { ScanModel } from './scan.model.js';

/** One scan as a producer's figures need it: when, where (if the scanner shared it), the verdict and the clone warning. */
export type ProductScan = { product: string; time: Date; place: string | null; verdict: Verdict; clone: boolean };

/**
 * The scans of the given products (GTIN-14s or /p/ product ids, as scan.model.ts
 * stores `product`) since a moment, at most `limit` in all (the newest); `truncated`
 * says when there were more. One equality query per product on the (product, time) index:
 * FerretDB hands an equality to its backend, not a `$in` (FERRETDB.md). The caller
 * decides whose products these are.
 */
export async function scansOfProducts(products: readonly string[], since: Date, limit: number): Promise<{ scans: ProductScan[]; truncated: boolean }> {
  const keys = [...new Set(products)];
  const per = await Promise.all(
    keys.map((product) =>
      ScanModel.find({ product, time: { $gte: since } }, { _id: 0, time: 1, place: 1, verdict: 1, flag: 1 })
        .sort({ time: -1 })
        .limit(limit + 1)
        .lean<{ time: Date; place?: string | null; verdict: Verdict; flag?: string }[]>()
        .then((rows) => rows.map((r) => ({ product, time: r.time, place: r.place ?? null, verdict: r.verdict, clone: r.flag === 'clone' }))),
    ),
  );
  // The newest first, so a cut keeps the most recent days whole.
  const all = per.flat().sort((a, b) => b.time.getTime() - a.time.getTime());
  return { scans: all.slice(0, limit), truncated: all.length > limit };
}
