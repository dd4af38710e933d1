import type { Principal } from '../../policy/principal.js';
import { recordAudit } from '../../audit/audit.service.js';
import { systemPrincipal } from '../../policy/principal.js';
import { assertMay, may } from '../../policy/policy.js';
import { provincesOfProducers } from '../../registry/producers/producer.service.js';
import { AppError, conflict } from '../../errors/app-error.js';
import { newId } from '../../ids.js';
import { assertClientWaiting, type CreateOptions } from '../../create-options.js';
import { CaptureModel, CapturePayloadModel, OpenCaptureModel, type OpenCaptureDoc } from './capture.model.js';
import { guardedById } from '../../db.js';
import { appendToChain, isDuplicateKeyError, type ChainItem, type StoredSummary } from '../chain/chain-store.js';
import { documentContext, prepareEvent, type EventProblem, type PreparedEvent } from './epcis-event.js';
import { EventIdModel, eventKeyOf } from './event-id.model.js';
import { resolveBatches, type BatchInfo } from './resolve-batches.js';
import { resolvePlaces } from './resolve-places.js';
import { locationOfChainKey, productOfChainKey } from '../epcis-context.js';
import { recordChange } from '../../changes/changes.service.js';

/**
 * Capturing events, all or nothing, without transactions:
 * 1. the whole document is checked (shape, vocabularies, places, batches, the key's
 *    right to each batch) before anything is written;
 * 2. its payload (the prepared events), then a capture record (state pending) are stored;
 * 3. the events' eventIDs are claimed (unique): a clash refuses the capture while
 *    nothing is in a chain yet (its claims are released, the record marked failed);
 * 4. the events are appended to their batches' chains;
 * 5. the record is marked committed and the payload dropped.
 * Readers hide events of pending captures. A crash between 2 and 5 leaves a pending
 * record and maybe some of its events in the chains (hidden); the next capture after
 * CAPTURE_STALE_MS rolls it forward from the payload, so the chains never need a
 * deletion (which would break them). See docs/epcis.md.
 */
export const CAPTURE_STALE_MS = 60_000;
const HEAL_EVERY_MS = 30_000;

export type CaptureResult = { captureId: string; events: Omit<StoredSummary, 'eventIndex'>[] };

export async function captureEvents(
  principal: Principal,
  rawEvents: unknown[],
  opts: { context?: unknown; single?: boolean } = {},
  create?: CreateOptions,
): Promise<CaptureResult> {
  void healStaleCapturesThrottled();
  const items = await prepareCapture(principal, rawEvents, opts.context, opts.single === true);
  const captureId = create?.id ?? newId();
  for (const item of items) item.captureId = captureId;
  const recordTime = new Date();
  assertClientWaiting(create);
  // The payload first: a record without its payload would be a capture nobody can finish.
  await storePayload(captureId, items, create?.id !== undefined);
  // Then the open mark, before any event: readers hide the events of open captures.
  await OpenCaptureModel.create({ _id: captureId, createdAt: recordTime }).catch((err: unknown) => {
    // An earlier attempt under the same reserved id left its mark: it stands for this one.
    if (create?.id === undefined || !isDuplicateKeyError(err)) throw err;
  });
  const capture = await CaptureModel.create({
    _id: captureId,
    state: 'pending',
    actor: principal.keyId,
    role: principal.role,
    eventCount: items.length,
    batchIds: [...new Set(items.map((i) => i.batchId))],
    createdAt: recordTime,
  });
  const stored = await rollForward(capture._id, items, recordTime, { resume: false, single: opts.single === true });
  const action = opts.single ? 'event.capture' : 'event.capture_document';
  await recordAudit(principal, action, { type: 'event_capture', id: captureId, producerIds: items.map((i) => i.producerId) }, { eventCount: items.length, batchIds: capture.batchIds });
  return { captureId, events: stored };
}

async function storePayload(captureId: string, items: ChainItem[], reserved: boolean): Promise<void> {
  const payload = JSON.stringify(items);
  try {
    await CapturePayloadModel.create({ _id: captureId, payload });
  } catch (err) {
    // A capture id reserved by an Idempotency-Key: an earlier attempt stored its payload
    // and stopped before its capture record (the route looked for that record first), so
    // this attempt's payload takes its place. The record's unique _id still admits one capture.
    if (!reserved || !isDuplicateKeyError(err)) throw err;
    await CapturePayloadModel.updateOne({ _id: captureId }, { $set: { payload } });
  }
}

