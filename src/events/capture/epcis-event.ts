import { randomUUID } from 'node:crypto';
import { normalizeCbv, type VocabularyName } from '../cbv.js';
import { parseEpc, type EpcRef } from '../epc.js';
import { BATCH_FIELD, BATCH_FIELD_IRI, GS1_EPCIS_CONTEXT, ILMD_EXPIRY, ILMD_LOT, OCOP_NAMESPACE, OWNER_FIELDS } from '../epcis-context.js';
import { eventShapes, EVENT_TYPES, isUri, STANDARD_FIELDS, type EventType } from '../events.schema.js';
import { isOcopPlaceUri, knownCommune, parsePlaceUri } from '../places.js';
import type { ErrorCode } from '../../errors/catalogue.js';

/**
 * Checks one incoming EPCIS event beyond its JSON shape (CBV vocabularies, what
 * each event type needs, places, the data Circular 02/2024 requires) and brings
 * it into the form we store: bare CBV values, an eventID, the document's extra
 * @context. Pure: the batch is resolved afterwards (resolve-batches.ts).
 */
export type EventProblem = { code: Extract<ErrorCode, `event/${string}`>; path: string; message: string };

export type PreparedEvent = {
  body: Record<string, unknown>;
  type: EventType;
  eventID: string;
  isErrorDeclaration: boolean;
  eventTime: Date;
  readPoint: string | null;
  bizLocation: string | null;
  /** Whether readPoint or bizLocation is a valid OCOP place; otherwise a registered location must give the commune (resolve-places.ts). */
  ocopPlaced: boolean;
  /** ocop:batchId (or an alias of it) when the sender named the batch. */
  explicitBatchId: string | null;
  /** Identifiers of the goods the event is about (outputs of a transformation, children of an aggregation). */
  refs: EpcRef[];
  ilmdLot: string | null;
  ilmdExpiry: string | null;
  /** An ObjectEvent with neither epcList nor quantityList: taken only into a registered location's chain. */
  namesNoGoods: boolean;
};

export type DocumentContext = {
  /** Prefixes the sender's @context maps to our namespace (besides "ocop"). */
  batchFieldNames: string[];
  /** @context entries other than GS1's and ours, kept with each event so its extension terms keep their meaning. */
  extraContext: unknown[];
};

/** A CBV-looking URI that is not in the vocabulary: a typo, not a party's own term. */
const CBV_LIKE = /^(urn:epcglobal:cbv|https?:\/\/(ref|ns)\.gs1\.org\/cbv\/|cbv:)/;

/** Clock skew allowed for event times in the future. */
const FUTURE_SKEW_MS = 10 * 60_000;

export function documentContext(context: unknown): DocumentContext {
  const entries = Array.isArray(context) ? context : context === undefined ? [] : [context];
  const batchFieldNames = [BATCH_FIELD, BATCH_FIELD_IRI];
  const extraContext: unknown[] = [];
  for (const entry of entries) {
    if (entry === GS1_EPCIS_CONTEXT || (typeof entry === 'string' && /gs1\.org\/.*epcis-context/.test(entry))) continue;
    if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const rest: Record<string, unknown> = {};
      for (const [prefix, iri] of Object.entries(entry)) {
        if (iri === OCOP_NAMESPACE) batchFieldNames.push(`${prefix}:batchId`);
        else rest[prefix] = iri;
      }
      if (Object.keys(rest).length > 0) extraContext.push(rest);
      continue;
    }
    extraContext.push(entry);
  }
  return { batchFieldNames, extraContext };
}

