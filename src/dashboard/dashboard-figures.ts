import type { CertifiedProductRow, DecisionRow } from '../registry/registry-figures.js';
import type { IssuedLabelsRow } from '../labels/runs/label-figures.js';
import type { ScanMonthCounts } from '../verify/scans/scan-monthly.js';

/**
 * The figures of the statistics page, as one plain snapshot (JSON-safe: it is stored in
 * the database as it is). Every figure is kept per province — key → count for each
 * province code ('' for an unknown one) — so `?province=` narrows by reading one entry
 * and the whole country is the sum. Pure: the inputs come from the features' services.
 */
export type Counts = Record<string, number>;
export type ByProvince = Record<string, Counts>;
export type Figure = { asOf: string; byProvince: ByProvince };

export const FIGURE_NAMES = ['stars', 'groups', 'kinds', 'provinces', 'years', 'expiring', 'labels', 'scans', 'signals'] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export type Snapshot = {
  computedAt: string;
  /** How long the computation took, in milliseconds (shown on the page, logged). */
  durationMs: number;
  /** The months (YYYY-MM) the monthly figures cover, oldest first. */
  months: string[];
  /** The months (YYYY-MM) certifications expiring within EXPIRING_DAYS fall in. */
  expiringMonths: string[];
  figures: Record<FigureName, Figure>;
};

export const MONTHS_SHOWN = 12;
export const EXPIRING_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export const monthInVietnam = (t: Date | number) => new Date(new Date(t).getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7);

/** The `count` months up to and including the one `now` falls in (Vietnam time), oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  const [y, m] = monthInVietnam(now).split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1)).toISOString().slice(0, 7));
}

/** The first instant of a month (YYYY-MM) in Vietnam. */
export const monthStart = (month: string) => new Date(Date.parse(`${month}-01T00:00:00Z`) - VIETNAM_OFFSET_MS);

function add(by: ByProvince, province: string, key: string, n = 1): void {
  const counts = (by[province] ??= {});
  counts[key] = (counts[key] ?? 0) + n;
}

export type SnapshotInputs = {
  now: Date;
  registryAsOf: Date;
  certified: CertifiedProductRow[];
  decisions: DecisionRow[];
  labelsAsOf: Date;
  labels: IssuedLabelsRow[];
  provinceOfProducer: ReadonlyMap<string, string>;
  scansAsOf: Date;
  /** month → province → counts */
  scans: ReadonlyMap<string, ReadonlyMap<string, ScanMonthCounts>>;
};

export function buildSnapshot(input: SnapshotInputs, durationMs: number): Snapshot {
  const { now } = input;
  const months = lastMonths(now, MONTHS_SHOWN);
  const expiringUntil = now.getTime() + EXPIRING_DAYS * DAY_MS;
  const expiringMonths = [...new Set([monthInVietnam(now), ...lastMonths(new Date(expiringUntil), 4)])].filter((m) => m >= monthInVietnam(now) && m <= monthInVietnam(expiringUntil)).sort();

  const stars: ByProvince = {};
  const groups: ByProvince = {};
  const kinds: ByProvince = {};
  const provinces: ByProvince = {};
  const expiring: ByProvince = {};
  for (const row of input.certified) {
    add(stars, row.province, String(row.stars));
    add(groups, row.province, row.group);
    add(kinds, row.province, row.kind);
    add(provinces, row.province, row.province);
    const until = row.validUntil.getTime();
    if (until >= now.getTime() && until <= expiringUntil) add(expiring, row.province, monthInVietnam(until));
  }
  const years: ByProvince = {};
  for (const d of input.decisions) add(years, d.province, String(d.year));

  const labels: ByProvince = {};
  for (const row of input.labels) {
    if (!months.includes(row.month)) continue;
    add(labels, input.provinceOfProducer.get(row.producerId) ?? '', row.month, row.labels);
  }
  const scans: ByProvince = {};
  const signals: ByProvince = {};
  for (const month of months) {
    for (const c of input.scans.get(month)?.values() ?? []) {
      add(scans, c.p, month, c.scans);
      add(signals, c.p, 'forged', c.forged);
      add(signals, c.p, 'unknown', c.unknown);
      add(signals, c.p, 'clones', c.clones);
    }
  }

  const registry = input.registryAsOf.toISOString();
  const at = (asOf: Date, byProvince: ByProvince): Figure => ({ asOf: asOf.toISOString(), byProvince });
  return {
    computedAt: now.toISOString(),
    durationMs,
    months,
    expiringMonths,
    figures: {
      stars: { asOf: registry, byProvince: stars },
      groups: { asOf: registry, byProvince: groups },
      kinds: { asOf: registry, byProvince: kinds },
      provinces: { asOf: registry, byProvince: provinces },
      years: { asOf: registry, byProvince: years },
      expiring: { asOf: registry, byProvince: expiring },
      labels: at(input.labelsAsOf, labels),
      scans: at(input.scansAsOf, scans),
      signals: at(input.scansAsOf, signals),
    },
  };
}

/** A figure's counts for one province, or summed over all of them (province null). */
export function countsOf(figure: Figure, province: string | null): Counts {
  if (province !== null) return { ...(figure.byProvince[province] ?? {}) };
  const sum: Counts = {};
  for (const counts of Object.values(figure.byProvince)) for (const [k, n] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + n;
  return sum;
}

/** Signals are per province on the page: rows are provinces, each with its three counts. */
export function signalsByProvince(figure: Figure, province: string | null): Array<{ province: string; forged: number; unknown: number; clones: number }> {
  const entries = Object.entries(figure.byProvince).filter(([p]) => province === null || p === province);
  return entries
    .map(([p, c]) => ({ province: p, forged: c.forged ?? 0, unknown: c.unknown ?? 0, clones: c.clones ?? 0 }))
    .filter((r) => r.forged + r.unknown + r.clones > 0)
    .sort((a, b) => b.forged + b.unknown + b.clones - (a.forged + a.unknown + a.clones) || a.province.localeCompare(b.province));
}
