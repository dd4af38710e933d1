import { CLONE_MAX_EVER, CLONE_MAX_PER_WINDOW, CLONE_MAX_PLACES, CLONE_WINDOW_MS, type ScanFigures } from '../verdict.js';

/**
 * What is known of a label's scans, in a fixed small size whatever its history: the
 * page's "scanned N times, first on …" and what clone suspicion weighs. Every list is
 * capped a few past the threshold it feeds (beyond it the answer is the same), so a label
 * scanned a million times costs what one scanned twice does.
 *
 * The same shape holds a stored tally and the scans not yet written (a delta), and
 * `mergeInto` adds one to the other: the figures of a label are its tally plus what
 * this process has not written yet.
 */
export type Figures = {
  total: number;
  firstAt: Date | null;
  /** Distinct browsers, each with its newest scan time (ms); the newest WINDOW_KEPT kept. */
  window: Array<{ c: string; at: number }>;
  /** Distinct networks, each with its newest scan time (ms); the newest WINDOW_KEPT kept. */
  windowNetworks: Array<{ n: string; at: number }>;
  /** Distinct browsers ever, up to EVER_KEPT. */
  browsers: string[];
  /** Distinct networks ever, up to EVER_KEPT. */
  networks: string[];
  /** Distinct places (commune codes), each from a network no other listed place came from. */
  places: Array<{ p: string; n: string }>;
};

/** One scan as the figures see it: which browser (a hash of the user agent), from which network (a hash of the address), where. */
export type ScanEntry = { time: number; browser: string; network: string; place: string | null };

/** Counted a little past the thresholds (scripts/simulate-clones.ts tries neighbouring ones). */
const WINDOW_KEPT = CLONE_MAX_PER_WINDOW + 4;
const EVER_KEPT = CLONE_MAX_EVER + 8;
const PLACES_KEPT = CLONE_MAX_PLACES + 2;

export const noScans = (): Figures => ({ total: 0, firstAt: null, window: [], windowNetworks: [], browsers: [], networks: [], places: [] });

export function addScan(f: Figures, s: ScanEntry): void {
  f.total += 1;
  if (f.firstAt === null || s.time < f.firstAt.getTime()) f.firstAt = new Date(s.time);
  seen(f.window, 'c', s.browser, s.time, WINDOW_KEPT);
  seen(f.windowNetworks, 'n', s.network, s.time, WINDOW_KEPT);
  if (f.browsers.length < EVER_KEPT && !f.browsers.includes(s.browser)) f.browsers.push(s.browser);
  if (f.networks.length < EVER_KEPT && !f.networks.includes(s.network)) f.networks.push(s.network);
  if (s.place) addPlace(f, s.place, s.network);
}

/** Adds `delta` to `into` (both keep their caps; the result is what scanning both would give). */
export function mergeInto(into: Figures, delta: Figures): void {
  into.total += delta.total;
  if (delta.firstAt && (into.firstAt === null || delta.firstAt < into.firstAt)) into.firstAt = delta.firstAt;
  for (const w of delta.window) seen(into.window, 'c', w.c, w.at, WINDOW_KEPT);
  for (const w of delta.windowNetworks) seen(into.windowNetworks, 'n', w.n, w.at, WINDOW_KEPT);
  for (const b of delta.browsers) if (into.browsers.length < EVER_KEPT && !into.browsers.includes(b)) into.browsers.push(b);
  for (const n of delta.networks) if (into.networks.length < EVER_KEPT && !into.networks.includes(n)) into.networks.push(n);
  for (const p of delta.places) addPlace(into, p.p, p.n);
}

export function copyFigures(f: Figures): Figures {
  return {
    total: f.total,
    firstAt: f.firstAt,
    window: f.window.map((w) => ({ ...w })),
    windowNetworks: f.windowNetworks.map((w) => ({ ...w })),
    browsers: [...f.browsers],
    networks: [...f.networks],
    places: f.places.map((p) => ({ ...p })),
  };
}

/** The figures clone suspicion weighs, at `now`. */
export function scanFigures(f: Figures, now = new Date()): ScanFigures {
  const since = now.getTime() - CLONE_WINDOW_MS;
  let browsersInWindow = 0;
  for (const w of f.window) if (w.at >= since) browsersInWindow += 1;
  let networksInWindow = 0;
  for (const w of f.windowNetworks) if (w.at >= since) networksInWindow += 1;
  return {
    total: f.total,
    browsersInWindow,
    networksInWindow,
    browsersEver: f.browsers.length,
    networksEver: f.networks.length,
    places: f.places.length,
  };
}

/** Records that `key` scanned at `at`: its newest time is kept, and only the newest `cap` keys. */
function seen<K extends 'c' | 'n'>(list: Array<Record<K, string> & { at: number }>, field: K, key: string, at: number, cap: number): void {
  let oldest = 0;
  for (let i = 0; i < list.length; i += 1) {
    const entry = list[i]!;
    if (entry[field] === key) {
      if (at > entry.at) entry.at = at;
      return;
    }
    if (entry.at < list[oldest]!.at) oldest = i;
  }
  if (list.length < cap) list.push({ [field]: key, at } as Record<K, string> & { at: number });
  else if (at > list[oldest]!.at) list[oldest] = { [field]: key, at } as Record<K, string> & { at: number };
}

/** A place counts once, and only from a network that has not already named another place. */
function addPlace(f: Figures, place: string, network: string): void {
  if (f.places.length >= PLACES_KEPT) return;
  for (const p of f.places) if (p.p === place || p.n === network) return;
  f.places.push({ p: place, n: network });
}
