import { findCommune } from '../registry/admin-units.js';
import { unfinishedCaptureIds } from './capture.service.js';
import { verifyLinks, type StoredLink } from './chain.js';
import { EventModel } from './event.model.js';
import { parsePlaceUri, placeLabel } from './places.js';
import { timelineMessages } from './timeline.messages.js';

/**
 * A batch's journey for the verification page: its visible events in time order
 * with places and local times, and whether its chain checks out. Two queries run
 * side by side (the batch's links, unfinished captures); the page caches the result.
 */
export type TimelineStep = {
  /** The event time in the event's own offset: 2025-03-01T08:30:00+07:00. */
  eventTime: string;
  eventTimeZoneOffset: string;
  bizStep: string;
  disposition?: string;
  type: string;
  place: { code?: string; name?: string } | null;
  detail?: string;
  corrected?: boolean;
};

export type Timeline = {
  steps: TimelineStep[];
  chain: { ok: boolean; count: number; brokenAt?: number };
  /** The partial's words (vi/en), handed along so the template needs nothing else. */
  messages: typeof timelineMessages;
};

type TimelineLink = StoredLink & { captureId: string; isErrorDeclaration: boolean };

export async function batchTimeline(batchId: string): Promise<Timeline> {
  const [links, unfinished] = await Promise.all([
    EventModel.find(
      { batchId },
      { batchId: 1, seq: 1, prevHash: 1, hash: 1, body: 1, eventID: 1, type: 1, bizStep: 1, eventTime: 1, readPoint: 1, bizLocation: 1, captureId: 1, isErrorDeclaration: 1 },
    )
      .sort({ seq: 1 })
      .lean<TimelineLink[]>(),
    unfinishedCaptureIds(),
  ]);
  const parsed = new Map<number, Record<string, unknown>>();
  const report = verifyLinks(batchId, links, parsed);
  const hidden = new Set(unfinished);
  const visible = links.filter((l) => !hidden.has(l.captureId));
  const declaredErroneous = new Set(visible.filter((l) => l.isErrorDeclaration).map((l) => l.eventID));
  const steps = visible
    .filter((l) => !l.isErrorDeclaration)
    .map((l) => ({ link: l, step: toStep(l, parsed.get(l.seq) ?? parseBody(l.body), declaredErroneous.has(l.eventID)) }))
    .sort((a, b) => a.link.eventTime.getTime() - b.link.eventTime.getTime() || a.link.seq - b.link.seq)
    .map((s) => s.step);
  return {
    steps,
    chain: { ok: report.ok, count: report.count, ...(report.brokenAt ? { brokenAt: report.brokenAt.seq } : {}) },
    messages: timelineMessages,
  };
}

/** From the stored copies of the event's fields plus its body; an altered, unreadable body still gives a step (the chain line warns). */
function toStep(link: TimelineLink, e: Record<string, unknown>, corrected: boolean): TimelineStep {
  const offset = typeof e.eventTimeZoneOffset === 'string' && /^[+-]\d{2}:\d{2}$/.test(e.eventTimeZoneOffset) ? e.eventTimeZoneOffset : '+00:00';
  const step: TimelineStep = {
    eventTime: localIso(new Date(link.eventTime), offset),
    eventTimeZoneOffset: offset,
    bizStep: link.bizStep,
    type: link.type,
    place: placeOf({ readPoint: { id: link.readPoint }, bizLocation: { id: link.bizLocation } }),
  };
  if (typeof e.disposition === 'string') step.disposition = e.disposition;
  const detail = quantitiesOf(e);
  if (detail) step.detail = detail;
  if (corrected) step.corrected = true;
  return step;
}

function parseBody(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function placeOf(e: Record<string, unknown>): TimelineStep['place'] {
  for (const field of ['bizLocation', 'readPoint']) {
    const id = (e[field] as { id?: string | null } | undefined)?.id;
    const place = id ? parsePlaceUri(id) : null;
    if (place && findCommune(place.communeCode)) return { code: place.communeCode, name: placeLabel(place.communeCode) ?? undefined };
  }
  return null;
}

export function localIso(instant: Date, offset: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return `${new Date(instant.getTime() + minutes * 60_000).toISOString().slice(0, 19)}${m ? offset : 'Z'}`;
}

const UNIT_SYMBOLS: Record<string, string> = { KGM: 'kg', GRM: 'g', TNE: 't', LTR: 'l', MLT: 'ml', MTR: 'm', H87: 'pcs', EA: 'pcs', C62: 'pcs' };

/** What a step handled, e.g. "500 kg": language-neutral so it needs no translation. */
function quantitiesOf(e: Record<string, unknown>): string | undefined {
  const list = (e.type === 'TransformationEvent' ? e.outputQuantityList : e.type === 'AggregationEvent' ? e.childQuantityList : e.quantityList) as
    | { quantity?: number; uom?: string }[]
    | undefined;
  const totals = new Map<string, number>();
  for (const q of list ?? []) if (q.quantity !== undefined) totals.set(q.uom ?? '', (totals.get(q.uom ?? '') ?? 0) + q.quantity);
  const parts = [...totals].map(([uom, n]) => `${n.toLocaleString('en-US').replace(/,/g, ' ')}${uom ? ` ${UNIT_SYMBOLS[uom] ?? uom}` : ''}`);
  return parts.length ? parts.join(', ') : undefined;
}
