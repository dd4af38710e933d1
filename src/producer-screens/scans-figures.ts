/**
 * A producer's scan figures from its labels' scans (pure, no I/O): per day of the last
 * 30 or 90 days, per month of the last 12, per commune the scanners shared, and per
 * product, each row counting the scans, the forgeries (a bad signature or an unknown
 * key), the unknown labels (a good signature, no such label) and the clone warnings.
 * Days and months are Vietnam's (UTC+7, no daylight saving).
 */
export type ScanCount = { scans: number; forged: number; unknown: number; clones: number };
export type DayRow = ScanCount & { day: string };
export type MonthRow = ScanCount & { month: string };
export type PlaceRow = ScanCount & { commune: string | null };
export type ProductRow = ScanCount & { product: string };

export type CountedScan = { product: string; time: Date; place: string | null; verdict: string; clone: boolean };

export type ScanFigures = { days: DayRow[]; months: MonthRow[]; places: PlaceRow[]; products: ProductRow[]; total: ScanCount };

const VIETNAM_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export const vietnamDay = (t: Date | number) => new Date(new Date(t).getTime() + VIETNAM_MS).toISOString().slice(0, 10);
export const vietnamMonth = (t: Date | number) => vietnamDay(t).slice(0, 7);

/** The first instant of the day `days - 1` days before today (Vietnam time): the day window's start. */
export function dayWindowStart(now: Date, days: number): Date {
  const today = Date.parse(`${vietnamDay(now)}T00:00:00Z`) - VIETNAM_MS;
  return new Date(today - (days - 1) * DAY_MS);
}

/** The first instant of the month eleven months before this one (Vietnam time): the month window's start. */
export function monthWindowStart(now: Date): Date {
  const [y, m] = vietnamMonth(now).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - 11, 1) - VIETNAM_MS);
}

const zero = (): ScanCount => ({ scans: 0, forged: 0, unknown: 0, clones: 0 });

function add(c: ScanCount, s: CountedScan): void {
  c.scans += 1;
  if (s.verdict === 'forged') c.forged += 1;
  if (s.verdict === 'unknown') c.unknown += 1;
  if (s.clone) c.clones += 1;
}

/**
 * `products`: the producer's products as scans name them (GTIN-14 and product id both
 * map to the product's id), in the order rows are wanted.
 */
export function scanFigures(scans: readonly CountedScan[], opts: { now: Date; days: number; productOfKey: ReadonlyMap<string, string>; productIds: readonly string[] }): ScanFigures {
  const dayStart = dayWindowStart(opts.now, opts.days).getTime();
  const monthStart = monthWindowStart(opts.now).getTime();
  const days = new Map<string, DayRow>();
  for (let i = 0; i < opts.days; i++) {
    const day = vietnamDay(dayStart + i * DAY_MS + VIETNAM_MS / 2);
    days.set(day, { day, ...zero() });
  }
  const months = new Map<string, MonthRow>();
  for (let i = 0; i < 12; i++) {
    const start = new Date(monthStart + VIETNAM_MS);
    const month = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1)).toISOString().slice(0, 7);
    months.set(month, { month, ...zero() });
  }
  const places = new Map<string | null, PlaceRow>();
  const products = new Map<string, ProductRow>(opts.productIds.map((p) => [p, { product: p, ...zero() }]));
  const total = zero();
  for (const s of scans) {
    const t = s.time.getTime();
    if (t > opts.now.getTime()) continue;
    if (t >= monthStart) {
      const row = months.get(vietnamMonth(t));
      if (row) add(row, s);
    }
    if (t < dayStart) continue;
    const dayRow = days.get(vietnamDay(t));
    if (dayRow) add(dayRow, s);
    add(total, s);
    let placeRow = places.get(s.place);
    if (!placeRow) {
      placeRow = { commune: s.place, ...zero() };
      places.set(s.place, placeRow);
    }
    add(placeRow, s);
    const productId = opts.productOfKey.get(s.product);
    const productRow = productId ? products.get(productId) : undefined;
    if (productRow) add(productRow, s);
  }
  // Most scanned communes first; scans without a shared place last.
  const placeRows = [...places.values()].sort((a, b) => (a.commune === null ? 1 : b.commune === null ? -1 : b.scans - a.scans || a.commune.localeCompare(b.commune)));
  return { days: [...days.values()], months: [...months.values()], places: placeRows, products: [...products.values()], total };
}
