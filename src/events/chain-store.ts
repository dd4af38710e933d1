import { setTimeout as delay } from 'node:timers/promises';
import { conflict, serviceUnavailable } from '../http/errors.js';
import { BATCH_FIELD, GENESIS_HASH } from './epcis-context.js';
import { EventModel } from './event.model.js';
import { indexFieldsOf, linkHash, verifyLinks, type ChainReport, type StoredLink } from './chain.js';

/** One event ready to join a batch's chain. */
export type ChainItem = {
  captureId: string;
  eventIndex: number;
  batchId: string;
  productId: string;
  producerId: string;
  isErrorDeclaration: boolean;
  /** The EPCIS event without recordTime and batch field: both are set here. */
  body: Record<string, unknown>;
};

export type StoredSummary = { eventIndex: number; eventID: string; batchId: string; seq: number; hash: string };

const MAX_ATTEMPTS = 100;

export const eventKeyOf = (eventID: string, isErrorDeclaration: boolean) => (isErrorDeclaration ? `${eventID}#error-declaration` : eventID);

/**
 * Appends events to the end of one batch's chain. No lock and no transaction:
 * the unique index on (batchId, seq) lets exactly one writer take each position.
 * A writer that loses a race gets a duplicate key, learns which of its events did
 * get in (the unique (captureId, eventIndex) index also makes a second writer of
 * the same capture harmless), reads the new tip and appends the rest there.
 */
export async function appendToChain(batchId: string, items: ChainItem[], recordTime: Date): Promise<StoredSummary[]> {
  const stored: StoredSummary[] = [];
  let remaining = items;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const tip = await EventModel.findOne({ batchId }, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean();
    let seq = tip ? tip.seq + 1 : 0;
    let prevHash = tip?.hash ?? GENESIS_HASH;
    const docs = remaining.map((item) => {
      const event: Record<string, unknown> = { ...item.body, recordTime: recordTime.toISOString(), [BATCH_FIELD]: batchId };
      const hash = linkHash({ batchId, seq, prevHash, event });
      const doc = {
        ...indexFieldsOf(event),
        productId: item.productId,
        producerId: item.producerId,
        seq,
        prevHash,
        hash,
        captureId: item.captureId,
        eventIndex: item.eventIndex,
        eventKey: eventKeyOf(String(event.eventID), item.isErrorDeclaration),
        isErrorDeclaration: item.isErrorDeclaration,
        recordTime,
        body: JSON.stringify(event),
      };
      seq += 1;
      prevHash = hash;
      return doc;
    });
    try {
      await EventModel.insertMany(docs, { ordered: true });
      return stored.concat(docs.map((d) => ({ eventIndex: d.eventIndex, eventID: d.eventID, batchId, seq: d.seq, hash: d.hash })));
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    // Lost a race (or another writer rolled this capture forward): keep what got in, retry the rest.
    const keys = remaining.map((i) => eventKeyOf(String(i.body.eventID), i.isErrorDeclaration));
    const present = await EventModel.find({ eventKey: { $in: keys } }, { captureId: 1, eventIndex: 1, eventID: 1, seq: 1, hash: 1 }).lean();
    const mine = new Set<string>();
    for (const p of present) {
      const own = remaining.find((i) => i.captureId === p.captureId && i.eventIndex === p.eventIndex);
      if (!own) throw conflict('event/duplicate_event_id', `An event with eventID ${p.eventID} was captured meanwhile.`);
      mine.add(`${p.captureId}|${p.eventIndex}`);
      stored.push({ eventIndex: p.eventIndex, eventID: p.eventID, batchId, seq: p.seq, hash: p.hash });
    }
    remaining = remaining.filter((i) => !mine.has(`${i.captureId}|${i.eventIndex}`));
    if (remaining.length === 0) return stored;
    // Spread the retries of many writers on one batch a little.
    await delay(Math.random() * Math.min(2 * attempt, 20));
  }
  throw serviceUnavailable('event/busy', `Batch ${batchId} is receiving too many events at once; try again.`);
}

export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: { code?: unknown; err?: { code?: unknown } }[] } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 11000) return true;
  return Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w.code === 11000 || w.err?.code === 11000);
}

const LINK_FIELDS = { batchId: 1, seq: 1, prevHash: 1, hash: 1, body: 1, eventID: 1, type: 1, bizStep: 1, eventTime: 1, readPoint: 1, bizLocation: 1 } as const;

export async function loadLinks(batchId: string): Promise<StoredLink[]> {
  return EventModel.find({ batchId }, LINK_FIELDS).sort({ seq: 1 }).lean<StoredLink[]>();
}

/** Recomputes a batch's whole chain from the database. */
export async function verifyBatchChain(batchId: string): Promise<ChainReport> {
  return verifyLinks(batchId, await loadLinks(batchId));
}
