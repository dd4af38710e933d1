import type { Logger } from '../logger.js';
import { issuedLabelsByMonth } from '../labels/runs/label-figures.js';
import { registryFigureRows } from '../registry/registry-figures.js';
import { scanCountsOfMonths } from '../verify/scans/scan-monthly.js';
import { buildSnapshot, lastMonths, MONTHS_SHOWN, monthStart, type Snapshot } from './dashboard-figures.js';
import { DashboardSnapshotModel, type DashboardSnapshotDoc } from './dashboard-snapshot.model.js';

const SNAPSHOT_ID = 'latest';

/**
 * Computes every figure of the statistics page once, from the features' services:
 *
 * 1. the registry: products whose current certification is in force (stars, group,
 *    producer kind, province, expiry) and every decision's year — a few fields of each
 *    product, producer and certification, bounded by the size of the registry;
 * 2. label runs issued in the months shown (one small document per print job);
 * 3. scan counts per month and province, kept as scans are recorded
 *    (src/verify/scans/scan-monthly.ts): the scan log itself is never read.
 */
export async function computeSnapshot(now: Date = new Date(), logger?: Logger): Promise<Snapshot> {
  const started = performance.now();
  const months = lastMonths(now, MONTHS_SHOWN);
  // The reads one after another, each timed: side by side they took longer in all on FerretDB (bench:statistics).
  const parts: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    parts[name] = Math.round(performance.now() - start);
    return result;
  };
  const registry = await timed('registry', () => registryFigureRows(now));
  const labels = await timed('labels', () => issuedLabelsByMonth(monthStart(months[0]!)));
  const scans = await timed('scans', () => scanCountsOfMonths(months));
  logger?.info({ parts }, 'statistics snapshot parts (ms)');
  return buildSnapshot(
    { now, registryAsOf: now, ...registry, labelsAsOf: now, labels, scansAsOf: now, scans },
    Math.round(performance.now() - started),
  );
}

/**
 * The snapshot the page is served from, in memory. It is recomputed at most every
 * `refreshMs`: a request that finds it older starts one computation in the background
 * and is answered from the one held. Each computation is stored (dashboard-snapshot.model.ts):
 * a process that starts, or finds that another instance computed more recently, takes
 * that one instead of computing. Only the very first request of a fresh database waits.
 */
export class DashboardSnapshots {
  private held: Snapshot | null = null;
  private running: Promise<Snapshot> | null = null;

  constructor(private readonly opts: { refreshMs: number; logger?: Logger; clock?: () => Date }) {}

  private now(): Date {
    return this.opts.clock?.() ?? new Date();
  }

  /** The snapshot to serve: the held one (refreshed in the background when old), else the stored one, else a new one. */
  async current(): Promise<Snapshot> {
    const held = this.held;
    if (held) {
      if (this.isOld(held)) void this.refresh(false).catch((err: unknown) => this.opts.logger?.warn({ err }, 'statistics snapshot not refreshed'));
      return held;
    }
    return this.refresh(false);
  }

  /**
   * Brings the snapshot up to date: the stored one if it is recent enough (or `force` is
   * false and it is newer than the held one), else computes, stores and holds a new one.
   * Concurrent calls share one computation.
   */
  refresh(force = true): Promise<Snapshot> {
    this.running ??= this.load(force).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private isOld(s: Snapshot): boolean {
    return this.now().getTime() - Date.parse(s.computedAt) >= this.opts.refreshMs;
  }

  private async load(force: boolean): Promise<Snapshot> {
    if (!force) {
      const stored = await DashboardSnapshotModel.findById(SNAPSHOT_ID).lean<DashboardSnapshotDoc>();
      if (stored) {
        const snapshot = JSON.parse(stored.json) as Snapshot;
        if (!this.isOld(snapshot)) return this.hold(snapshot);
      }
    }
    const snapshot = await computeSnapshot(this.now(), this.opts.logger);
    this.opts.logger?.info({ durationMs: snapshot.durationMs }, 'statistics snapshot computed');
    await DashboardSnapshotModel.updateOne(
      { _id: SNAPSHOT_ID },
      { $set: { computedAt: new Date(snapshot.computedAt), json: JSON.stringify(snapshot) } },
      { upsert: true },
    );
    return this.hold(snapshot);
  }

  private hold(snapshot: Snapshot): Snapshot {
    if (!this.held || snapshot.computedAt >= this.held.computedAt) this.held = snapshot;
    return this.held;
  }
}
