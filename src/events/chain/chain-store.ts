import { setTimeout as delay } from 'node:timers/promises';
import { serviceUnavailable } from '../../errors/app-error.js';
import { chainOwnerOf } from '../epcis-context.js';
import { ChainHeadModel } from './chain-head.model.js';
import { EventModel, eventIdAt } from './event.model.js';
import { PAGE_SIZE, indexFieldsOf, linkHash, pageOf, type ChainReport } from './chain.js';
import { guardedById, isDuplicateKeyError } from '../../db.js';
import { findTip, pageLinks } from './chain-links.js';

export { findTip };
import { fullCheck, sharedCheck } from '../timeline/timeline-check.js';
import { entryOf, type EntryLink, type TimelineEntry } from '../timeline/timeline-entry.js';
import { ENTRY_LINK_FIELDS, checkedEntries, sealPage } from '../timeline/timeline-pages.js';

export { isDuplicateKeyError };

/** One event ready to join a chain. */
export type ChainItem = {
  captureId: string;
  eventIndex: number;
  /** The chain's key: a batch id, productChainKey(productId) or locationChainKey(location key). */
  batchId: string;
  /** null in a location's chain (its events name no product, or several). */
  productId: string | null;
  producerId: string;
  isErrorDeclaration: boolean;
  /** The EPCIS event without recordTime and batch field: both are set here. */
  body: Record<string, unknown>;
};

export type StoredSummary = { eventIndex: number; eventID: string; batchId: string; seq: number; hash: string };
type Tip = { seq: number; hash: string };

const MAX_ATTEMPTS = 100;

/**
 * Appends one capture's events for one batch to the end of that batch's chain.
 * No lock and no transaction: an event's _id is its chain position, so exactly one
 * writer can take each position. A writer that loses a race gets a duplicate key,
 * learns which of its events got in (the unique (captureId, eventIndex) index also
 * keeps a capture rolled forward twice from storing an event twice), finds the
 * new end and appends the rest there.
 */
export async function appendToChain(batchId: string, items: ChainItem[], recordTime: Date, opts: { resume?: boolean } = {}): Promise<StoredSummary[]> {
  const captureId = items[0]?.captureId;
  if (!captureId) return [];
  let stored: StoredSummary[] = [];
  let remaining = items;
  const refresh = async () => {
    stored = (await EventModel.find({ captureId, batchId }, { eventIndex: 1, eventID: 1, seq: 1, hash: 1 }).lean()).map((p) => ({ eventIndex: p.eventIndex, eventID: p.eventID, batchId, seq: p.seq, hash: p.hash }));
    const done = new Set(stored.map((s) => s.eventIndex));
    remaining = items.filter((i) => !done.has(i.eventIndex));
  };
  if (opts.resume) await refresh();

  for (let attempt = 0; attempt < MAX_ATTEMPTS && remaining.length > 0; attempt++) {
    let { seq, hash: prevHash } = await findTip(batchId);
    const events = new Map<number, Record<string, unknown>>();
    const docs = remaining.map((item) => {
      seq += 1;
      // The chain's owner joins the hashed event: a batch, a product for events naming no batch
      // of ours, or a registered location for events naming no goods of one batch (docs/epcis.md §2).
      const event: Record<string, unknown> = { ...item.body, recordTime: recordTime.toISOString(), ...chainOwnerOf(batchId) };
      const hash = linkHash({ batchId, seq, prevHash, event });
      events.set(seq, event);
      const doc = {
        _id: eventIdAt(batchId, seq),
        ...indexFieldsOf(event),
        productId: item.productId,
        producerId: item.producerId,
        seq,
        page: pageOf(seq),
        prevHash,
        hash,
        captureId: item.captureId,
        eventIndex: item.eventIndex,
        isErrorDeclaration: item.isErrorDeclaration,
        body: JSON.stringify(event),
      };
      prevHash = hash;
      return doc;
    });
    try {
      // lean: the documents are built right here; mongoose's per-document casting and validation would add nothing.
      await EventModel.insertMany(docs, { ordered: true, lean: true });
      stored.push(...docs.map((d) => ({ eventIndex: d.eventIndex, eventID: d.eventID, batchId, seq: d.seq, hash: d.hash })));
      remaining = [];
      // Pages this write filled, off the response path: a reader seals any page missed here.
      void sealFilledPages(
        batchId,
        docs.map((d) => entryOf(d, events.get(d.seq) ?? {})),
      ).catch(() => undefined);
      break;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // The insert was ordered: the documents before the refused one are in. When another
      // capture holds the refused position, that is all there is to learn (two lookups by
      // _id); otherwise (this capture rolled forward twice at once) ask which of its
      // events got in, with a query on captureId (rare: healing only).
      const refused = firstRefused(err);
      const doc = refused === null ? undefined : docs[refused];
      const holder = doc ? await EventModel.findById(doc._id, { captureId: 1 }).lean() : null;
      if (refused !== null && holder && holder.captureId !== captureId) {
        stored.push(...docs.slice(0, refused).map((d) => ({ eventIndex: d.eventIndex, eventID: d.eventID, batchId, seq: d.seq, hash: d.hash })));
        remaining = remaining.slice(refused);
      } else {
        await refresh();
      }
    }
    // Lost a race for a position (or another process is rolling this capture forward).
    if (remaining.length > 0) await delay(Math.random() * Math.min(2 * attempt, 20)); // spread many writers' retries
  }
  if (remaining.length > 0) throw serviceUnavailable('event/busy', `Batch ${batchId} is receiving too many events at once; try again.`);
  const last = stored.reduce<StoredSummary | null>((a, s) => (a && a.seq > s.seq ? a : s), null);
  // The head is a hint: the capture does not wait for it.
  if (last) void moveHead(batchId, last).catch(() => undefined);
  return stored.sort((a, b) => a.eventIndex - b.eventIndex);
}

