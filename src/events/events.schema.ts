import { z } from 'zod';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { ID_PATTERN } from '../ids.js';
import { MEASUREMENT_TYPES, SENSOR_ALERT_TYPES, SENSOR_COMPONENTS } from './cbv.js';

/**
 * Shapes of what clients send: one EPCIS 2.0 event or an EPCISDocument, and the
 * query parameters. URI and date-time checks are the ones GS1's JSON schema uses
 * (ajv-formats), so whatever we accept also exports as a valid document.
 */
const formatCheck = (name: 'uri' | 'date-time') => {
  // ajv's Format is a function, a regex or an object holding a validate function.
  const f = fullFormats[name] as unknown;
  if (typeof f === 'function') return f as (s: string) => boolean;
  if (f instanceof RegExp) return (s: string) => f.test(s);
  const validate = (f as { validate?: unknown } | null)?.validate;
  if (typeof validate === 'function') return validate as (s: string) => boolean;
  if (validate instanceof RegExp) return (s: string) => validate.test(s);
  throw new Error(`ajv-formats has no usable ${name} format`);
};
export const isUri = formatCheck('uri');
const isDateTime = formatCheck('date-time');

const required = (what: string) => ({
  error: (iss: { input: unknown }) => (iss.input === undefined ? 'is required' : `must be ${what}`),
});

