import { ChainHeadModel } from '../chain/chain-head.model.js';
import { GENESIS_HASH } from '../epcis-context.js';
import { PAGE_SIZE, pageOf, verifyLinks, type ChainReport } from '../chain/chain.js';
import { isDuplicateKeyError } from '../../db.js';
import { pageLinks } from '../chain/chain-links.js';
import { entryOf, parseBody, type EntryLink, type TimelineEntry } from './timeline-entry.js';
import { TimelinePageModel, timelinePageId, type TimelinePageDoc } from './timeline-page.model.js';

/**
 * The timeline's read model: sealed pages of entries, then the newest links read from
 * the events by position and checked on every read. On FerretDB reading ten
 * page documents and one partial page of events costs a fraction of reading a
 * batch's 1,000 events (each stored event is ~950 bytes in 18 fields).
 */
export const ENTRY_LINK_FIELDS = {
  batchId: 1,
  seq: 1,
  page: 1,
  prevHash: 1,
  hash: 1,
  body: 1,
  eventID: 1,
  type: 1,
  bizStep: 1,
  eventTime: 1,
  readPoint: 1,
  bizLocation: 1,
  captureId: 1,
  isErrorDeclaration: 1,
} as const;

/** Writes a full page's entries once; another writer having done it first is fine. */
export async function sealPage(batchId: string, page: number, entries: TimelineEntry[]): Promise<void> {
  const first = page * PAGE_SIZE;
  if (entries.length !== PAGE_SIZE || entries.some((e, i) => e.seq !== first + i)) return;
  try {
    await TimelinePageModel.create({ _id: timelinePageId(batchId, page), batchId, page, entries: JSON.stringify(entries) });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

/** Recomputes one page's links (their own hashes and links to each other) and builds its entries. */
export function checkedEntries(batchId: string, page: number, links: EntryLink[], prevHash: string): { entries: TimelineEntry[]; report: ChainReport } {
  const parsed = new Map<number, Record<string, unknown>>();
  const sorted = [...links].sort((a, b) => a.seq - b.seq);
  const report = verifyLinks(batchId, sorted, parsed, { seq: page * PAGE_SIZE, prevHash });
  const entries = sorted.map((l) => entryOf(l, parsed.get(l.seq) ?? parseBody(l.body)));
  return { entries, report };
}

export type ModelRead = { entries: TimelineEntry[]; report: ChainReport };

/**
 * The batch's entries in chain order with a check of what was read: sealed pages
 * must continue each other (seq and prevHash), the links after them are recomputed
 * in full. Full pages found among the events are sealed on the way (a writer that
 * stopped before sealing, or links stored before pages existed).
 */
export async function readTimelineModel(batchId: string): Promise<ModelRead> {
  // The open page is usually the one after the head hint's link: read it alongside the
  // sealed pages before it. Pages and links are read by _id (see chain-links.ts).
  const head = await ChainHeadModel.findById(batchId).lean();
  const headSeq = head ? head.seq : -1;
  const openPage = pageOf(headSeq + 1);
  const readPage = (page: number) => pageLinks<EntryLink>(batchId, page, headSeq, ENTRY_LINK_FIELDS);
  const [pages, opened] = await Promise.all([sealedPages(batchId, openPage), readPage(openPage)]);
  const entries: TimelineEntry[] = [];
  for (const p of pages) {
    const list = p ? parseEntries(p.entries) : null;
    if (!list) break; // a hole or an unreadable page: the events from here on are read instead
    entries.push(...list);
  }
  let report = continuity(batchId, entries);
  for (let page = entries.length / PAGE_SIZE; ; page++) {
    const links = page === openPage ? opened : await readPage(page);
    const checked = checkedEntries(batchId, page, links, entries[entries.length - 1]?.hash ?? GENESIS_HASH);
    entries.push(...checked.entries);
    if (report.ok) report = checked.report;
    if (links.length < PAGE_SIZE) break;
    if (checked.report.ok) void sealPage(batchId, page, checked.entries).catch(() => undefined);
  }
  return { entries, report: { ...report, count: entries.length } };
}

/** The sealed pages 0 … count-1 of a batch by _id, null where a page is not sealed. */
export async function sealedPages(batchId: string, count: number): Promise<(TimelinePageDoc | null)[]> {
  return Promise.all(Array.from({ length: count }, (_, page) => TimelinePageModel.findById(timelinePageId(batchId, page)).lean<TimelinePageDoc>()));
}

function parseEntries(text: string): TimelineEntry[] | null {
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) && list.length === PAGE_SIZE ? (list as TimelineEntry[]) : null;
  } catch {
    return null;
  }
}

/** Sealed entries were checked against their events when sealed; here only that they still follow each other. */
function continuity(batchId: string, entries: TimelineEntry[]): ChainReport {
  let prevHash = GENESIS_HASH;
  for (const [i, e] of entries.entries()) {
    const broken = (message: string): ChainReport => ({
      batchId,
      ok: false,
      count: entries.length,
      tipHash: entries[entries.length - 1]?.hash ?? GENESIS_HASH,
      brokenAt: { seq: i, eventID: e.eventID, reason: e.seq === i ? 'prev_hash_mismatch' : 'gap', message },
    });
    if (e.seq !== i || e.prevHash !== prevHash) return broken(`timeline page ${pageOf(i)} does not continue the chain at link ${i}`);
    prevHash = e.hash;
  }
  return { batchId, ok: true, count: entries.length, tipHash: prevHash };
}
