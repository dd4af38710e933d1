import { badRequest } from '../../errors/app-error.js';
import { normalizeCbv } from '../cbv.js';
import { unfinishedCaptureIds } from '../capture/capture.service.js';
import { EventModel } from '../chain/event.model.js';
import type { EventQueryInput } from '../events.schema.js';
import type { EventRow } from '../events.presenter.js';

/**
 * Event queries with EPCIS query-interface parameter names, paged by a keyset on
 * (eventTime, _id): stable while events are added, and each page is one indexed
 * range read however deep the client pages.
 */
export type EventPage = { rows: EventRow[]; nextPageToken: string | null };

const ROW_FIELDS = { _id: 1, batchId: 1, productId: 1, producerId: 1, seq: 1, hash: 1, prevHash: 1, body: 1, eventTime: 1 } as const;

/**
 * `mayScanAll`: a query naming neither batch nor product reads (and, on FerretDB,
 * sorts in memory) every event; only admin keys may ask for that.
 */
export async function queryEvents(q: EventQueryInput, opts: { mayScanAll: boolean }): Promise<EventPage> {
  if (!q.batch && !q.product && !opts.mayScanAll) {
    throw badRequest('request/invalid', 'Name a batch (batch=…) or a product (product=…); only admin keys may query across all events.');
  }
  // One flat filter: FerretDB hands plain top-level equalities to its storage and
  // filters the rest itself, so batch/product equality keeps each read small.
  const filter: Record<string, unknown> = {};
  if (q.batch) filter.batchId = q.batch;
  if (q.product) filter.productId = q.product;
  if (q.eventType) filter.type = q.eventType;
  const step = q.bizStep ?? q.EQ_bizStep;
  if (step) {
    const bare = normalizeCbv('bizStep', step);
    if (!bare) throw badRequest('request/invalid', `bizStep: ${JSON.stringify(step)} is not a CBV 2.0 business step.`);
    filter.bizStep = bare;
  }
  const time: Record<string, Date> = {};
  if (q.GE_eventTime) time.$gte = new Date(q.GE_eventTime);
  if (q.LT_eventTime) time.$lt = new Date(q.LT_eventTime);
  const loc = q.bizLocation ?? q.EQ_bizLocation;
  if (loc) filter.bizLocation = placeFilter(loc);
  const rp = q.readPoint ?? q.EQ_readPoint;
  if (rp) filter.readPoint = placeFilter(rp);

  const dir = q.orderDirection === 'DESC' ? -1 : 1;
  if (q.nextPageToken) {
    const [t, id] = decodeToken(q.nextPageToken);
    const cmp = dir === 1 ? '$gt' : '$lt';
    filter.$or = [{ eventTime: { ...time, [cmp]: t } }, { eventTime: t, _id: { [cmp]: id } }];
  }
  if (Object.keys(time).length) filter.eventTime = time;
  const hidden = await unfinishedCaptureIds();
  if (hidden.length) filter.captureId = { $nin: hidden };

  const rows = await EventModel.find(filter, ROW_FIELDS)
    .sort({ eventTime: dir, _id: dir })
    .limit(q.perPage + 1)
    .lean();
  const page = rows.slice(0, q.perPage);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextPageToken: rows.length > q.perPage && last ? encodeToken(last.eventTime, last._id) : null,
  };
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
