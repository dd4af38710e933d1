import { z } from 'zod';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { ID_PATTERN } from '../ids.js';

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

const common = {
  '@context': eventContext.optional(),
  eventTime: dateTime,
  eventTimeZoneOffset: z.string(required('±hh:mm')).regex(TZ_OFFSET, 'must be ±hh:mm, e.g. +07:00'),
  recordTime: z.unknown().optional(),
  eventID: uri.optional(),
  certificationInfo: z.union([uri, z.array(uri)]).optional(),
  errorDeclaration: z
    .strictObject({
      declarationTime: dateTime,
      reason: z.string().optional(),
      correctiveEventIDs: z.array(uri).optional(),
    })
    .optional(),
  bizStep: z.string(required('a CBV business step')),
  disposition: z.string().optional(),
  readPoint: idObject.optional(),
  bizLocation: idObject.optional(),
  bizTransactionList: z.array(z.strictObject({ type: z.string().optional(), bizTransaction: uri })).optional(),
  sourceList: z.array(sourceDest('source')).optional(),
  destinationList: z.array(sourceDest('destination')).optional(),
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
} as const;

export type EventType = keyof typeof eventShapes;
export const EVENT_TYPES = Object.keys(eventShapes) as EventType[];
export type EventInput = z.output<(typeof eventShapes)[EventType]>;

/** The standard members of each event type; anything else must be an extension IRI (ocop:batchId). */
export const STANDARD_FIELDS: Record<EventType, ReadonlySet<string>> = {
  ObjectEvent: new Set(Object.keys(eventShapes.ObjectEvent.shape)),
  AggregationEvent: new Set(Object.keys(eventShapes.AggregationEvent.shape)),
  TransformationEvent: new Set(Object.keys(eventShapes.TransformationEvent.shape)),
};

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
const commune = z.string().max(200);

/** EPCIS query-interface parameter names; EQ_ spellings are aliases. */
export const eventQuerySchema = z.object({
  batch: z.string().max(40).optional(),
  product: z.string().max(40).optional(),
  bizStep: z.string().max(200).optional(),
  EQ_bizStep: z.string().max(200).optional(),
  GE_eventTime: dateTime.optional(),
  LT_eventTime: dateTime.optional(),
  bizLocation: commune.optional(),
  EQ_bizLocation: commune.optional(),
  readPoint: commune.optional(),
  EQ_readPoint: commune.optional(),
  eventType: z.enum(EVENT_TYPES as [EventType, ...EventType[]]).optional(),
  orderDirection: z.enum(['ASC', 'DESC']).default('ASC'),
  perPage: z.coerce.number().int().min(1).max(500).default(50),
  nextPageToken: pageToken.optional(),
  lang: z.string().optional(),
});
export type EventQueryInput = z.output<typeof eventQuerySchema>;

/** Path parameters: a capture's id (GET /epcis/capture/:id) and a batch's (GET /batches/:id/events/verify). */
export const captureIdParams = z.object({ id: z.string().regex(ID_PATTERN, 'is not a capture id') });
export const batchIdParams = z.object({ id: z.string().regex(ID_PATTERN, 'is not a batch id') });
