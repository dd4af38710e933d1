/**
 * Where the clone thresholds come from: a simulation of honest packages and copied
 * labels, run through the same figures and rule the page uses
 * (src/verify/scans/scan-figures.ts, cloneSuspected in src/verify/verdict.ts).
 *
 *   npm run simulate:clones            (SIM_UNITS=20000 SIM_SEED=7 tune it)
 *
 * Honest package: a household of 1–4 phones scans it over the weeks after purchase,
 * often several times (reloads, the language switch, showing a relative), with browsers
 * that update (and change their user agent) about monthly, from home
 * wifi (one address per household, renewed now and then) and from mobile data (carrier
 * NAT: a new public address per session, drawn from a pool shared with everyone); some
 * were scanned in the shop before purchase, some by an inspector; some scans send a
 * commune code. Copied label: one genuine label printed on K packages sold in shops
 * across several communes over a month, each bought by its own household that scans it
 * like an honest one.
 *
 * Prints, for the rule as configured and for neighbouring thresholds: the share of
 * honest packages that would ever read "may have been copied" (false alarms), the share
 * of copied labels caught, how many days after the first sale, and the share of copy
 * buyers warned. Figures only; the chosen thresholds and this run's figures are in
 * docs/operations.md.
 */
import { addScan, noScans, scanFigures, type ScanEntry } from '../src/verify/scans/scan-figures.js';
import { CLONE_MAX_EVER, CLONE_MAX_PER_WINDOW, CLONE_MAX_PLACES, cloneSuspected, type ScanFigures } from '../src/verify/verdict.js';

const UNITS = Number(process.env.SIM_UNITS ?? 20_000);
/**
 * min (the page's): browsers and addresses counted apart, the smaller count weighed.
 * composite: a client is address + browser, and more than one network is required.
 * old: the rule before tallies (more than 20 scans, or more than W address + browser clients in a day).
 */
const identity = (['composite', 'old'] as const).find((i) => i === process.env.SIM_IDENTITY) ?? 'min';
const DAY = 86_400_000;
const HOUR = 3_600_000;

/* A small seeded generator (mulberry32): the same figures on every run. */
let state = Number(process.env.SIM_SEED ?? 7) >>> 0;
const random = (): number => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(weights: Array<[T, number]>): T => {
  let r = random() * weights.reduce((n, [, w]) => n + w, 0);
  for (const [v, w] of weights) if ((r -= w) < 0) return v;
  return weights.at(-1)![0];
};
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
let serial = 0;
const fresh = (kind: string) => `${kind}${(serial += 1)}`;
/** Carrier NAT: a phone's public address on mobile data, from a pool many people share. */
const carrierAddress = () => `cgnat-${int(1, 5000)}`;
const COMMUNES = Array.from({ length: 40 }, (_, i) => `c${i}`);

/**
 * Browsers' user agents are far from unique (Chrome on Android sends a frozen model and
 * only its major version): phones draw one of 60 strings, the popular ones often.
 */
const USER_AGENTS: Array<[string, number]> = Array.from({ length: 60 }, (_, i) => [`ua${i}`, 1 / (i + 1)]);
/** A phone's browser updates about every four weeks, and its user agent with it. */
const userAgent = () => `${pick(USER_AGENTS)}@${int(0, 27)}`;
const agentAt = (phone: string, at: number) => {
  const [ua, offset] = phone.split('@');
  return `${ua}v${Math.floor((at / DAY + Number(offset)) / 28)}`;
};

type Household = { phones: string[]; home: string; commune: string };
const household = (commune: string): Household => ({
  phones: Array.from({ length: pick([[1, 40], [2, 30], [3, 20], [4, 10]]) }, userAgent),
  home: fresh('home'),
  commune,
});

/** One scanning session of a phone: 1–4 loads within minutes, from wifi or mobile data. */
function session(h: Household, phone: string, at: number, scans: ScanEntry[], atHome: boolean): void {
  if (atHome && random() < 0.1) h.home = fresh('home'); // the provider renews the address now and then
  const network = atHome && random() < 0.6 ? h.home : carrierAddress();
  const place = random() < 0.1 ? h.commune : null;
  const agent = agentAt(phone, at);
  for (let i = pick([[1, 50], [2, 25], [3, 15], [4, 10]]); i > 0; i -= 1) {
    scans.push({ time: at + i * 60_000, browser: identity === 'min' ? agent : `${network}|${agent}`, network, place });
  }
}

/** What one household does with the package it bought at `bought`. */
function ownerScans(h: Household, bought: number, scans: ScanEntry[]): void {
  if (random() < 0.2) session(h, h.phones[0]!, bought - HOUR, scans, false); // checked in the shop
  const sessions = pick([[1, 35], [2, 25], [3, 15], [5, 15], [10, 7], [25, 3]]);
  for (let s = 0; s < sessions; s += 1) {
    const day = s === 0 ? 0 : Math.floor(random() ** 2 * 60);
    session(h, h.phones[s === 0 ? 0 : int(0, h.phones.length - 1)]!, bought + day * DAY + int(1, 14) * HOUR, scans, true);
  }
}

