import { ScanModel } from './scan.model.js';
import { CLONE_WINDOW_MS, type ScanFigures } from './verdict.js';

/**
 * What the page says about a label's scans ("scanned 3 times, first on …") and what
 * clone suspicion is computed from. Loaded from the database once per label per cache
 * period (one count and two small indexed finds, in parallel); this process's new
 * scans are then added in memory, so a busy label costs no further round trips.
 * Scans by other instances show up at the next reload (bounded by the cache TTL).
 */
export type ScanStats = {
  total: number;
  firstAt: Date | null;
  /** Newest last; only scans inside the clone window, at most RECENT_KEPT. */
  recent: Array<{ time: number; clientHash: string }>;
};

/** Enough recent scans to see every client-count threshold crossed, and no more. */
const RECENT_KEPT = 64;

export async function loadScanStats(serial: string, now = new Date()): Promise<ScanStats> {
  const since = new Date(now.getTime() - CLONE_WINDOW_MS);
  const [total, first, recent] = await Promise.all([
    ScanModel.countDocuments({ serial }),
    ScanModel.find({ serial }).sort({ time: 1 }).limit(1).select({ time: 1 }).lean(),
    ScanModel.find({ serial, time: { $gte: since } })
      .sort({ time: -1 })
      .limit(RECENT_KEPT)
      .select({ time: 1, clientHash: 1 })
      .lean(),
  ]);
  return {
    total,
    firstAt: first[0]?.time ?? null,
    recent: recent.reverse().map((s) => ({ time: s.time.getTime(), clientHash: s.clientHash })),
  };
}

/** Adds a scan this process just recorded. */
export function addScan(stats: ScanStats, time: Date, clientHash: string): void {
  stats.total += 1;
  stats.firstAt ??= time;
  stats.recent.push({ time: time.getTime(), clientHash });
  if (stats.recent.length > RECENT_KEPT) stats.recent.splice(0, stats.recent.length - RECENT_KEPT);
}

export function scanFigures(stats: ScanStats, now = new Date()): ScanFigures {
  const since = now.getTime() - CLONE_WINDOW_MS;
  const clients = new Set(stats.recent.filter((s) => s.time >= since).map((s) => s.clientHash));
  return { total: stats.total, clientsInWindow: clients.size };
}
