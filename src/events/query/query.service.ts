import { badRequest } from '../../errors/app-error.js';
import { locationKeyOfUri, locationKeysInCommune } from '../../registry/locations/location.service.js';
import { locationChainKey } from '../epcis-context.js';
import { parseBody } from '../timeline/timeline-entry.js';
import { communesNamed, criteriaOf, eventMatches, selects, type Criteria } from './query-criteria.js';
import { unfinishedCaptureIds } from '../capture/capture.service.js';
import { EventModel } from '../chain/event.model.js';
import { findTip, linksAt } from '../chain/chain-links.js';
import type { EventQueryInput } from '../events.schema.js';
import type { EventRow } from '../events.presenter.js';

/**
 * Event queries with EPCIS query-interface parameter names, paged by a keyset on
 * (eventTime, _id): stable while events are added, and each page is one indexed
 * range read however deep the client pages.
 */
export type EventPage = { rows: EventRow[]; nextPageToken: string | null };

const ROW_FIELDS = { _id: 1, batchId: 1, productId: 1, producerId: 1, seq: 1, hash: 1, prevHash: 1, body: 1, eventTime: 1, captureId: 1 } as const;
type StoredRow = EventRow & { eventTime: Date; captureId?: string };

/**
 * `mayScanAll`: a query naming neither batch nor product reads (and, on FerretDB,
 * sorts in memory) every event; only admin keys may ask for that.
 *
 * A query naming a batch reads that batch's chain by position (chain-links.ts: `_id`
 * lookups, an index on every backend) and filters, sorts and pages it here: its cost
 * grows with the batch, not with every event stored (on FerretDB's SQLite backend a
 * query on batchId reads them all). Other queries select by product and time (indexed)
 * and test the rest of the criteria here, reading on in chunks until a page is full.
 */
export async function queryEvents(q: EventQueryInput, opts: { mayScanAll: boolean }): Promise<EventPage> {
  if (!q.batch && !q.product && !q.location && !opts.mayScanAll) {
    throw badRequest('request/invalid', 'Name a batch (batch=…), a product (product=…) or a registered location (location=…); only admin keys may query across all events.');
  }
  if (q.batch && q.location) throw badRequest('request/invalid', "Name a batch or a location, not both: a location's chain holds the events that name no batch of ours.");
  // A location's own chain is read as a batch's is (by position).
  const chain = q.batch ?? (q.location ? locationChainKey(locationKeyOfUri(q.location) ?? q.location) : undefined);
  const communes = communesNamed(q);
  const inCommune = new Map(await Promise.all(communes.map(async (c) => [c, await locationKeysInCommune(c)] as const)));
  const c = criteriaOf(q, (commune) => inCommune.get(commune) ?? new Set());
  const after = q.nextPageToken ? decodeToken(q.nextPageToken) : undefined;
  const hidden = await unfinishedCaptureIds();
  const rows = chain ? await batchRows(chain, c, after, hidden, q.perPage + 1) : await queriedRows(c, after, hidden, q.perPage + 1);
  const page = rows.slice(0, q.perPage);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextPageToken: rows.length > q.perPage && last ? encodeToken(last.eventTime, last._id) : null,
  };
}

/** A whole batch or product (the export's usual query) is answered without parsing each event. */
const matches = (r: StoredRow, c: Criteria) => !selects(c) || eventMatches(parseBody(r.body), c);

/**
 * Selects by what the indexes serve (product, time, one type, one step: plain top-level
 * conditions FerretDB hands to its storage) in keyset order, tests the rest on each
 * event, and reads the next chunk while the page is not full.
 */
async function queriedRows(c: Criteria, after: [Date, string] | undefined, hidden: string[], limit: number): Promise<StoredRow[]> {
  const base: Record<string, unknown> = {};
  if (c.product) base.productId = c.product;
  if (c.types?.length === 1) base.type = c.types[0];
  if (c.bizSteps?.length === 1) base.bizStep = c.bizSteps[0];
  const time: Record<string, Date> = {};
  if (c.from) time.$gte = c.from;
  if (c.to) time.$lt = c.to;
  if (c.at) time.$gte = time.$gte && time.$gte > c.at ? time.$gte : c.at;
  if (hidden.length) base.captureId = { $nin: hidden };
  const hiddenSet = new Set(hidden);
  const out: StoredRow[] = [];
  const chunk = Math.min(Math.max(limit * 2, 50), 500);
  let cursor = after;
  for (;;) {
    const filter: Record<string, unknown> = { ...base };
    if (cursor) {
      const [t, id] = cursor;
      const cmp = c.dir === 1 ? '$gt' : '$lt';
      filter.$or = [{ eventTime: { ...time, [cmp]: t } }, { eventTime: t, _id: { [cmp]: id } }];
    }
    if (Object.keys(time).length) filter.eventTime = time;
    const rows = await EventModel.find(filter, ROW_FIELDS).sort({ eventTime: c.dir, _id: c.dir }).limit(chunk).lean<StoredRow[]>();
    for (const r of rows) {
      if (!hiddenSet.has(r.captureId ?? '') && matches(r, c)) out.push(r);
      if (out.length >= limit) return out;
    }
    const last = rows[rows.length - 1];
    if (rows.length < chunk || !last) return out;
    cursor = [last.eventTime, last._id];
  }
}

/** The batch's chain read by position, then filtered, sorted and cut here with the same rules. */
async function batchRows(batchId: string, c: Criteria, after: [Date, string] | undefined, hidden: string[], limit: number): Promise<StoredRow[]> {
  const tip = await findTip(batchId);
  const links = await linksAt<StoredRow>(batchId, Array.from({ length: tip.seq + 1 }, (_, seq) => seq), { ...ROW_FIELDS, captureId: 1 });
  const hiddenSet = new Set(hidden);
  const key = (r: StoredRow) => [r.eventTime.getTime(), r._id] as const;
  const compare = (a: readonly [number, string], b: readonly [number, string]) => c.dir * (a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const from = after ? ([after[0].getTime(), after[1]] as const) : null;
  return links
    .filter(
      (r) =>
        r.batchId === batchId &&
        (!c.product || r.productId === c.product) &&
        !hiddenSet.has(r.captureId ?? '') &&
        (!from || compare(key(r), from) > 0) &&
        matches(r, c),
    )
    .sort((a, b) => compare(key(a), key(b)))
    .slice(0, limit);
}

function encodeToken(eventTime: Date, id: string): string {
  return Buffer.from(JSON.stringify([eventTime.getTime(), id])).toString('base64url');
}

function decodeToken(token: string): [Date, string] {
  try {
    const [t, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof t === 'number' && typeof id === 'string') return [new Date(t), id];
  } catch {
    // fall through
  }
  throw badRequest('request/invalid', 'nextPageToken: not a token this service issued; start again without it.');
}