export const uri = z.string(required('a URI')).max(2000).refine(isUri, 'must be an absolute URI');
/** ISO 8601 with a UTC offset (or Z): an event time without one is ambiguous. */
export const dateTime = z
  .string(required('a date-time'))
  .refine((s) => isDateTime(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time with an offset, e.g. 2025-03-01T08:30:00+07:00');
export const TZ_OFFSET = /^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/;

const quantityElement = z
  .strictObject({
    epcClass: uri,
    quantity: z.number().finite().nonnegative().optional(),
    uom: z.string().regex(/^[A-Z0-9]{2,3}$/, 'must be a UN/CEFACT unit code such as KGM or H87').optional(),
  })
  .refine((q) => q.uom === undefined || q.quantity !== undefined, 'uom needs a quantity');

const idObject = z.looseObject({ id: uri });
const sourceDest = (field: 'source' | 'destination') =>
  z.strictObject({ type: z.string(required('a CBV source/destination type')), [field]: uri });

const unique = <T>(list: T[]) => new Set(list.map((v) => JSON.stringify(v))).size === list.length;
const contextEntry = z.union([uri, z.record(z.string(), z.unknown())]);
const eventContext = z.union([contextEntry, z.array(contextEntry).refine(unique, 'lists each entry once')]);

/**
 * An object of the standard's members that, as EPCIS 2.0 allows, may also carry
 * extension members: any key that is an IRI (`ex:probe`, `https://…`), kept as sent.
 */
function extensible<S extends z.ZodRawShape>(shape: S) {
  return z.looseObject(shape).superRefine((o, ctx) => {
    for (const key of Object.keys(o)) {
      if (key in shape || (key.includes(':') && isUri(key))) continue;
      ctx.addIssue({ code: 'custom', path: [key], message: 'is not a member here; extension members are IRIs such as ex:myField' });
    }
  });
}
const number = z.number().finite();
/**
 * A GS1 name (Temperature, ALARM_CONDITION, x…) or a URI of one's own; GS1's own web
 * vocabulary URIs (gs1.org/voc/…) are not how EPCIS 2.0 JSON writes them, and CBV URIs
 * not how it writes components: the schema would refuse the export.
 */
const named = (names: readonly string[], what: string, notUnder: RegExp) =>
  z
    .string(required(what))
    .max(300)
    .refine((v) => names.includes(v) || (isUri(v) && !notUnder.test(v)), `must be ${what} (e.g. ${names[0]}) or a URI of your own`);
const GS1_VOC = /^https?:\/\/(www\.)?gs1\.org\/voc\//;
const CBV_URI = /^(urn:epcglobal:cbv|https?:\/\/ns\.gs1\.org\/cbv\/)/;
const sensorMetadata = extensible({
  time: dateTime.optional(),
  startTime: dateTime.optional(),
  endTime: dateTime.optional(),
  deviceID: uri.optional(),
  deviceMetadata: uri.optional(),
  rawData: uri.optional(),
  dataProcessingMethod: uri.optional(),
  bizRules: uri.optional(),
});
const sensorReport = extensible({
  type: named(MEASUREMENT_TYPES, 'a GS1 measurement type', GS1_VOC),
  exception: named(SENSOR_ALERT_TYPES, 'a GS1 sensor alert type', GS1_VOC).optional(),
  deviceID: uri.optional(),
  deviceMetadata: uri.optional(),
  rawData: uri.optional(),
  dataProcessingMethod: uri.optional(),
  bizRules: uri.optional(),
  time: dateTime.optional(),
  microorganism: uri.optional(),
  chemicalSubstance: uri.optional(),
  coordinateReferenceSystem: uri.optional(),
  value: number.optional(),
  component: named(SENSOR_COMPONENTS, 'a CBV component', CBV_URI).optional(),
  stringValue: z.string().max(2000).optional(),
  booleanValue: z.boolean().optional(),
  hexBinaryValue: z.string().regex(/^[A-Fa-f0-9]+$/, 'must be hexadecimal').optional(),
  uriValue: uri.optional(),
  minValue: number.optional(),
  maxValue: number.optional(),
  meanValue: number.optional(),
  sDev: number.optional(),
  percRank: number.optional(),
  percValue: number.optional(),
  uom: z.string().max(10).optional(),
});
const sensorElementList = z
  .array(extensible({ sensorMetadata: sensorMetadata.optional(), sensorReport: z.array(sensorReport, required('a list of sensor reports')).min(1) }))
  .max(1000, 'at most 1,000 sensor elements per event');

const common = {
  '@context': eventContext.optional(),
  eventTime: dateTime,
  eventTimeZoneOffset: z.string(required('±hh:mm')).regex(TZ_OFFSET, 'must be ±hh:mm, e.g. +07:00'),
  recordTime: z.unknown().optional(),
  eventID: uri.optional(),
  certificationInfo: z.union([uri, z.array(uri)]).optional(),
  errorDeclaration: extensible({
    declarationTime: dateTime,
    reason: z.string().optional(),
    correctiveEventIDs: z.array(uri).optional(),
  }).optional(),
  bizStep: z.string(required('a CBV business step')),
  disposition: z.string().optional(),
  readPoint: idObject.optional(),
  bizLocation: idObject.optional(),
  bizTransactionList: z.array(z.strictObject({ type: z.string().optional(), bizTransaction: uri })).optional(),
  sourceList: z.array(sourceDest('source')).optional(),
  destinationList: z.array(sourceDest('destination')).optional(),
  sensorElementList: sensorElementList.optional(),
};
const persistentDisposition = z
  .strictObject({ set: z.array(z.string()).min(1).optional(), unset: z.array(z.string()).min(1).optional() })
  .optional();
const ilmd = z.record(z.string().refine(isUri, 'ilmd keys must be URIs or compact IRIs such as cbvmda:lotNumber'), z.unknown()).optional();
const epcList = z.array(uri).refine(unique, 'lists each EPC once');
const action = z.enum(['ADD', 'OBSERVE', 'DELETE'], required('ADD, OBSERVE or DELETE'));

export const eventShapes = {
  ObjectEvent: z.looseObject({
    ...common,
    type: z.literal('ObjectEvent'),
    action,
    epcList: epcList.optional(),
    quantityList: z.array(quantityElement).optional(),
    persistentDisposition,
    ilmd,
  }),
  AggregationEvent: z.looseObject({
    ...common,
    type: z.literal('AggregationEvent'),
    action,
    parentID: uri.optional(),
    childEPCs: epcList.optional(),
    childQuantityList: z.array(quantityElement).optional(),
  }),
  TransactionEvent: z.looseObject({
    ...common,
    type: z.literal('TransactionEvent'),
    action,
    bizTransactionList: z
      .array(z.strictObject({ type: z.string().optional(), bizTransaction: uri }), required('a list of business transactions'))
      .min(1, 'a TransactionEvent names at least one business transaction'),
    parentID: uri.optional(),
    epcList: epcList.optional(),
    quantityList: z.array(quantityElement).optional(),
  }),
  TransformationEvent: z.looseObject({
    ...common,
    type: z.literal('TransformationEvent'),
    inputEPCList: epcList.optional(),
    inputQuantityList: z.array(quantityElement).optional(),
    outputEPCList: epcList.optional(),
    outputQuantityList: z.array(quantityElement).optional(),
    transformationID: uri.optional(),
    persistentDisposition,
    ilmd,
  }),
  AssociationEvent: z.looseObject({
    ...common,
    type: z.literal('AssociationEvent'),
    action,
    parentID: uri,
    childEPCs: epcList.optional(),
    childQuantityList: z.array(quantityElement).optional(),
  }),
} as const;

export type EventType = keyof typeof eventShapes;
export const EVENT_TYPES = Object.keys(eventShapes) as EventType[];
export type EventInput = z.output<(typeof eventShapes)[EventType]>;

/** The standard members of each event type; anything else must be an extension IRI (ocop:batchId). */
export const STANDARD_FIELDS = Object.fromEntries(EVENT_TYPES.map((t) => [t, new Set(Object.keys(eventShapes[t].shape))])) as unknown as Record<EventType, ReadonlySet<string>>;

export const MAX_EVENTS_PER_DOCUMENT = 1000;

export const epcisDocumentSchema = z.looseObject({
  '@context': z.unknown(),
  type: z.literal('EPCISDocument', required('"EPCISDocument"')),
  schemaVersion: z.union([z.string(), z.number()]).refine((v) => /^2(\.\d+)*$/.test(String(v)), 'must be 2.0'),
  creationDate: dateTime,
  epcisBody: z.looseObject({
    eventList: z
      .array(z.unknown(), required('an array of events'))
      .min(1, 'must hold at least one event')
      .max(MAX_EVENTS_PER_DOCUMENT, `must hold at most ${MAX_EVENTS_PER_DOCUMENT} events; split the document`),
  }),
});

const pageToken = z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a token this service issued');

/**
 * A list-valued EPCIS query parameter: values separated by "|" (the EPCIS 2.0 REST
 * binding), or the parameter repeated. At most 50 values of 300 characters.
 */
const list = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split('|')).map((s) => s.trim()).filter((s) => s !== ''))
  .refine((l) => l.length > 0 && l.length <= 50, 'one to 50 values, separated by |')
  .refine((l) => l.every((s) => s.length <= 300), 'each value at most 300 characters');
