import type { SignedLabel } from '../../labels/format/label-url.js';
import type { ScanRecord } from './scan-recorder.js';
import { provinceOfScan } from './scan-province.js';

/** What a verification answered, as far as the scan log keeps it. */
type Answer = {
  verdict: ScanRecord['verdict'];
  warnings: readonly string[];
  found?: { product: { _id: string; gtin?: string | null }; producer: { address: { provinceCode: string } } | null };
};

/**
 * One scan as it is stored, and what the tallies count it under: the product the URL
 * names (a producer's scan figures), its province (statistics) and, for a forged label
 * or a suspected copy, the flag and what the office's flagged list filters on.
 */
export function scanRecordOf(
  presented: SignedLabel,
  result: Answer,
  scan: { place: string | null; clientHash: string },
  now: Date,
): { record: ScanRecord; province: string | null; clone: boolean } {
  const province = provinceOfScan(result, scan.place);
  const clone = result.warnings.includes('clone_suspected');
  const flag = result.verdict === 'forged' ? 'forged' : clone ? 'clone' : null;
  const product = presented.product.kind === 'gtin' ? presented.product.gtin : presented.product.productId;
  const record: ScanRecord = { serial: presented.serial, time: now, place: scan.place, clientHash: scan.clientHash, verdict: result.verdict, product };
  if (flag) {
    record.flag = flag;
    record.flagGtin = presented.product.kind === 'gtin' ? presented.product.gtin : (result.found?.product.gtin ?? null);
    record.flagProduct = result.found?.product._id ?? null;
    record.flagProvince = province;
  }
  return { record, province, clone };
}