async function prepareCapture(principal: Principal, rawEvents: unknown[], context: unknown, single: boolean): Promise<ChainItem[]> {
  const doc = documentContext(context);
  const now = new Date();
  const problems: (EventProblem & { eventIndex: number })[] = [];
  const prepared: PreparedEvent[] = [];
  const seenKeys = new Map<string, number>();
  rawEvents.forEach((raw, eventIndex) => {
    const result = prepareEvent(raw, doc, now);
    if (Array.isArray(result)) {
      problems.push(...result.map((p) => ({ ...p, eventIndex })));
      return;
    }
    const key = eventKeyOf(result.eventID, result.isErrorDeclaration);
    const earlier = seenKeys.get(key);
    if (earlier !== undefined) problems.push({ code: 'event/duplicate_event_id', path: 'eventID', message: `repeats the eventID of event ${earlier}`, eventIndex });
    seenKeys.set(key, eventIndex);
    prepared.push(result);
  });
  rejectIf(problems, single);

  const places = await resolvePlaces(prepared);
  places.forEach((p, eventIndex) => {
    if (p.problem) problems.push({ ...p.problem, eventIndex });
  });
  rejectIf(problems, single);

  const batches = await resolveBatches(prepared, places.map((p) => p.home));
  const resolved: BatchInfo[] = [];
  batches.forEach((b, eventIndex) => {
    if ('code' in b) problems.push({ ...b, eventIndex });
    else resolved.push(b);
  });
  rejectIf(problems, single);

  // 403 rather than 400: the event is well-formed, the key lacks the right to this batch (or location's chain).
  const provinces = await provincesOfProducers(principal, resolved.map((b) => b.producerId));
  resolved.forEach((b, eventIndex) => {
    assertMay(principal, 'event.capture', { producerId: b.producerId, province: provinces.get(b.producerId) }, { where: `${where(eventIndex, single)}${chainName(b.batchId)}: `, details: { eventIndex } });
  });

  return prepared.map((p, eventIndex) => {
    const b = resolved[eventIndex] as BatchInfo;
    return { captureId: '', eventIndex, batchId: b.batchId, productId: b.productId, producerId: b.producerId, isErrorDeclaration: p.isErrorDeclaration, body: p.body };
  });
}

const where = (eventIndex: number, single: boolean) => (single ? '' : `eventList[${eventIndex}]: `);
const chainName = (key: string) => {
  const location = locationOfChainKey(key);
  const product = productOfChainKey(key);
  return location ? `the chain of location ${location}` : product ? `the chain of product ${product}` : `batch ${key}`;
};

function rejectIf(problems: (EventProblem & { eventIndex: number })[], single: boolean): void {
  const first = problems[0];
  if (!first) return;
  const text = problems
    .slice(0, 10)
    .map((p) => `${where(p.eventIndex, single)}${p.path ? `${p.path}: ` : ''}${p.message}`)
    .join('; ');
  throw new AppError(first.code, `${text}. Nothing was stored.`, { problems: problems.map((p) => (single ? { code: p.code, path: p.path, message: p.message } : p)) });
}

/**
 * Claims every eventID of a capture. A clash with another capture refuses it (409)
 * before any event is in a chain; claims this capture already holds (a roll-forward
 * run twice) are fine.
 */
