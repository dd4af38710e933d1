import type { StoredLink } from '../chain/chain.js';

/**
 * What the timeline needs of one link, a tenth of a stored event: the step's own
 * fields, what decides whether it shows (its capture, whether it is a declaration
 * and which eventID it names), and its place in the chain (seq, hash, prevHash) so
 * a run of entries can be checked for continuity without the events.
 */
export type TimelineEntry = {
  seq: number;
  hash: string;
  prevHash: string;
  captureId: string;
  eventID: string;
  isErrorDeclaration: boolean;
  type: string;
  bizStep: string;
  /** The instant, ISO 8601 UTC. */
  eventTime: string;
  /** From the event; missing when the stored event was unreadable. */
  eventTimeZoneOffset?: string;
  disposition?: string;
  readPoint: string | null;
  bizLocation: string | null;
  /** What the step handled, e.g. "500 kg". */
  detail?: string;
  /** Temperatures its sensors recorded, e.g. "2–7.5 °C", and whether one raised an alarm (sensorElementList). */
  sensor?: { temperature?: string; alarm?: true };
};

export type EntryLink = StoredLink & { captureId: string; isErrorDeclaration: boolean };

/**
 * From the stored copies of the event's fields plus its parsed body (an empty object
 * when the body was unreadable: the entry still shows, the chain line warns).
 * Deterministic, so a check can rebuild an entry from its event and compare.
 */
export function entryOf(link: EntryLink, e: Record<string, unknown>): TimelineEntry {
  const entry: TimelineEntry = {
    seq: link.seq,
    hash: link.hash,
    prevHash: link.prevHash,
    captureId: link.captureId,
    eventID: link.eventID,
    isErrorDeclaration: link.isErrorDeclaration,
    type: link.type,
    bizStep: link.bizStep,
    eventTime: new Date(link.eventTime).toISOString(),
    readPoint: link.readPoint ?? null,
    bizLocation: link.bizLocation ?? null,
  };
  if (typeof e.eventTimeZoneOffset === 'string') entry.eventTimeZoneOffset = e.eventTimeZoneOffset;
  if (typeof e.disposition === 'string') entry.disposition = e.disposition;
  const detail = quantitiesOf(e);
  if (detail) entry.detail = detail;
  const sensor = sensorOf(e);
  if (sensor) entry.sensor = sensor;
  return entry;
}

/** The body as an object, or {} when it is not readable JSON. */
export function parseBody(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
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

const TEMPERATURE_UNITS: Record<string, string> = { CEL: '°C', FAH: '°F', KEL: 'K' };

/**
 * What a consumer cares about in sensor data, small: the range of temperatures
 * recorded (cold chain) and whether any report raised an alarm. Other measurements
 * stay in the event (query and export show them all).
 */
function sensorOf(e: Record<string, unknown>): TimelineEntry['sensor'] | undefined {
  const elements = Array.isArray(e.sensorElementList) ? (e.sensorElementList as { sensorReport?: unknown }[]) : [];
  let lo = Infinity;
  let hi = -Infinity;
  let unit: string | undefined;
  let alarm = false;
  for (const el of elements) {
    for (const r of Array.isArray(el?.sensorReport) ? (el.sensorReport as Record<string, unknown>[]) : []) {
      if (r.exception === 'ALARM_CONDITION') alarm = true;
      const u = typeof r.uom === 'string' ? TEMPERATURE_UNITS[r.uom] : undefined;
      if (!/(^|[/#-])Temperature$/.test(String(r.type)) || !u || (unit && u !== unit)) continue;
      unit = u;
      for (const k of ['value', 'minValue', 'maxValue'] as const) {
        const v = r[k];
        if (typeof v === 'number' && Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
  }
  const out: NonNullable<TimelineEntry['sensor']> = {};
  if (unit && lo <= hi) out.temperature = lo === hi ? `${lo} ${unit}` : `${lo}–${hi} ${unit}`;
  if (alarm) out.alarm = true;
  return Object.keys(out).length ? out : undefined;
}
