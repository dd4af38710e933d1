import { ScanModel, type ScanFlag } from './scan.model.js';
import { assertMay } from '../../policy/policy.js';
import type { Principal } from '../../policy/principal.js';
import type { Page, Paging } from '../../paging.js';

/**
 * Scans flagged for the programme office: forged labels (bad signature or unknown key)
 * and scans answered with the clone warning. The flag and what the list filters on are
 * written with the scan (verify.service.ts), so the list is one indexed query on
 * `flag` and time; scans recorded before flags were stored are not listed.
 */

export type FlaggedScanFilter = {
  kind?: ScanFlag | undefined;
  /** Calendar days in Vietnam (UTC+7), both included. */
  from?: string | undefined;
  to?: string | undefined;
  gtin?: string | undefined;
  productId?: string | undefined;
  province?: string | undefined;
};

export type FlaggedScan = {
  id: string;
  serial: string;
  time: Date;
  kind: ScanFlag;
  verdict: string;
  gtin: string | null;
  productId: string | null;
  province: string | null;
  place: string | null;
};

/** Rows a CSV download holds at most (narrow the filters for more). */
export const FLAGGED_CSV_MAX = 10_000;

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - VIETNAM_OFFSET_MS);

/** A province's admin sees its own province's flagged scans only. */
function filterOf(actor: Principal, f: FlaggedScanFilter): Record<string, unknown> {
  const scope = actor.role === 'admin' ? (actor.scope?.province ?? null) : null;
  if (scope && f.province && f.province !== scope) return { _id: { $in: [] } };
  if (scope) f = { ...f, province: scope };
  const filter: Record<string, unknown> = { flag: f.kind ? f.kind : { $in: ['forged', 'clone'] } };
  const time: Record<string, Date> = {};
  if (f.from) time.$gte = dayStart(f.from);
  if (f.to) time.$lt = new Date(dayStart(f.to).getTime() + 24 * 60 * 60 * 1000);
  if (Object.keys(time).length) filter.time = time;
  if (f.gtin) filter.flagGtin = f.gtin;
  if (f.productId) filter.flagProduct = f.productId;
  if (f.province) filter.flagProvince = f.province;
  return filter;
}

type Row = { _id: string; serial: string; time: Date; verdict: string; place?: string | null; flag: ScanFlag; flagGtin?: string | null; flagProduct?: string | null; flagProvince?: string | null };

const present = (r: Row): FlaggedScan => ({
  id: r._id,
  serial: r.serial,
  time: r.time,
  kind: r.flag,
  verdict: r.verdict,
  gtin: r.flagGtin ?? null,
  productId: r.flagProduct ?? null,
  province: r.flagProvince ?? null,
  place: r.place ?? null,
});

/** Newest first. */
export async function listFlaggedScans(actor: Principal, f: FlaggedScanFilter, paging: Paging): Promise<Page<FlaggedScan>> {
  assertMay(actor, 'flagged_scan.read');
  const filter = filterOf(actor, f);
  const [rows, total] = await Promise.all([
    ScanModel.find(filter).sort({ time: -1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<Row[]>(),
    ScanModel.countDocuments(filter),
  ]);
  return { items: rows.map(present), page: { ...paging, total } };
}

/** Every matching scan up to FLAGGED_CSV_MAX, newest first, for the CSV download. */
export async function flaggedScansForDownload(actor: Principal, f: FlaggedScanFilter): Promise<FlaggedScan[]> {
  assertMay(actor, 'flagged_scan.read');
  const rows = await ScanModel.find(filterOf(actor, f)).sort({ time: -1, _id: 1 }).limit(FLAGGED_CSV_MAX).lean<Row[]>();
  return rows.map(present);
}