async function claimEventIds(captureId: string, items: ChainItem[], single: boolean): Promise<void> {
  const claims = items.map((i) => ({ _id: eventKeyOf(String(i.body.eventID), i.isErrorDeclaration), captureId, batchId: i.batchId }));
  try {
    await EventIdModel.insertMany(claims, { ordered: false, lean: true });
    return;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const held = await Promise.all(claims.map((c) => EventIdModel.findById(c._id, { captureId: 1 }).lean()));
  const clash = held.findIndex((h) => h !== null && h.captureId !== captureId);
  if (clash < 0) return;
  await EventIdModel.deleteMany({ captureId });
  throw conflict('event/duplicate_event_id', `${where(clash, single)}an event with eventID ${items[clash]?.body.eventID} was already captured. Nothing was stored.`, { eventIndex: clash });
}

/** Claims, appends a capture's events (those not in yet) and marks it committed. Safe to run twice at once. */
async function rollForward(
  captureId: string,
  items: ChainItem[],
  recordTime: Date,
  opts: { resume: boolean; single: boolean },
): Promise<Omit<StoredSummary, 'eventIndex'>[]> {
  try {
    await claimEventIds(captureId, items, opts.single);
  } catch (err) {
    if (err instanceof AppError && err.status === 409) {
      await CaptureModel.updateOne({ _id: captureId }, { $set: { state: 'failed', failure: err.message, finishedAt: new Date() } });
      await OpenCaptureModel.deleteOne({ _id: captureId });
      void CapturePayloadModel.deleteOne({ _id: captureId }).catch(() => undefined);
    }
    throw err;
  }
  const byBatch = new Map<string, ChainItem[]>();
  for (const item of items) byBatch.set(item.batchId, [...(byBatch.get(item.batchId) ?? []), item]);
  const stored = (await Promise.all([...byBatch].map(([batchId, list]) => appendToChain(batchId, list, recordTime, { resume: opts.resume })))).flat();
  await CaptureModel.updateOne(guardedById(captureId, { state: 'pending' }), { $set: { state: 'committed', finishedAt: new Date() } });
  // The verification pages' timelines of these batches: dropped here at once, on the other instances within CHANGE_POLL_MS.
  for (const batchId of byBatch.keys()) await recordChange({ kind: 'batch', id: batchId });
  await OpenCaptureModel.deleteOne({ _id: captureId });
  // The payload was only needed to finish the capture; the events now hold everything.
  void CapturePayloadModel.deleteOne({ _id: captureId }).catch(() => undefined);
  return stored.sort((a, b) => a.eventIndex - b.eventIndex).map(({ eventIndex: _i, ...s }) => s);
}

/**
 * Rolls forward captures pending for longer than `olderThanMs` (their writer is
 * gone). Returns how many were completed. Called by captures (at most every
 * HEAL_EVERY_MS per process, so the first capture after a restart heals) and by tests.
 */
export async function healStaleCaptures(olderThanMs = CAPTURE_STALE_MS): Promise<number> {
  const before = Date.now() - olderThanMs;
  const open = (await OpenCaptureModel.find().lean<OpenCaptureDoc[]>())
    .filter((o) => o.createdAt.getTime() < before)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .slice(0, 20);
  let healed = 0;
  for (const mark of open) {
    try {
      const capture = await CaptureModel.findById(mark._id).lean();
      if (!capture || capture.state !== 'pending') {
        // Stopped before its record (nothing of it reached a chain), or finished: nothing to heal.
        await OpenCaptureModel.deleteOne({ _id: mark._id });
        continue;
      }
      const payload = await CapturePayloadModel.findById(capture._id).lean();
      if (!payload) continue; // its writer finished it meanwhile (the payload goes after the commit)
      const items = JSON.parse(payload.payload) as ChainItem[];
      await rollForward(capture._id, items, capture.createdAt, { resume: true, single: false });
      await recordAudit(systemPrincipal, 'event.capture_rolled_forward', { type: 'event_capture', id: capture._id, producerIds: items.map((i) => i.producerId) }, { eventCount: items.length });
      healed += 1;
    } catch {
      // Left pending (or marked failed on an eventID clash); the next round tries again.
    }
  }
  return healed;
}

let lastHealAt = 0;
async function healStaleCapturesThrottled(): Promise<void> {
  if (Date.now() - lastHealAt < HEAL_EVERY_MS) return;
  lastHealAt = Date.now();
  try {
    await healStaleCaptures();
  } catch {
    // Healing is best effort; the capture in hand does not depend on it.
  }
}

/**
 * Ids of captures whose events readers must not show yet (in flight or crashed).
 * Failed captures never reach the chains (they fail at the claims), so pending is all.
 */
export async function unfinishedCaptureIds(): Promise<string[]> {
  const rows = await OpenCaptureModel.find({}, { _id: 1 }).lean();
  return rows.map((r) => r._id);
}

/**
 * Marks open every pending capture that has no open mark (captures left pending before
 * the marks existed), so that readers keep hiding them and healing finds them.
 * Idempotent; run once at start.
 */
export async function backfillOpenCaptures(): Promise<number> {
  let marked = 0;
  for (const c of await CaptureModel.find({ state: 'pending' }, { _id: 1, createdAt: 1 }).lean()) {
    try {
      await OpenCaptureModel.create({ _id: c._id, createdAt: c.createdAt });
      marked++;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  return marked;
}

export type CaptureStatus = {
  captureId: string;
  state: 'pending' | 'committed' | 'failed';
  eventCount: number;
  batchIds: string[];
  createdAt: string;
  finishedAt: string | null;
  failure: string | null;
};

/** Where a capture stands (EPCIS capture-job style); an admin or the key that sent it may ask. */
export async function captureStatus(principal: Principal, captureId: string): Promise<CaptureStatus> {
  const status = await findCaptureStatus(principal, captureId);
  if (!status) throw new AppError('capture/not_found', `No capture ${captureId} sent with this key.`);
  return status;
}

/** A capture's status, or null when there is none this principal may see. */
export async function findCaptureStatus(principal: Principal, captureId: string): Promise<CaptureStatus | null> {
  const c = await CaptureModel.findById(captureId).lean();
  // Another key's capture reads as missing: its existence is that key's business.
  if (!c || (c.actor !== principal.keyId && !may(principal, 'event.capture_status_any'))) return null;
  return {
    captureId: c._id,
    state: c.state,
    eventCount: c.eventCount,
    batchIds: c.batchIds,
    createdAt: c.createdAt.toISOString(),
    finishedAt: c.finishedAt?.toISOString() ?? null,
    failure: c.failure ?? null,
  };
}
