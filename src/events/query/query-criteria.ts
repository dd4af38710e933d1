import { AppError, badRequest } from '../../errors/app-error.js';
import { normalizeCbv, type VocabularyName } from '../cbv.js';
import { EVENT_QUERY_PARAMETERS, EVENT_TYPES, isUri, type EventQueryInput, type EventType } from '../events.schema.js';
import { parsePlaceUri } from '../places.js';
import { locationKeyOfUri } from '../../registry/locations/location.service.js';

/**
 * The EPCIS query parameters as one test on a stored event (pure): what the database
 * can select by an index (product, time, a single type or step) is also handed to it
 * by the service; everything is checked here on the event as stored, so a batch read
 * by position and a query answer with the same rules.
 */
export type Criteria = {
  product?: string | undefined;
  types?: string[] | undefined;
  bizSteps?: string[] | undefined;
  dispositions?: string[] | undefined;
  actions?: string[] | undefined;
  at?: Date | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  readPoint?: PlaceTest | undefined;
  bizLocation?: PlaceTest | undefined;
  epc: EpcTests;
  sensor: boolean;
  dir: 1 | -1;
};
type PlaceTest = { uris: Set<string>; communes: Set<string> };
type Matcher = (value: string) => boolean;
type EpcTests = Partial<Record<'epc' | 'parentID' | 'inputEPC' | 'outputEPC' | 'anyEPC' | 'epcClass' | 'inputEPCClass' | 'outputEPCClass' | 'anyEPCClass', Matcher>>;

/** Refuses a parameter this service does not answer: ignoring it would return everything. */
export function assertKnownParameters(query: Record<string, unknown>): void {
  const unknown = Object.keys(query).filter((k) => !EVENT_QUERY_PARAMETERS.includes(k));
  if (unknown.length === 0) return;
  throw new AppError(
    'query/unknown_parameter',
    `Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}: this service answers ${EVENT_QUERY_PARAMETERS.filter((k) => k !== 'lang').join(', ')}.`,
    { parameters: unknown },
  );
}

export function criteriaOf(q: EventQueryInput, communeLocations: (commune: string) => ReadonlySet<string>): Criteria {
  const types = q.eventType;
  for (const t of types ?? []) if (!EVENT_TYPES.includes(t as EventType)) throw badRequest('request/invalid', `eventType: ${JSON.stringify(t)} is not one of ${EVENT_TYPES.join(', ')}.`);
  for (const a of q.EQ_action ?? []) if (!['ADD', 'OBSERVE', 'DELETE'].includes(a)) throw badRequest('request/invalid', `EQ_action: ${JSON.stringify(a)} is not ADD, OBSERVE or DELETE.`);
  const place = (values: string[] | undefined): PlaceTest | undefined => {
    if (!values) return undefined;
    const test: PlaceTest = { uris: new Set(), communes: new Set() };
    for (const v of values) {
      if (/^\d{5}$/.test(v)) {
        test.communes.add(v);
        for (const key of communeLocations(v)) test.uris.add(`gln:${key}`);
      } else test.uris.add(placeKey(v));
    }
    return test;
  };
  return {
    product: q.product,
    types,
    bizSteps: vocabList('bizStep', 'a CBV 2.0 business step or your own URI', [...(q.bizStep ?? []), ...(q.EQ_bizStep ?? [])]),
    dispositions: vocabList('disposition', 'a CBV 2.0 disposition or your own URI', q.EQ_disposition ?? []),
    actions: q.EQ_action,
    at: q.EQ_eventTime ? new Date(q.EQ_eventTime) : undefined,
    from: q.GE_eventTime ? new Date(q.GE_eventTime) : undefined,
    to: q.LT_eventTime ? new Date(q.LT_eventTime) : undefined,
    readPoint: place(mergeLists(q.readPoint, q.EQ_readPoint)),
    bizLocation: place(mergeLists(q.bizLocation, q.EQ_bizLocation)),
    epc: {
      epc: matcher(q.MATCH_epc, 'instance'),
      parentID: matcher(q.MATCH_parentID, 'instance'),
      inputEPC: matcher(q.MATCH_inputEPC, 'instance'),
      outputEPC: matcher(q.MATCH_outputEPC, 'instance'),
      anyEPC: matcher(q.MATCH_anyEPC, 'instance'),
      epcClass: matcher(q.MATCH_epcClass, 'class'),
      inputEPCClass: matcher(q.MATCH_inputEPCClass, 'class'),
      outputEPCClass: matcher(q.MATCH_outputEPCClass, 'class'),
      anyEPCClass: matcher(q.MATCH_anyEPCClass, 'class'),
    },
    sensor: q.EXISTS_sensorElementList !== undefined,
    dir: q.orderDirection === 'DESC' ? -1 : 1,
  };
}

const mergeLists = (a: string[] | undefined, b: string[] | undefined) => (a || b ? [...(a ?? []), ...(b ?? [])] : undefined);