/** An inspector's check in the shop: one client, a commune code sent. */
function inspectorScan(commune: string, at: number, scans: ScanEntry[]): void {
  const network = carrierAddress();
  scans.push({ time: at, browser: identity === 'min' ? 'inspector-app' : `${network}|inspector`, network, place: commune });
}

type Rule = { window: number; ever: number; places: number };
const RULE: Rule = { window: CLONE_MAX_PER_WINDOW, ever: CLONE_MAX_EVER, places: CLONE_MAX_PLACES };
const suspected = (f: ScanFigures, r: Rule) => {
  if (identity === 'old') return f.total > 20 || f.browsersInWindow > r.window;
  if (identity === 'composite') return (f.browsersInWindow > r.window && f.networksInWindow > 1) || (f.browsersEver > r.ever && f.networksEver > 1) || f.places > r.places;
  return Math.min(f.browsersInWindow, f.networksInWindow) > r.window || Math.min(f.browsersEver, f.networksEver) > r.ever || f.places > r.places;
};

/** Replays scans in time order; answers the time of the first warning under each rule (or null). */
function firstWarnings(scans: ScanEntry[], rules: Rule[]): Array<number | null> {
  scans.sort((a, b) => a.time - b.time);
  const f = noScans();
  const found: Array<number | null> = rules.map(() => null);
  for (const s of scans) {
    addScan(f, s);
    const figures = scanFigures(f, new Date(s.time));
    if (identity === 'min' && suspected(figures, RULE) !== cloneSuspected(figures)) throw new Error('the simulated rule is not the page rule');
    rules.forEach((r, i) => {
      if (found[i] === null && suspected(figures, r)) found[i] = s.time;
    });
  }
  return found;
}

const rules: Rule[] = [RULE];
for (const window of [4, 5, 6]) for (const ever of [8, 10, 12, 16]) for (const places of [2, 3]) {
  if (window !== RULE.window || ever !== RULE.ever || places !== RULE.places) rules.push({ window, ever, places });
}

// Honest packages.
const falseAlarms = rules.map(() => 0);
for (let u = 0; u < UNITS; u += 1) {
  const commune = COMMUNES[int(0, COMMUNES.length - 1)]!;
  const scans: ScanEntry[] = [];
  const bought = 0;
  ownerScans(household(commune), bought, scans);
  if (random() < 0.05) inspectorScan(commune, bought - DAY, scans);
  firstWarnings(scans, rules).forEach((t, i) => (falseAlarms[i]! += t === null ? 0 : 1));
}

// Copied labels: K packages carrying one genuine label, sold over 30 days in several communes.
const COPIES = [5, 10, 20, 50];
const CLONES_PER_SIZE = Math.max(200, Math.floor(UNITS / 50));
type Catch = { caught: number; days: number[]; warnedBuyers: number; buyers: number };
const catches = COPIES.map(() => rules.map((): Catch => ({ caught: 0, days: [], warnedBuyers: 0, buyers: 0 })));
COPIES.forEach((k, ci) => {
  for (let c = 0; c < CLONES_PER_SIZE; c += 1) {
    const shops = COMMUNES.slice(0, int(2, 6)).map(() => COMMUNES[int(0, COMMUNES.length - 1)]!);
    const sales = Array.from({ length: k }, () => ({ at: Math.floor(random() * 30 * DAY), commune: shops[int(0, shops.length - 1)]! })).sort((a, b) => a.at - b.at);
    const scans: ScanEntry[] = [];
    for (const sale of sales) ownerScans(household(sale.commune), sale.at, scans);
    const found = firstWarnings(scans, rules);
    found.forEach((t, i) => {
      const row = catches[ci]![i]!;
      row.buyers += k;
      if (t === null) return;
      row.caught += 1;
      row.days.push((t - sales[0]!.at) / DAY);
      row.warnedBuyers += sales.filter((s) => s.at + 2 * DAY >= t).length; // bought around or after the first warning
    });
  }
});

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(n && n < of / 1000 ? 2 : 1)} %`;
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
console.log(`${UNITS.toLocaleString('en')} honest packages; ${CLONES_PER_SIZE} copied labels for each of ${COPIES.join(', ')} copies\n`);
console.log('W: browsers and networks in 24 h (the smaller count) must exceed it; E: the same, ever; P: places');
console.log(`cells: labels caught (median days from the first sale to the first warning, share of copy buyers warned)\n`);
console.log(`${'rule'.padEnd(34)} ${'false alarms'.padStart(14)}   ${COPIES.map((k) => `${k} copies`.padEnd(30)).join('  ')}`);
rules.forEach((r, i) => {
  const name = `W=${r.window} E=${r.ever} P=${r.places}${i === 0 ? '  (the page rule)' : ''}`;
  const cells = COPIES.map((_, ci) => {
    const row = catches[ci]![i]!;
    return `${pct(row.caught, CLONES_PER_SIZE)} (${median(row.days).toFixed(1)} d, ${pct(row.warnedBuyers, row.buyers)})`;
  });
  const alarms = `${falseAlarms[i]} (${pct(falseAlarms[i]!, UNITS)})`;
  console.log(`${name.padEnd(34)} ${alarms.padStart(14)}   ${cells.map((c) => c.padEnd(30)).join('  ')}`);
});
