import { newId } from '../../ids.js';
import type { Verdict } from '../verdict.js';
import { ScanMonthModel, type ScanMonthCounts, type ScanMonthDoc } from './scan-month.model.js';

export type { ScanMonthCounts } from './scan-month.model.js';

/** What the statistics page learns of one scan, besides its time and verdict. */
export type ScanSignals = {
  /** The producer's province for a label of ours, else the province of the place sent with the scan, else null. */
  province: string | null;
  /** The scan was answered with the clone warning. */
  clone: boolean;
};

/** Vietnam has one time zone, UTC+7, and no daylight saving: months begin at 17:00 UTC the day before. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The month (YYYY-MM, Vietnam time) a moment falls in. */
export const monthOf = (time: Date | number): string => new Date(new Date(time).getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7);

/**
 * Scans per month and province, counted as they are recorded (scan-month.model.ts). In
 * memory this process's running totals; `flush` writes the months that changed, one
 * `updateOne` each (one or two a second at most). A crash loses the counts since the
 * last flush, as it loses the scans still buffered. Months stay in memory for the life of
 * the process (a few dozen small counters a month): a month dropped and counted again
 * would overwrite its document with the smaller new total.
 */
export class ScanMonthly {
  private readonly instance = `${newId()}${newId()}`;
  private readonly months = new Map<string, Map<string, ScanMonthCounts>>();
  private readonly changed = new Set<string>();

  get dirty(): boolean {
    return this.changed.size > 0;
  }

  add(time: Date, verdict: Verdict, signals: ScanSignals): void {
    const month = monthOf(time);
    let provinces = this.months.get(month);
    if (!provinces) {
      provinces = new Map();
      this.months.set(month, provinces);
    }
    const p = signals.province ?? '';
    let counts = provinces.get(p);
    if (!counts) {
      counts = { p, scans: 0, forged: 0, unknown: 0, clones: 0 };
      provinces.set(p, counts);
    }
    counts.scans += 1;
    if (verdict === 'forged') counts.forged += 1;
    if (verdict === 'unknown') counts.unknown += 1;
    if (signals.clone) counts.clones += 1;
    this.changed.add(month);
  }

  /** Writes the changed months; a failed write stays marked for the next flush. */
  async flush(): Promise<void> {
    const months = [...this.changed];
    this.changed.clear();
    const now = new Date();
    for (const [i, month] of months.entries()) {
      const provinces = [...(this.months.get(month)?.values() ?? [])].map((c) => ({ ...c }));
      try {
        await ScanMonthModel.updateOne(
          { _id: `${month}~${this.instance}` },
          { $set: { month, instance: this.instance, counts: JSON.stringify(provinces), updatedAt: now } },
          { upsert: true },
        );
      } catch (err) {
        for (const unwritten of months.slice(i)) this.changed.add(unwritten);
        throw err;
      }
    }
  }
}

/**
 * Scan counts of the given months, every instance's added up, per month and province.
 * Reads the month documents only (scan-month.model.ts), never the scan log.
 */
export async function scanCountsOfMonths(months: readonly string[]): Promise<Map<string, Map<string, ScanMonthCounts>>> {
  const docs = await ScanMonthModel.find({ month: { $in: [...months] } }, { month: 1, counts: 1 }).lean<Pick<ScanMonthDoc, 'month' | 'counts'>[]>();
  const out = new Map<string, Map<string, ScanMonthCounts>>();
  for (const doc of docs) {
    let byProvince = out.get(doc.month);
    if (!byProvince) {
      byProvince = new Map();
      out.set(doc.month, byProvince);
    }
    for (const c of JSON.parse(doc.counts) as ScanMonthCounts[]) {
      const sum = byProvince.get(c.p) ?? { p: c.p, scans: 0, forged: 0, unknown: 0, clones: 0 };
      sum.scans += c.scans;
      sum.forged += c.forged;
      sum.unknown += c.unknown;
      sum.clones += c.clones;
      byProvince.set(c.p, sum);
    }
  }
  return out;
}
