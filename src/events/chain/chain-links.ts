import { GENESIS_HASH } from '../epcis-context.js';
import { ChainHeadModel } from './chain-head.model.js';
import { EventModel, eventIdAt } from './event.model.js';
import { PAGE_SIZE } from './chain.js';

/**
 * Reading a batch's chain by position: each link's `_id` is its position
 * (eventIdAt(batchId, seq)), and an `_id` lookup is the one read that uses an index
 * on every backend, FerretDB's SQLite included, where a query on batchId reads every
 * event of every batch (docs/operations.md, "Queries and their indexes"). So the cost
 * of reading a chain grows with that chain, not with the history of all batches.
 */

type Tip = { seq: number; hash: string };
type Fields = Record<string, 1>;

/** Lookups in flight at once when reading many positions. */
const AT_ONCE = 16;
/** Positions probed side by side past the last one known to exist. */
const PROBE = 4;

/** The links at these positions (absent ones left out), in position order. */
export async function linksAt<T extends { seq: number }>(batchId: string, seqs: readonly number[], fields: Fields): Promise<T[]> {
  const found: (T | null)[] = new Array<T | null>(seqs.length).fill(null);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < seqs.length; i = next++) {
      found[i] = await EventModel.findById(eventIdAt(batchId, seqs[i]!), fields).lean<T>();
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, seqs.length) }, worker));
  return found.filter((l): l is T => l !== null).sort((a, b) => a.seq - b.seq);
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * The links of one page of the chain (PAGE_SIZE positions): those up to `knownLast`
 * (a position known to exist, e.g. from the chain head) read at once, then the
 * positions after it probed a few at a time until one is missing or the page ends.
 */
export async function pageLinks<T extends { seq: number }>(batchId: string, page: number, knownLast: number, fields: Fields): Promise<T[]> {
  const first = page * PAGE_SIZE;
  const last = first + PAGE_SIZE - 1;
  const known = Math.min(knownLast, last);
  const links = known >= first ? await linksAt<T>(batchId, range(first, known), fields) : [];
  for (let from = Math.max(first, known + 1); from <= last; ) {
    const to = Math.min(from + PROBE - 1, last);
    const more = await linksAt<T>(batchId, range(from, to), fields);
    links.push(...more);
    if (more.length < to - from + 1) break; // the chain ends here
    from = to + 1;
  }
  return links;
}

/** The last position of a batch's chain: from the head hint, gallop forward by _id lookups (usually one miss). */
export async function findTip(batchId: string): Promise<Tip> {
  const head = await ChainHeadModel.findById(batchId).lean();
  let known: Tip = head ? { seq: head.seq, hash: head.hash } : { seq: -1, hash: GENESIS_HASH };
  const at = async (seq: number) => EventModel.findById(eventIdAt(batchId, seq), { seq: 1, hash: 1 }).lean();
  let step = 1;
  for (;;) {
    const doc = await at(known.seq + step);
    if (!doc) break;
    known = { seq: doc.seq, hash: doc.hash };
    step *= 2;
  }
  // known.seq exists (or is -1) and known.seq + step does not: narrow down between them.
  let missing = known.seq + step;
  while (missing - known.seq > 1) {
    const mid = Math.floor((known.seq + missing) / 2);
    const doc = await at(mid);
    if (doc) known = { seq: doc.seq, hash: doc.hash };
    else missing = mid;
  }
  return known;
}
