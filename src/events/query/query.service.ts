import { badRequest } from '../../errors/app-error.js';
import { normalizeCbv } from '../cbv.js';
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

const ROW_FIELDS = { _id: 1, batchId: 1, productId: 1, producerId: 1, seq: 1, hash: 1, prevHash: 1, body: 1, eventTime: 1 } as const;
/** What a batch's events are filtered on here, besides the row. */
const MATCH_FIELDS = { type: 1, bizStep: 1, readPoint: 1, bizLocation: 1, captureId: 1 } as const;
type StoredRow = EventRow & { eventTime: Date; type?: string; bizStep?: string; readPoint?: string | null; bizLocation?: string | null; captureId?: string };

/**
 * `mayScanAll`: a query naming neither batch nor product reads (and, on FerretDB,
 * sorts in memory) every event; only admin keys may ask for that.
 *
 * A query naming a batch reads that batch's chain by position (chain-links.ts: `_id`
 * lookups, an index on every backend) and filters, sorts and pages it here: its cost
 * grows with the batch, not with every event stored (on FerretDB's SQLite backend a
 * query on batchId reads them all). Other queries are one query on the events.
 */
export async function queryEvents(q: EventQueryInput, opts: { mayScanAll: boolean }): Promise<EventPage> {
  if (!q.batch && !q.product && !opts.mayScanAll) {
    throw badRequest('request/invalid', 'Name a batch (batch=…) or a product (product=…); only admin keys may query across all events.');
  }
  const c = criteriaOf(q);
  const hidden = await unfinishedCaptureIds();
  const rows = q.batch ? await batchRows(q.batch, c, hidden, q.perPage + 1) : await queriedRows(c, hidden, q.perPage + 1);
  const page = rows.slice(0, q.perPage);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextPageToken: rows.length > q.perPage && last ? encodeToken(last.eventTime, last._id) : null,
  };
}

type Criteria = {
  product?: string | undefined;
  type?: string | undefined;
  bizStep?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  bizLocation?: string | undefined;
  readPoint?: string | undefined;
  dir: 1 | -1;
  after?: [Date, string] | undefined;
};

function criteriaOf(q: EventQueryInput): Criteria {
  const step = q.bizStep ?? q.EQ_bizStep;
  let bizStep: string | undefined;
  if (step) {
    const bare = normalizeCbv('bizStep', step);
    if (!bare) throw badRequest('request/invalid', `bizStep: ${JSON.stringify(step)} is not a CBV 2.0 business step.`);
    bizStep = bare;
  }
  return {
    product: q.product,
    type: q.eventType,
    bizStep,
    from: q.GE_eventTime ? new Date(q.GE_eventTime) : undefined,
    to: q.LT_eventTime ? new Date(q.LT_eventTime) : undefined,
    bizLocation: q.bizLocation ?? q.EQ_bizLocation,
    readPoint: q.readPoint ?? q.EQ_readPoint,
    dir: q.orderDirection === 'DESC' ? -1 : 1,
    after: q.nextPageToken ? decodeToken(q.nextPageToken) : undefined,
  };
}

/** One query: a flat filter, as FerretDB hands plain top-level equalities to its storage and filters the rest itself. */
async function queriedRows(c: Criteria, hidden: string[], limit: number): Promise<StoredRow[]> {
  const filter: Record<string, unknown> = {};
  if (c.product) filter.productId = c.product;
  if (c.type) filter.type = c.type;
  if (c.bizStep) filter.bizStep = c.bizStep;
  const time: Record<string, Date> = {};
  if (c.from) time.$gte = c.from;
  if (c.to) time.$lt = c.to;
  if (c.bizLocation) filter.bizLocation = placeFilter(c.bizLocation);
  if (c.readPoint) filter.readPoint = placeFilter(c.readPoint);
  if (c.after) {
    const [t, id] = c.after;
    const cmp = c.dir === 1 ? '$gt' : '$lt';
    filter.$or = [{ eventTime: { ...time, [cmp]: t } }, { eventTime: t, _id: { [cmp]: id } }];
  }
  if (Object.keys(time).length) filter.eventTime = time;
  if (hidden.length) filter.captureId = { $nin: hidden };
  return EventModel.find(filter, ROW_FIELDS).sort({ eventTime: c.dir, _id: c.dir }).limit(limit).lean<StoredRow[]>();
}

/** The batch's chain read by position, then filtered, sorted and cut here with the same rules. */
async function batchRows(batchId: string, c: Criteria, hidden: string[], limit: number): Promise<StoredRow[]> {
  const tip = await findTip(batchId);
  const links = await linksAt<StoredRow>(batchId, Array.from({ length: tip.seq + 1 }, (_, seq) => seq), { ...ROW_FIELDS, ...MATCH_FIELDS });
  const hiddenSet = new Set(hidden);
  const atLoc = c.bizLocation ? placeTest(c.bizLocation) : null;
  const atPoint = c.readPoint ? placeTest(c.readPoint) : null;
  const key = (r: StoredRow) => [r.eventTime.getTime(), r._id] as const;
  const compare = (a: readonly [number, string], b: readonly [number, string]) => c.dir * (a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const after = c.after ? ([c.after[0].getTime(), c.after[1]] as const) : null;
  return links
    .filter(
      (r) =>
        r.batchId === batchId &&
        (!c.product || r.productId === c.product) &&
        (!c.type || r.type === c.type) &&
        (!c.bizStep || r.bizStep === c.bizStep) &&
        (!c.from || r.eventTime >= c.from) &&
        (!c.to || r.eventTime < c.to) &&
        (!atLoc || atLoc(r.bizLocation)) &&
        (!atPoint || atPoint(r.readPoint)) &&
        !hiddenSet.has(r.captureId ?? '') &&
        (!after || compare(key(r), after) > 0),
    )
    .sort((a, b) => compare(key(a), key(b)))
    .slice(0, limit);
}

/** placeFilter as a test on one stored value. */
function placeTest(value: string): (stored: string | null | undefined) => boolean {
  if (/^\d{5}$/.test(value)) {
    const pattern = new RegExp(`^urn:ocop:commune:${value}(:|$)`);
    return (stored) => typeof stored === 'string' && pattern.test(stored);
  }
  return (stored) => stored === value;
}

/** A bare commune code matches the commune and every site in it; a full URI matches itself. */
function placeFilter(value: string): unknown {
  if (/^\d{5}$/.test(value)) return { $regex: `^urn:ocop:commune:${value}(:|$)` };
  return value;
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