const single = (max: number) => z.string().max(max);

/**
 * The EPCIS 2.0 query parameters this service answers (REST binding names), plus our
 * own scope (batch, product, location) and paging. Unknown names are refused (400
 * query/unknown_parameter) rather than ignored: an ignored filter returns everything.
 * Short aliases (bizStep, readPoint, bizLocation) are the earlier names, kept.
 */
export const eventQuerySchema = z.strictObject({
  batch: single(60).optional(),
  product: single(40).optional(),
  /** A registered location (its SGLN, GLN Digital Link, GLN or location key): its own chain (docs/epcis.md §2). */
  location: single(300).optional(),
  eventType: list.optional(),
  EQ_eventTime: dateTime.optional(),
  GE_eventTime: dateTime.optional(),
  LT_eventTime: dateTime.optional(),
  EQ_action: list.optional(),
  bizStep: list.optional(),
  EQ_bizStep: list.optional(),
  EQ_disposition: list.optional(),
  readPoint: list.optional(),
  EQ_readPoint: list.optional(),
  bizLocation: list.optional(),
  EQ_bizLocation: list.optional(),
  MATCH_epc: list.optional(),
  MATCH_parentID: list.optional(),
  MATCH_inputEPC: list.optional(),
  MATCH_outputEPC: list.optional(),
  MATCH_anyEPC: list.optional(),
  MATCH_epcClass: list.optional(),
  MATCH_inputEPCClass: list.optional(),
  MATCH_outputEPCClass: list.optional(),
  MATCH_anyEPCClass: list.optional(),
  EXISTS_sensorElementList: z.enum(['', 'true']).optional(),
  orderDirection: z.enum(['ASC', 'DESC']).default('ASC'),
  perPage: z.coerce.number().int().min(1).max(500).default(50),
  nextPageToken: pageToken.optional(),
  lang: z.string().optional(),
});
export type EventQueryInput = z.output<typeof eventQuerySchema>;

/** Path parameters: a capture's id (GET /epcis/capture/:id), a batch's and a product's (GET /batches/:id/events/verify, /products/:id/events/verify). */
export const captureIdParams = z.object({ id: z.string().regex(ID_PATTERN, 'is not a capture id') });
export const batchIdParams = z.object({ id: z.string().regex(ID_PATTERN, 'is not a batch id') });
export const productIdParams = z.object({ id: z.string().regex(ID_PATTERN, 'is not a product id') });
/** A registered location: its key ({gln} or {gln}:{extension}), SGLN or GLN Digital Link (GET /locations/:id/events/verify). */
export const locationIdParams = z.object({ id: z.string().min(13).max(300) });
export const EVENT_QUERY_PARAMETERS: readonly string[] = Object.keys(eventQuerySchema.shape);
