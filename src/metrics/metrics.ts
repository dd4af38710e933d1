import mongoose from 'mongoose';
import client from 'prom-client';

/**
 * The service's Prometheus metrics (docs/operations.md, "Metrics"), in prom-client's
 * global registry: in a cluster, the primary's AggregatorRegistry asks every worker for
 * it (metrics-server.ts). Every label set is small and fixed: route classes, verdicts,
 * cache names — never a URL, a serial or a key.
 *
 * What the hot path already counts in plain numbers (verdicts, cache hits, scans
 * buffered) is read when Prometheus scrapes (`observe`), so a verification costs no
 * metric call; the rarer events (label runs, database reconnects) count here directly.
 */
export const registry = client.register;

/** Request classes, by path prefix (request-metrics.ts): a bounded set, whatever URLs arrive. */
export const ROUTE_CLASSES = ['label', 'resolver', 'api_read', 'api_write', 'page', 'static', 'health', 'other'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

export const httpRequests = new client.Counter({
  name: 'ocop_http_requests_total',
  help: 'HTTP requests answered, by route class and status class (2xx, 3xx, 4xx, 5xx).',
  labelNames: ['class', 'status'] as const,
});

export const httpDuration = new client.Histogram({
  name: 'ocop_http_request_duration_seconds',
  help: 'Time from a request to its answer being sent, by route class.',
  labelNames: ['class'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

export const databaseEvents = new client.Counter({
  name: 'ocop_database_events_total',
  help: 'Database connection events (disconnected, reconnected, error) and requests answered 503 because it did not answer (unavailable).',
  labelNames: ['event'] as const,
});

export const labelsWritten = new client.Counter({ name: 'ocop_labels_written_total', help: 'Labels written by label runs.' });

export const labelRuns = new client.Counter({
  name: 'ocop_label_runs_total',
  help: 'Label runs finished by this instance, by outcome (issued, failed).',
  labelNames: ['outcome'] as const,
});

export const labelRunsInProgress = new client.Gauge({ name: 'ocop_label_runs_in_progress', help: 'Label runs this instance is writing now.' });

/** What a scrape reads from the running service (main.ts wires it; absent in tests that build only the app). */
export type Observed = {
  verdicts(): Record<string, number>;
  caches(): Record<string, { hits: number; misses: number }>;
  scans(): { buffered: number; recorded: number; written: number; dropped: number; oldestBufferedAt: number | null };
  /** The labels' scan figures (scan-tallies.ts): running totals, and the labels with scans not yet written. */
  tallies(): { versionsWritten: number; conflicts: number; failedWrites: number; droppedScans: number; newsTaken: number; newsMissed: number; versionsRead: number; unwrittenLabels: number };
  changes(): { seen: number; applied: number; resets: number; failedPolls: number; lastLagMs: number; polledAt: number; unwritten: number };
};

let observed: Observed | null = null;

/** Hands the scrape the live figures of this process's verifier, scan recorder and change feed. */
export function observe(source: Observed): void {
  observed = source;
}

/** A counter whose value is kept elsewhere as a running total: each scrape adds what it grew by. */
function totalFrom<L extends string>(name: string, help: string, labelNames: readonly L[], read: (o: Observed) => Array<[Record<L, string>, number]>) {
  const last = new Map<string, number>();
  return new client.Counter<L>({
    name,
    help,
    labelNames,
    collect() {
      if (!observed) return;
      for (const [labels, value] of read(observed)) {
        const key = JSON.stringify(labels);
        const grew = value - (last.get(key) ?? 0);
        if (grew > 0) this.inc(labels, grew);
        last.set(key, value);
      }
    },
  });
}

function gaugeOf(name: string, help: string, read: (o: Observed, now: number) => number) {
  return new client.Gauge({
    name,
    help,
    collect() {
      if (observed) this.set(read(observed, Date.now()));
    },
  });
}

totalFrom('ocop_verdicts_total', 'Verification verdicts given (page, JSON and linkset), by verdict.', ['verdict'], (o) =>
  Object.entries(o.verdicts()).map(([verdict, n]) => [{ verdict }, n]),
);
totalFrom('ocop_cache_lookups_total', 'Verifier cache lookups, by cache and result (hit: answered from memory; miss: loaded).', ['cache', 'result'], (o) =>
  Object.entries(o.caches()).flatMap(([cache, c]) => [
    [{ cache, result: 'hit' }, c.hits],
    [{ cache, result: 'miss' }, c.misses],
  ]),
);
totalFrom('ocop_scans_total', 'Scans recorded, written to the database and dropped (buffer full).', ['outcome'], (o) => {
  const s = o.scans();
  return [
    [{ outcome: 'recorded' }, s.recorded],
    [{ outcome: 'written' }, s.written],
    [{ outcome: 'dropped' }, s.dropped],
  ];
});
gaugeOf('ocop_scans_buffered', 'Scans waiting in memory for the next flush.', (o) => o.scans().buffered);
gaugeOf('ocop_scan_flush_lag_seconds', 'Age of the oldest scan still waiting to be written (0: none waiting).', (o, now) => {
  const at = o.scans().oldestBufferedAt;
  return at === null ? 0 : Math.max(0, now - at) / 1000;
});
totalFrom('ocop_scan_tallies_total', "Labels' scan figures: versions written, writes lost to another instance's version, failed flushes, scans dropped (too many labels unwritten), other instances' announcements taken whole or missed, and versions read one by one.", ['event'], (o) => {
  const t = o.tallies();
  return [
    [{ event: 'version_written' }, t.versionsWritten],
    [{ event: 'conflict' }, t.conflicts],
    [{ event: 'failed_flush' }, t.failedWrites],
    [{ event: 'dropped_scan' }, t.droppedScans],
    [{ event: 'news_taken' }, t.newsTaken],
    [{ event: 'news_missed' }, t.newsMissed],
    [{ event: 'version_read' }, t.versionsRead],
  ];
});
gaugeOf('ocop_scan_tallies_unwritten_labels', "Labels whose scans this instance has not yet written to their figures.", (o) => o.tallies().unwrittenLabels);
gaugeOf('ocop_change_feed_lag_seconds', 'How late the newest change read from the feed arrived (its write to this poll).', (o) => o.changes().lastLagMs / 1000);
gaugeOf('ocop_change_feed_poll_age_seconds', 'Time since the change feed last answered a poll.', (o, now) => {
  const at = o.changes().polledAt;
  return at === 0 ? 0 : Math.max(0, now - at) / 1000;
});
gaugeOf('ocop_change_feed_unwritten', 'Changes made here that the database refused; the next poll writes them.', (o) => o.changes().unwritten);
totalFrom('ocop_change_feed_events_total', 'Changes read from the feed (applied), feed polls that failed, and resets (changes missed: every cache dropped).', ['event'], (o) => {
  const c = o.changes();
  return [
    [{ event: 'applied' }, c.applied],
    [{ event: 'failed_poll' }, c.failedPolls],
    [{ event: 'reset' }, c.resets],
  ];
});

/** Process metrics (CPU, memory, event loop lag, GC), once per process. */
let defaults = false;
export function collectProcessMetrics(labels?: Record<string, string>): void {
  if (labels) registry.setDefaultLabels(labels);
  if (defaults) return;
  defaults = true;
  client.collectDefaultMetrics({ register: registry });
}

/**
 * In a cluster worker: answer the primary's requests for this registry. prom-client
 * starts listening for them when an AggregatorRegistry is made, in any process.
 */
export function answerClusterPrimary(): void {
  new client.AggregatorRegistry();
}

/** Counts the database connection's drops, reconnects and errors (the driver retries by itself). */
let watching = false;
export function watchDatabase(): void {
  if (watching) return;
  watching = true;
  for (const event of ['disconnected', 'reconnected', 'error'] as const) mongoose.connection.on(event, () => databaseEvents.inc({ event }));
}
