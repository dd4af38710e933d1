import { findCommune } from '../../reference/admin-units.js';

/**
 * The province a scan is counted under on the statistics page. A label of ours belongs
 * to its producer's province. A forged or unknown label names no producer we can trust,
 * so it is counted where it was scanned, when the client sent the commune (?place=);
 * otherwise its province is not known (null).
 */
export function provinceOfScan(result: { found?: { producer: { address: { provinceCode: string } } | null } }, place: string | null): string | null {
  const own = result.found?.producer?.address.provinceCode;
  if (own) return own;
  return place ? (findCommune(place)?.provinceCode ?? null) : null;
}
