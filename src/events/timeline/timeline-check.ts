import { BoundedMap } from '../../bounded-map.js';
import { PAGE_SIZE, verifyLinks, type ChainReport } from '../chain/chain.js';
import { findTip, linksAt } from '../chain/chain-links.js';
import { entryOf, parseBody, type EntryLink, type TimelineEntry } from './timeline-entry.js';
import { ENTRY_LINK_FIELDS, sealPage, sealedPages } from './timeline-pages.js';

/**
 * The full check behind the timeline's "records intact" line: every event of the
 * batch recomputed, and every sealed timeline page compared with the entries its
 * events give, so the read model cannot disagree with the events unnoticed.
 *
 * It reads the whole batch (≈ 200 ms for 1,000 events on FerretDB), so its result is
 * kept per batch and process: younger than REFRESH_AFTER_MS it is used as is; older
 * it is still used while a new check runs in the background; at MAX_AGE_MS or older
 * (or never checked) the timeline waits for a new check. An edit to a stored event
 * inside a sealed page therefore shows on the timeline within MAX_AGE_MS; the links
 * after the last sealed page are recomputed on every read and show at once.
 */
export const REFRESH_AFTER_MS = 30_000;
export const MAX_AGE_MS = 60_000;
const MAX_BATCHES = 5_000;

export type FullCheck = { report: ChainReport; entries: TimelineEntry[]; checkedAt: number };

const checked = new BoundedMap<string, { report: ChainReport; checkedAt: number }>(MAX_BATCHES);
const running = new Map<string, Promise<FullCheck>>();

/** `seal: false` for read-only callers (the check-chain script): missing pages are then only not compared. */
export async function fullCheck(batchId: string, opts: { seal?: boolean } = {}): Promise<FullCheck> {
  const started = Date.now();
  // Every position up to the tip, and the sealed pages it spans, by _id (see chain-links.ts).
  const tip = await findTip(batchId);
  const positions = Array.from({ length: tip.seq + 1 }, (_, seq) => seq);
  const [links, pages] = await Promise.all([
    linksAt<EntryLink>(batchId, positions, ENTRY_LINK_FIELDS),
    sealedPages(batchId, Math.floor((tip.seq + 1) / PAGE_SIZE)).then((found) => found.filter((p) => p !== null)),
  ]);
  const parsed = new Map<number, Record<string, unknown>>();
  let report = verifyLinks(batchId, links, parsed);
  if (report.ok && links.length < positions.length) {
    // Links missing at the end, below the chain head: removed.
    const seq = links.length;
    report = { ...report, ok: false, brokenAt: { seq, eventID: '', reason: 'gap', message: `link ${seq} is missing` } };
  }
  const entries = links.map((l) => entryOf(l, parsed.get(l.seq) ?? parseBody(l.body)));
  if (report.ok) {
    const sealed = new Set<number>();
    for (const p of pages) {
      sealed.add(p.page);
      const expected = JSON.stringify(entries.slice(p.page * PAGE_SIZE, (p.page + 1) * PAGE_SIZE));
      if (sameEntries(p.entries, expected)) continue;
      const seq = firstDifference(p.entries, entries, p.page);
      report = {
        ...report,
        ok: false,
        brokenAt: { seq, eventID: entries[seq]?.eventID ?? '', reason: 'field_mismatch', message: `timeline page ${p.page} differs from the stored events` },
      };
      break;
    }
    // Full pages nobody sealed (a writer stopped first, or links stored before pages existed).
    if (report.ok && opts.seal !== false) {
      const missing: Promise<void>[] = [];
      for (let page = 0; (page + 1) * PAGE_SIZE <= entries.length; page++) {
        if (!sealed.has(page)) missing.push(sealPage(batchId, page, entries.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)).catch(() => undefined));
      }
      await Promise.all(missing);
    }
  }
  remember(batchId, report, started);
  return { report, entries, checkedAt: started };
}

/**
 * The last full check of a batch if young enough to show (starting a background
 * check when it is getting old), else null: the caller runs fullCheck itself.
 */
export function recentCheck(batchId: string, now = Date.now()): ChainReport | null {
  const last = checked.get(batchId);
  if (!last || now - last.checkedAt >= MAX_AGE_MS) return null;
  if (now - last.checkedAt >= REFRESH_AFTER_MS && !running.has(batchId)) {
    const run = fullCheck(batchId).finally(() => running.delete(batchId));
    running.set(batchId, run);
    run.catch(() => undefined); // the next read retries; until MAX_AGE_MS the last result stands
  }
  return last.report;
}

/**
 * The last full check when younger than MAX_AGE_MS (refreshed in the background as the
 * timeline does), else one new check shared by every caller asking meanwhile: what an
 * anonymous chain check answers, so callers cannot make the service read whole
 * batches at will.
 */
export async function sharedCheck(batchId: string, now = Date.now()): Promise<{ report: ChainReport; checkedAt: number }> {
  const last = checked.get(batchId);
  if (last && recentCheck(batchId, now)) return last;
  let run = running.get(batchId);
  if (!run) {
    run = fullCheck(batchId).finally(() => running.delete(batchId));
    running.set(batchId, run);
  }
  const { report, checkedAt } = await run;
  return { report, checkedAt };
}

/** Forgets a batch's last full check (tests, or after a repair): the next timeline checks everything. */
export function forgetCheck(batchId: string): void {
  checked.delete(batchId);
}

function remember(batchId: string, report: ChainReport, checkedAt: number): void {
  const last = checked.peek(batchId);
  if (last && last.checkedAt > checkedAt) return; // a later check already finished
  checked.set(batchId, { report, checkedAt });
}

/** Compares re-serialised, so whitespace alone is not a difference. */
function sameEntries(stored: string, expected: string): boolean {
  if (stored === expected) return true;
  try {
    return JSON.stringify(JSON.parse(stored)) === expected;
  } catch {
    return false;
  }
}

function firstDifference(stored: string, entries: TimelineEntry[], page: number): number {
  let list: unknown[] = [];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (Array.isArray(parsed)) list = parsed;
  } catch {
    // unreadable: the page's first link
  }
  const first = page * PAGE_SIZE;
  for (let i = 0; i < PAGE_SIZE; i++) {
    if (JSON.stringify(list[i]) !== JSON.stringify(entries[first + i])) return Math.min(first + i, Math.max(entries.length - 1, 0));
  }
  return first;
}