function vocabList(name: VocabularyName, what: string, values: string[]): string[] | undefined {
  if (values.length === 0) return undefined;
  return values.map((v) => {
    const bare = normalizeCbv(name, v);
    if (bare) return bare;
    if (isUri(v) && !/^(urn:epcglobal:cbv|https?:\/\/(ref|ns)\.gs1\.org\/cbv\/|cbv:)/.test(v)) return v;
    throw badRequest('request/invalid', `${name === 'bizStep' ? 'EQ_bizStep' : 'EQ_disposition'}: ${JSON.stringify(v)} is not ${what}.`);
  });
}

/** A place as compared: registered GS1 places by their location key (so SGLN and Digital Link agree), others as written. */
function placeKey(uri: string): string {
  const key = locationKeyOfUri(uri);
  return key ? `gln:${key}` : uri;
}

/**
 * EPC patterns as EPCIS defines them: a value matches itself; `urn:epc:idpat:sgtin:{cp}.{ir}.*`
 * matches every SGTIN of that GTIN (instance parameters) or the LGTIN classes and the
 * pattern itself (class parameters); any other value ending in `*` matches by prefix.
 */
function matcher(values: string[] | undefined, kind: 'instance' | 'class'): Matcher | undefined {
  if (!values) return undefined;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const v of values) {
    const idpat = /^urn:epc:idpat:sgtin:(\d+\.\d+)\.\*$/.exec(v);
    if (idpat) {
      if (kind === 'instance') prefixes.push(`urn:epc:id:sgtin:${idpat[1]}.`);
      else {
        exact.add(v);
        prefixes.push(`urn:epc:class:lgtin:${idpat[1]}.`);
      }
    } else if (v.endsWith('*')) prefixes.push(v.slice(0, -1));
    else exact.add(v);
  }
  return (value) => exact.has(value) || prefixes.some((p) => value.startsWith(p));
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const classes = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap((q) => (q && typeof (q as { epcClass?: unknown }).epcClass === 'string' ? [(q as { epcClass: string }).epcClass] : [])) : []);

function placeMatches(test: PlaceTest, uri: string | undefined): boolean {
  if (!uri) return false;
  if (test.uris.has(placeKey(uri))) return true;
  const place = parsePlaceUri(uri);
  return place !== null && test.communes.has(place.communeCode);
}

/** Whether the criteria select anything beyond product and order (if not, no event needs reading). */
export function selects(c: Criteria): boolean {
  return Boolean(c.types || c.bizSteps || c.dispositions || c.actions || c.at || c.from || c.to || c.readPoint || c.bizLocation || c.sensor || Object.values(c.epc).some(Boolean));
}

/** Whether a stored event (its parsed body) answers the criteria, beyond the product. */
export function eventMatches(e: Record<string, unknown>, c: Criteria): boolean {
  const time = new Date(String(e.eventTime));
  if (c.types && !c.types.includes(String(e.type))) return false;
  if (c.at && time.getTime() !== c.at.getTime()) return false;
  if (c.from && time < c.from) return false;
  if (c.to && time >= c.to) return false;
  if (c.actions && !c.actions.includes(String(e.action))) return false;
  if (c.bizSteps && !c.bizSteps.includes(String(e.bizStep))) return false;
  if (c.dispositions && !c.dispositions.includes(String(e.disposition))) return false;
  if (c.readPoint && !placeMatches(c.readPoint, (e.readPoint as { id?: string } | undefined)?.id)) return false;
  if (c.bizLocation && !placeMatches(c.bizLocation, (e.bizLocation as { id?: string } | undefined)?.id)) return false;
  if (c.sensor && !(Array.isArray(e.sensorElementList) && e.sensorElementList.length > 0)) return false;
  const parent = typeof e.parentID === 'string' ? [e.parentID] : [];
  const fields: Record<keyof EpcTests, string[]> = {
    epc: [...strings(e.epcList), ...strings(e.childEPCs)],
    parentID: parent,
    inputEPC: strings(e.inputEPCList),
    outputEPC: strings(e.outputEPCList),
    anyEPC: [...strings(e.epcList), ...strings(e.childEPCs), ...strings(e.inputEPCList), ...strings(e.outputEPCList), ...parent],
    epcClass: [...classes(e.quantityList), ...classes(e.childQuantityList)],
    inputEPCClass: classes(e.inputQuantityList),
    outputEPCClass: classes(e.outputQuantityList),
    anyEPCClass: [...classes(e.quantityList), ...classes(e.childQuantityList), ...classes(e.inputQuantityList), ...classes(e.outputQuantityList)],
  };
  for (const [k, test] of Object.entries(c.epc) as [keyof EpcTests, Matcher | undefined][]) {
    if (test && !fields[k].some(test)) return false;
  }
  return true;
}

/** The communes named by place parameters (for which registered locations must be looked up). */
export function communesNamed(q: EventQueryInput): string[] {
  return [...(q.readPoint ?? []), ...(q.EQ_readPoint ?? []), ...(q.bizLocation ?? []), ...(q.EQ_bizLocation ?? [])].filter((v) => /^\d{5}$/.test(v));
}
