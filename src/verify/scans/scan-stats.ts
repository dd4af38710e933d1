import { ScanModel } from './scan.model.js';
import { CLONE_MAX_CLIENTS_PER_WINDOW, CLONE_WINDOW_MS, type ScanFigures } from '../verdict.js';

/**
 * What the page says about a label's scans ("scanned 3 times, first on …") and what
 * clone suspicion is computed from. Loaded from the database once per label per cache
 * period; this process's new scans are then added in memory, so a busy label costs no
 * further round trips. Scans by other instances show up at the next reload (bounded
 * by the cache TTL).
 */
export type ScanStats = {
  total: number;
  firstAt: Date | null;
  /** Newest last; at most RECENT_KEPT, older than the clone window ignored when counting. */
  recent: Array<{ time: number; clientHash: string }>;
};

/** Enough recent scans to see every clone threshold crossed, and no more. */
const RECENT_KEPT = 64;

/**
 * Most labels are scanned a few times in their life, so one indexed find of the
 * newest RECENT_KEPT + 1 scans usually tells everything: when it returns fewer, it
 * holds every scan (the total and the first one). Only a label scanned more often
 * costs a count and a find of its first scan as well.
 */
export async function loadScanStats(serial: string): Promise<ScanStats> {
  const newest = await ScanModel.find({ serial })
    .sort({ time: -1 })
    .limit(RECENT_KEPT + 1)
    .select({ time: 1, clientHash: 1 })
    .lean();
  const recent = newest
    .slice(0, RECENT_KEPT)
    .reverse()
    .map((s) => ({ time: s.time.getTime(), clientHash: s.clientHash }));
  if (newest.length <= RECENT_KEPT) return { total: newest.length, firstAt: newest.at(-1)?.time ?? null, recent };
  const [total, first] = await Promise.all([
    ScanModel.countDocuments({ serial }),
    ScanModel.find({ serial }).sort({ time: 1 }).limit(1).select({ time: 1 }).lean(),
  ]);
  return { total, firstAt: first[0]?.time ?? null, recent };
}

/** Adds a scan this process just recorded. */
export function addScan(stats: ScanStats, time: Date, clientHash: string): void {
  stats.total += 1;
  stats.firstAt ??= time;
  stats.recent.push({ time: time.getTime(), clientHash });
  if (stats.recent.length > RECENT_KEPT) stats.recent.splice(0, stats.recent.length - RECENT_KEPT);
}

/**
 * The figures clone suspicion weighs. Distinct clients are counted only up to one past
 * the suspicion threshold (beyond it the answer is the same), newest first, stopping
 * at the window's edge: this runs on every scan of a busy label.
 */
export function scanFigures(stats: ScanStats, now = new Date()): ScanFigures {
  const since = now.getTime() - CLONE_WINDOW_MS;
  const clients: string[] = [];
  for (let i = stats.recent.length - 1; i >= 0 && clients.length <= CLONE_MAX_CLIENTS_PER_WINDOW; i -= 1) {
    const scan = stats.recent[i]!;
    if (scan.time < since) break;
    if (!clients.includes(scan.clientHash)) clients.push(scan.clientHash);
  }
  return { total: stats.total, clientsInWindow: clients.length };
}