export function prepareEvent(raw: unknown, doc: DocumentContext, now = new Date()): PreparedEvent | EventProblem[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [problem('event/invalid', '', 'must be a JSON object')];
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !EVENT_TYPES.includes(type as EventType)) {
    return [problem('event/unsupported_type', 'type', `${JSON.stringify(type ?? null)} is not an event type this service takes (${EVENT_TYPES.join(', ')})`)];
  }
  const parsed = eventShapes[type as EventType].safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => problem('event/invalid', i.path.map(String).join('.'), i.message));
  }
  const input = parsed.data as Record<string, unknown> & { type: EventType };
  const problems: EventProblem[] = [];
  const body: Record<string, unknown> = { ...input };
  delete body.recordTime; // set by this repository at capture
  for (const f of OWNER_FIELDS) delete body[f]; // set by this repository on events kept in a product's or location's chain

  let explicitBatchId: string | null = null;
  for (const key of Object.keys(input)) {
    if (STANDARD_FIELDS[input.type].has(key) || input[key] === undefined || OWNER_FIELDS.includes(key)) continue;
    if (doc.batchFieldNames.includes(key)) {
      const v = input[key];
      if (typeof v !== 'string' || !/^[0-9a-z]{10}$/.test(v)) problems.push(problem('event/invalid', key, 'must be a batch id'));
      else explicitBatchId = v;
      delete body[key];
      continue;
    }
    if (key.includes(':') && isUri(key)) continue; // an extension member, kept as sent
    problems.push(problem('event/invalid', key, `is not a member of ${input.type}; extension members are IRIs such as ${BATCH_FIELD}`));
  }

  normalizeVocab(body, 'bizStep', 'bizStep', problems, 'a CBV 2.0 business step (e.g. shipping) or your own URI');
  if (input.disposition !== undefined) normalizeVocab(body, 'disposition', 'disposition', problems, 'a CBV 2.0 disposition (e.g. in_transit) or your own URI');
  normalizeList(body, 'sourceList', 'type', 'sourceDestType', problems);
  normalizeList(body, 'destinationList', 'type', 'sourceDestType', problems);
  normalizeList(body, 'bizTransactionList', 'type', 'bizTransactionType', problems);
  const pd = input.persistentDisposition as { set?: string[]; unset?: string[] } | undefined;
  if (pd) {
    const out: Record<string, string[]> = {};
    for (const k of ['set', 'unset'] as const) {
      if (!pd[k]) continue;
      out[k] = pd[k].map((v, i) => normalizeOrReport('disposition', v, `persistentDisposition.${k}.${i}`, problems, 'a CBV 2.0 disposition or your own URI'));
    }
    body.persistentDisposition = out;
  }

  const declaration = input.errorDeclaration as { declarationTime: string; reason?: string } | undefined;
  if (declaration) {
    const out: Record<string, unknown> = { ...declaration };
    if (declaration.reason !== undefined) {
      // Reasons outside CBV may be any non-CBV URI (the standard allows them).
      const bare = normalizeCbv('errorReason', declaration.reason);
      if (bare) out.reason = bare;
      else if (!isUri(declaration.reason) || CBV_LIKE.test(declaration.reason)) {
        problems.push(problem('event/invalid', 'errorDeclaration.reason', 'must be did_not_occur, incorrect_data or your own URI'));
      }
    }
    body.errorDeclaration = out;
    if (input.eventID === undefined) problems.push(problem('event/invalid', 'eventID', 'an error declaration must carry the eventID of the event it declares erroneous'));
  }

  checkTypeRules(input, problems);
  const places = checkPlaces(input, problems);
  const eventTime = new Date(input.eventTime as string);
  if (eventTime.getTime() > now.getTime() + FUTURE_SKEW_MS) problems.push(problem('event/invalid', 'eventTime', 'lies in the future'));

  const ilmdIn = input.ilmd as Record<string, unknown> | undefined;
  const ilmdLot = ilmdIn?.[ILMD_LOT];
  const ilmdExpiry = ilmdIn?.[ILMD_EXPIRY];
  if (ilmdLot !== undefined && typeof ilmdLot !== 'string') problems.push(problem('event/invalid', `ilmd.${ILMD_LOT}`, 'must be a string'));
  if (ilmdExpiry !== undefined && (typeof ilmdExpiry !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(ilmdExpiry))) {
    problems.push(problem('event/invalid', `ilmd.${ILMD_EXPIRY}`, 'must be a date, YYYY-MM-DD'));
  }

  if (problems.length > 0) return problems;
  if (doc.extraContext.length > 0 && body['@context'] === undefined) body['@context'] = doc.extraContext;
  const eventID = (input.eventID as string | undefined) ?? `urn:uuid:${randomUUID()}`;
  body.eventID = eventID;
  return {
    body,
    type: input.type,
    eventID,
    isErrorDeclaration: declaration !== undefined,
    eventTime,
    readPoint: places.readPoint,
    bizLocation: places.bizLocation,
    ocopPlaced: places.placed,
    explicitBatchId,
    refs: ownIdentifiers(input).flatMap((u) => parseEpc(u) ?? []),
    ilmdLot: typeof ilmdLot === 'string' ? ilmdLot : null,
    ilmdExpiry: typeof ilmdExpiry === 'string' ? ilmdExpiry.slice(0, 10) : null,
    namesNoGoods: input.type === 'ObjectEvent' && !nonEmpty(input.epcList) && !nonEmpty(input.quantityList),
  };
}

const problem = (code: EventProblem['code'], path: string, message: string): EventProblem => ({ code, path, message });

/**
 * A CBV value in its bare form; a URI of the sender's own vocabulary (EPCIS allows
 * them: `https://example.org/bizstep/ripening`) is kept as sent. A CBV-looking URI
 * outside the vocabulary is a typo, not a term of one's own, and is refused.
 */