/** The position in an ordered bulk insert of the first document refused, when the error says. */
function firstRefused(err: unknown): number | null {
  const raw = (err as { writeErrors?: { index?: unknown } | Array<{ index?: unknown }> } | null)?.writeErrors;
  const first = Array.isArray(raw) ? raw[0] : raw;
  return typeof first?.index === 'number' ? first.index : null;
}

/**
 * Seals each page whose last position is among `entries` (consecutive, just stored,
 * so every position before them exists too). Entries of the page written by others
 * are read and recomputed first; our own were hashed a moment ago.
 */
async function sealFilledPages(batchId: string, entries: TimelineEntry[]): Promise<void> {
  for (const last of entries.filter((e) => e.seq % PAGE_SIZE === PAGE_SIZE - 1)) {
    const page = pageOf(last.seq);
    const own = entries.filter((e) => pageOf(e.seq) === page);
    if (own.length === PAGE_SIZE) {
      await sealPage(batchId, page, own);
      continue;
    }
    const links = await pageLinks<EntryLink>(batchId, page, last.seq, ENTRY_LINK_FIELDS);
    const first = links.find((l) => l.seq === page * PAGE_SIZE);
    if (!first) continue;
    const checked = checkedEntries(batchId, page, links, first.prevHash);
    if (checked.report.ok) await sealPage(batchId, page, checked.entries);
  }
}

async function moveHead(batchId: string, tip: Tip): Promise<void> {
  // Read first, by _id: a head already further needs no write.
  const head = await ChainHeadModel.findById(batchId, { seq: 1 }).lean();
  if (head && head.seq >= tip.seq) return;
  try {
    // Only moves forward: on MongoDB, when a racer is already further, the upsert hits the
    // _id and is dropped; on FerretDB (no atomic guard) a racer's head may be moved back a
    // little, which only costs findTip a lookup or two.
    await ChainHeadModel.updateOne(guardedById(batchId, { seq: { $lt: tip.seq } }), { $set: { seq: tip.seq, hash: tip.hash } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

/**
 * Recomputes a batch's whole chain from the database, and compares the timeline's
 * sealed pages with it (see timeline-check.ts); the timeline then shows this result.
 */
export async function verifyBatchChain(batchId: string, opts: { seal?: boolean } = {}): Promise<ChainReport> {
  return (await fullCheck(batchId, opts)).report;
}

/**
 * The chain check the API answers, with when it was made: recomputed now for `fresh`
 * (the batch's own producer, admins, inspectors), else the last check of at most
 * MAX_AGE_MS (timeline-check.ts) or one shared by concurrent callers.
 */
export async function chainCheck(batchId: string, opts: { fresh: boolean }): Promise<ChainReport & { checkedAt: string }> {
  const { report, checkedAt } = opts.fresh ? await fullCheck(batchId) : await sharedCheck(batchId);
  return { ...report, checkedAt: new Date(checkedAt).toISOString() };
}

/** Every batch that has at least one event, sorted (for a check of all chains). */
export async function batchIdsWithEvents(): Promise<string[]> {
  return ((await EventModel.distinct('batchId')) as string[]).sort();
}
