import { canonicalJson, sha256Hex } from './canonical-json.js';
import { chainKeyOfEvent, GENESIS_HASH } from '../epcis-context.js';

/**
 * The per-batch hash chain, pure parts. Link n stores
 *   hash = SHA-256( canonicalJson({ batchId, seq, prevHash, event }) )   (lowercase hex)
 * where event is the stored EPCIS event (its `body`) and prevHash is link n-1's
 * hash (GENESIS_HASH for seq 0). See docs/epcis.md for a worked example.
 */
export function linkHash(link: { batchId: string; seq: number; prevHash: string; event: unknown }): string {
  return sha256Hex(canonicalJson({ batchId: link.batchId, seq: link.seq, prevHash: link.prevHash, event: link.event }));
}

/** The stored copies of event fields used for filtering, as derived from the hashed body. */
export type IndexFields = {
  batchId: string;
  eventID: string;
  type: string;
  bizStep: string;
  eventTime: Date;
  readPoint: string | null;
  bizLocation: string | null;
};

export function indexFieldsOf(event: Record<string, unknown>): IndexFields {
  return {
    batchId: chainKeyOfEvent(event),
    eventID: String(event.eventID),
    type: String(event.type),
    bizStep: String(event.bizStep),
    eventTime: new Date(String(event.eventTime)),
    readPoint: (event.readPoint as { id?: string } | undefined)?.id ?? null,
    bizLocation: (event.bizLocation as { id?: string } | undefined)?.id ?? null,
  };
}

export type StoredLink = IndexFields & { seq: number; prevHash: string; hash: string; body: string; page?: number };

/** Where a checked stretch of links starts: seq 0 after the genesis hash, or after an already checked prefix. */
export type ChainStart = { seq: number; prevHash: string };

/**
 * Links are grouped in pages of PAGE_SIZE positions: a batch's most recent links
 * are one equality read (batchId, page) away, which FerretDB hands to its storage,
 * and a full page's timeline entries are kept as one immutable document.
 */
export const PAGE_SIZE = 100;
export const pageOf = (seq: number) => Math.floor(seq / PAGE_SIZE);

export type BrokenReason = 'gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'field_mismatch';

export type ChainReport = {
  batchId: string;
  ok: boolean;
  /** Links checked. */
  count: number;
  /** Hash of the last link (GENESIS_HASH for an empty chain): publish it to detect a cut-off tail. */
  tipHash: string;
  brokenAt?: { seq: number; eventID: string; reason: BrokenReason; message: string };
};

/**
 * Recomputes a batch's chain from its links sorted by seq; names the first broken
 * link. `parsed`, when given, receives each link's parsed event by seq (callers that
 * show the events need not parse them twice). `from` checks a stretch that starts
 * after an already checked prefix; counts then include the prefix.
 */
export function verifyLinks(
  batchId: string,
  links: readonly StoredLink[],
  parsed?: Map<number, Record<string, unknown>>,
  from: ChainStart = { seq: 0, prevHash: GENESIS_HASH },
): ChainReport {
  let prevHash = from.prevHash;
  for (let n = 0; n < links.length; n++) {
    const link = links[n] as StoredLink;
    const i = from.seq + n;
    const broken = (reason: BrokenReason, message: string): ChainReport => ({
      batchId,
      ok: false,
      count: from.seq + links.length,
      tipHash: links[links.length - 1]?.hash ?? from.prevHash,
      brokenAt: { seq: i, eventID: link.eventID, reason, message },
    });
    if (link.seq !== i) return broken('gap', `expected seq ${i}, found ${link.seq}: link ${i} is missing`);
    if (link.prevHash !== prevHash) return broken('prev_hash_mismatch', `prevHash does not equal the hash of link ${i - 1}`);
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(link.body) as Record<string, unknown>;
    } catch {
      return broken('hash_mismatch', 'the stored event is not valid JSON');
    }
    parsed?.set(i, event);
    if (linkHash({ batchId, seq: link.seq, prevHash: link.prevHash, event }) !== link.hash) {
      return broken('hash_mismatch', 'the stored event does not hash to the stored hash: it was altered');
    }
    const field = differingField(indexFieldsOf(event), link, batchId);
    if (field) return broken('field_mismatch', `the stored ${field} differs from the hashed event`);
    // Older links have no page; a wrong one would hide the link from the timeline's tail read.
    if (link.page !== undefined && link.page !== pageOf(link.seq)) return broken('field_mismatch', 'the stored page differs from the position in the chain');
    prevHash = link.hash;
  }
  return { batchId, ok: true, count: from.seq + links.length, tipHash: prevHash };
}

function differingField(fromBody: IndexFields, stored: IndexFields, batchId: string): string | null {
  if (fromBody.batchId !== batchId || stored.batchId !== batchId) return 'batchId';
  for (const k of ['eventID', 'type', 'bizStep', 'readPoint', 'bizLocation'] as const) {
    if (fromBody[k] !== stored[k]) return k;
  }
  if (fromBody.eventTime.getTime() !== new Date(stored.eventTime).getTime()) return 'eventTime';
  return null;
}