function normalizeOrReport(vocab: VocabularyName, value: string, path: string, problems: EventProblem[], what: string): string {
  const bare = normalizeCbv(vocab, value);
  if (bare) return bare;
  if (isUri(value) && value.includes(':') && !CBV_LIKE.test(value)) return value;
  problems.push(problem('event/invalid_vocabulary', path, `${JSON.stringify(value)} is not ${what}`));
  return value;
}

function normalizeVocab(body: Record<string, unknown>, field: string, vocab: VocabularyName, problems: EventProblem[], what: string) {
  body[field] = normalizeOrReport(vocab, body[field] as string, field, problems, what);
}

function normalizeList(body: Record<string, unknown>, field: string, key: string, vocab: VocabularyName, problems: EventProblem[]) {
  const list = body[field] as Record<string, unknown>[] | undefined;
  if (!list) return;
  body[field] = list.map((item, i) => {
    const v = item[key];
    if (typeof v !== 'string') return item;
    // The standard also allows a party's own URIs here; only CBV spellings are normalised.
    const bare = normalizeCbv(vocab, v);
    if (bare) return { ...item, [key]: bare };
    if (CBV_LIKE.test(v) || !isUri(v)) {
      problems.push(problem('event/invalid_vocabulary', `${field}.${i}.${key}`, `${JSON.stringify(v)} is not a CBV 2.0 type`));
    }
    return item;
  });
}

const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;

function checkTypeRules(e: Record<string, unknown>, problems: EventProblem[]) {
  if (e.type === 'ObjectEvent') {
    // One about no goods (sensor readings of a room) is decided with the places: see resolve-batches.ts.
    if (e.ilmd !== undefined && e.action !== 'ADD') problems.push(problem('event/invalid', 'ilmd', 'ilmd belongs only to an ObjectEvent with action ADD'));
  } else if (e.type === 'AggregationEvent' || e.type === 'AssociationEvent') {
    if (e.action !== 'DELETE' && !nonEmpty(e.childEPCs) && !nonEmpty(e.childQuantityList)) {
      problems.push(problem('event/invalid', 'childEPCs', `an ${e.type} needs childEPCs or childQuantityList`));
    }
    if (e.action !== 'OBSERVE' && e.parentID === undefined) problems.push(problem('event/invalid', 'parentID', `is required for action ${String(e.action)}`));
  } else if (e.type === 'TransactionEvent') {
    // The business transactions are required by the shape; goods are optional in EPCIS.
  } else {
    const hasIn = nonEmpty(e.inputEPCList) || nonEmpty(e.inputQuantityList);
    const hasOut = nonEmpty(e.outputEPCList) || nonEmpty(e.outputQuantityList);
    if (!(hasIn && hasOut) && !(e.transformationID !== undefined && (hasIn || hasOut))) {
      problems.push(problem('event/invalid', 'outputQuantityList', 'a TransformationEvent needs inputs and outputs, or a transformationID with inputs or outputs'));
    }
  }
}

/**
 * Checks the OCOP place URIs (urn:ocop:commune:…). Other location ids are kept; GS1
 * ones (SGLN, GLN Digital Link) are looked up among the registered locations after
 * this pure step (resolve-places.ts), which also decides whether the event has a place.
 */
function checkPlaces(e: Record<string, unknown>, problems: EventProblem[]) {
  const readPoint = (e.readPoint as { id: string } | undefined)?.id ?? null;
  const bizLocation = (e.bizLocation as { id: string } | undefined)?.id ?? null;
  let placed = false;
  for (const [field, id] of [['readPoint', readPoint], ['bizLocation', bizLocation]] as const) {
    if (id === null || !isOcopPlaceUri(id)) continue;
    const place = parsePlaceUri(id);
    if (!place) problems.push(problem('event/invalid_place', `${field}.id`, 'must be urn:ocop:commune:{5-digit commune code} or urn:ocop:commune:{code}:{site}'));
    else if (!knownCommune(place.communeCode)) problems.push(problem('event/invalid_place', `${field}.id`, `${place.communeCode} is not a commune code in force (2025 units)`));
    else placed = true;
  }
  return { readPoint, bizLocation, placed };
}

/** The goods an event is about, for finding its batch: what a transformation makes, what is packed. */
function ownIdentifiers(e: Record<string, unknown>): string[] {
  const classes = (list: unknown) => ((list as { epcClass: string }[] | undefined) ?? []).map((q) => q.epcClass);
  const epcs = (list: unknown) => (list as string[] | undefined) ?? [];
  if (e.type === 'ObjectEvent' || e.type === 'TransactionEvent') return [...epcs(e.epcList), ...classes(e.quantityList)];
  if (e.type === 'AggregationEvent' || e.type === 'AssociationEvent') return [...epcs(e.childEPCs), ...classes(e.childQuantityList)];
  return [...epcs(e.outputEPCList), ...classes(e.outputQuantityList)];
}
