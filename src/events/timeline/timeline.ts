import { formatInstant } from '../../display-dates.js';
import type { Lang } from '../../i18n.js';
import { findCommune } from '../../reference/admin-units.js';
import { unfinishedCaptureIds } from '../capture/capture.service.js';
import type { ChainReport } from '../chain/chain.js';
import { parsePlaceUri, placeLabel } from '../places.js';
import { isGlnUri, locationsByUri } from '../../registry/locations/location.service.js';
import { fullCheck, recentCheck } from './timeline-check.js';
import type { TimelineEntry } from './timeline-entry.js';
import { readTimelineModel } from './timeline-pages.js';
import { timelineMessages } from './timeline.messages.js';

/**
 * A batch's journey for the verification page: its visible events in time order
 * with places and local times, and whether its chain checks out. The page caches the result.
 */
export type TimelineStep = {
  /** The event time in the event's own offset: 2025-03-01T08:30:00+07:00. */
  eventTime: string;
  eventTimeZoneOffset: string;
  /** The instant as pages write it (Vietnam time), per language. */
  when: Record<Lang, string>;
  bizStep: string;
  disposition?: string;
  type: string;
  place: { code?: string; name?: string } | null;
  detail?: string;
  sensor?: { temperature?: string; alarm?: true };
  corrected?: boolean;
};

export type Timeline = {
  steps: TimelineStep[];
  chain: { ok: boolean; count: number; brokenAt?: number };
  /** The partial's words (vi/en), handed along so the template needs nothing else. */
  messages: typeof timelineMessages;
};

/**
 * Steps come from the read model (sealed pages plus the newest links, checked on
 * every read); the chain line also needs the batch's last full check, which is
 * recomputed when missing or too old (see timeline-check.ts for the staleness bound).
 */
export async function batchTimeline(batchId: string): Promise<Timeline> {
  const known = recentCheck(batchId);
  if (!known) {
    const [full, unfinished] = await Promise.all([fullCheck(batchId), unfinishedCaptureIds()]);
    return timelineOf(full.entries, full.report, unfinished, await registeredPlaces(full.entries));
  }
  const [model, unfinished] = await Promise.all([readTimelineModel(batchId), unfinishedCaptureIds()]);
  if (known.count > model.entries.length) {
    // Links the read model cannot reach (stored without a page): read the events themselves.
    const full = await fullCheck(batchId);
    return timelineOf(full.entries, full.report, unfinished, await registeredPlaces(full.entries));
  }
  return timelineOf(model.entries, worseOf(model.report, known), unfinished, await registeredPlaces(model.entries));
}

type PlaceOf = Map<string, NonNullable<TimelineStep['place']>>;

/**
 * The commune (and name) of each registered location the entries name by SGLN / GLN
 * instead of an OCOP place: one `_id` lookup per distinct place, none when all are OCOP places.
 */
async function registeredPlaces(entries: TimelineEntry[]): Promise<PlaceOf> {
  const uris = entries.flatMap((e) => [e.bizLocation, e.readPoint]).filter((u): u is string => u !== null && isGlnUri(u));
  if (uris.length === 0) return new Map();
  const located = await locationsByUri(uris);
  return new Map([...located].map(([uri, l]) => [uri, { code: l.communeCode, name: [l.name, placeLabel(l.communeCode)].filter(Boolean).join(', ') }]));
}

function timelineOf(entries: TimelineEntry[], report: ChainReport, unfinished: string[], places: PlaceOf): Timeline {
  const hidden = new Set(unfinished);
  const visible = entries.filter((e) => !hidden.has(e.captureId));
  const declaredErroneous = new Set(visible.filter((e) => e.isErrorDeclaration).map((e) => e.eventID));
  const steps = visible
    .filter((e) => !e.isErrorDeclaration)
    .map((e) => ({ at: Date.parse(e.eventTime), seq: e.seq, step: toStep(e, declaredErroneous.has(e.eventID), places) }))
    .sort((a, b) => a.at - b.at || a.seq - b.seq)
    .map((s) => s.step);
  return {
    steps,
    chain: { ok: report.ok, count: entries.length, ...(report.brokenAt ? { brokenAt: report.brokenAt.seq } : {}) },
    messages: timelineMessages,
  };
}

/** This read's check and the last full check together: broken if either is, at the earlier link. */
function worseOf(read: ChainReport, full: ChainReport): ChainReport {
  if (!full.brokenAt) return read;
  if (!read.brokenAt || full.brokenAt.seq < read.brokenAt.seq) return { ...read, ok: false, brokenAt: full.brokenAt };
  return read;
}

/** An altered, unreadable event still gives a step (the chain line warns). */
function toStep(e: TimelineEntry, corrected: boolean, places: PlaceOf): TimelineStep {
  const offset = typeof e.eventTimeZoneOffset === 'string' && /^[+-]\d{2}:\d{2}$/.test(e.eventTimeZoneOffset) ? e.eventTimeZoneOffset : '+00:00';
  const instant = new Date(e.eventTime);
  const step: TimelineStep = {
    eventTime: localIso(instant, offset),
    eventTimeZoneOffset: offset,
    when: { vi: formatInstant(instant, 'vi'), en: formatInstant(instant, 'en') },
    bizStep: e.bizStep,
    type: e.type,
    place:
      placeOf({ readPoint: { id: e.readPoint }, bizLocation: { id: e.bizLocation } }) ??
      (e.bizLocation ? places.get(e.bizLocation) : undefined) ??
      (e.readPoint ? places.get(e.readPoint) : undefined) ??
      null,
  };
  if (e.disposition !== undefined) step.disposition = e.disposition;
  if (e.detail) step.detail = e.detail;
  if (e.sensor) step.sensor = e.sensor;
  if (corrected) step.corrected = true;
  return step;
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
