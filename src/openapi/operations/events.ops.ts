import { z } from 'zod';
import { batchIdParams, locationIdParams, productIdParams, captureIdParams, epcisDocumentSchema, eventQuerySchema, eventShapes } from '../../events/events.schema.js';
import { record, type Operation } from '../operation.js';

/** Value-chain events (docs/epcis.md is the contract). */

/**
 * One event as POST /events takes it: the capture service checks it against the shape of
 * its `type` (src/events/capture/epcis-event.ts), which is this union, then against CBV
 * and the registry (batch, lot, place), answering `event/*` codes.
 */
export const singleEventSchema = z.discriminatedUnion('type', [eventShapes.ObjectEvent, eventShapes.AggregationEvent, eventShapes.TransformationEvent]);

const lotUri = 'urn:epc:class:lgtin:8936045.012001.BT-2025-09';
const eventExample = {
  type: 'ObjectEvent',
  eventTime: '2025-09-02T08:30:00+07:00',
  eventTimeZoneOffset: '+07:00',
  action: 'OBSERVE',
  bizStep: 'inspecting',
  disposition: 'conformant',
  readPoint: { id: 'urn:ocop:commune:00577:xuong-1' },
  bizLocation: { id: 'urn:ocop:commune:00577' },
  quantityList: [{ epcClass: lotUri, quantity: 500, uom: 'H87' }],
  'ocop:batchId': 'b2h8k4m9qz',
};

/** The codes a capture can answer, for one event or a document of them. */
const captureErrors = [
  'event/invalid',
  'event/unsupported_type',
  'event/invalid_vocabulary',
  'event/invalid_place',
  'event/unknown_location',
  'event/no_batch',
  'event/unknown_batch',
  'event/many_batches',
  'event/batch_mismatch',
  'event/lot_mismatch',
  'event/expiry_mismatch',
  'event/unknown_declared_event',
  'event/duplicate_event_id',
  'event/busy',
] as const;

const queryExample = { batch: 'b2h8k4m9qz', bizStep: 'shipping', GE_eventTime: '2025-09-01T00:00:00+07:00', perPage: '50' };

export const eventOperations: Operation[] = [
  {
    route: 'POST /api/v1/events',
    action: 'event.capture',
    tag: 'Events',
    summary: 'Capture one event',
    description: 'One EPCIS 2.0 event (docs/epcis.md §3–4), appended to its batch\'s chain.',
    body: { schema: singleEventSchema, example: eventExample },
    idempotency: 'optional',
    ok: { status: 201, description: '`{captureId, …event}`: the event as stored, with its eventID.', json: record('The captured event.') },
    also: { 200: "A retry whose first answer was lost: the capture's status, as GET /epcis/capture/:id gives it." },
    errors: [...captureErrors],
  },
  {
    route: 'POST /api/v1/epcis/capture',
    action: 'event.capture',
    tag: 'Events',
    summary: 'Capture an EPCISDocument (up to 1000 events)',
    body: {
      schema: epcisDocumentSchema,
      example: {
        '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2025-09-05T10:00:00+07:00',
        epcisBody: { eventList: [{ ...eventExample, bizStep: 'shipping', disposition: 'in_transit' }] },
      },
    },
    idempotency: 'optional',
    ok: { status: 201, description: '`{captureId, eventCount, events}`.', json: record('The capture.') },
    also: { 200: "A retry whose first answer was lost: the capture's status." },
    errors: [...captureErrors],
  },
  {
    route: 'GET /api/v1/epcis/capture/:id',
    action: 'event.capture_status',
    tag: 'Events',
    summary: "A capture's status",
    description: "Only the key that sent it (and admins) see a capture: another key's reads as 404.",
    params: captureIdParams,
    example: { params: { id: 'e8w2r6t4yu' } },
    ok: { status: 200, description: '`{captureId, state, eventCount, …}`.', json: record('The capture status.') },
    errors: ['capture/not_found'],
  },
  {
    route: 'GET /api/v1/events',
    action: 'event.read',
    tag: 'Events',
    summary: 'Query events (JSON)',
    description: 'Pages with a cursor: `nextPageToken` (and a `Link: rel="next"` header). Business transactions only for who may read them.',
    query: eventQuerySchema,
    example: { query: queryExample },
    ok: { status: 200, description: '`{items, nextPageToken}`.', json: z.strictObject({ items: z.array(z.looseObject({})), nextPageToken: z.string().nullable().meta({ description: 'null on the last page.' }) }) },
  },
  {
    route: 'GET /api/v1/epcis/events',
    action: 'event.read',
    tag: 'Events',
    summary: 'Query events as an EPCISDocument',
    description: 'The same query as GET /events, answered as EPCIS 2.0 JSON-LD; the next page in `GS1-Next-Page-Token` and `Link`.',
    query: eventQuerySchema,
    example: { query: queryExample },
    ok: { status: 200, description: 'An EPCISDocument.', types: ['application/ld+json'] },
  },
  {
    route: 'GET /api/v1/batches/:id/events/verify',
    action: 'event.read',
    tag: 'Events',
    summary: "Check a batch's event chain",
    description: 'Recomputed on request for the producer, inspectors and admins; others get the last check, at most a minute old.',
    params: batchIdParams,
    example: { params: { id: 'b2h8k4m9qz' } },
    ok: { status: 200, description: 'The chain check: whether every event is linked and unchanged.', json: record('The chain check.') },
    errors: ['batch/not_found'],
  },
  {
    route: 'GET /api/v1/products/:id/events/verify',
    action: 'event.read',
    tag: 'Events',
    summary: "Check a product's own event chain",
    description: "The chain of the product's events that name no batch of ours (docs/epcis.md §2); recomputed on request for the producer, inspectors and admins.",
    params: productIdParams,
    example: { params: { id: 'p3k8m2x9qa' } },
    ok: { status: 200, description: 'The chain check: whether every event is linked and unchanged.', json: record('The chain check.') },
    errors: ['product/not_found'],
  },
  {
    route: 'GET /api/v1/locations/:id/events/verify',
    action: 'event.read',
    tag: 'Events',
    summary: "Check a registered location's own event chain",
    description:
      "The chain of the events at a producer's registered location that name no goods of one batch of ours (assets, sensor readings of the place, goods of several batches; docs/epcis.md §2). `id` is the location key, its SGLN or GLN Digital Link (URL-encoded); recomputed on request for the producer, inspectors and admins.",
    params: locationIdParams,
    example: { params: { id: '8930000000001' } },
    ok: { status: 200, description: 'The chain check: whether every event is linked and unchanged.', json: record('The chain check.') },
    errors: ['location/not_found'],
  },
];
