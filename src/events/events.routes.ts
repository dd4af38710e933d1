import { Router, type Request } from 'express';
import { findBatch } from '../batches/batch.service.js';
import { notFound } from '../errors/app-error.js';
import { may } from '../policy/policy.js';
import { actorOf, allow, callerOf } from '../policy/principal-of-request.js';
import { parseInput } from '../errors/validate.js';
import { newId } from '../ids.js';
import { captureEvents, captureStatus, findCaptureStatus } from './capture/capture.service.js';
import { createOptionsOf, idempotent, type IdempotentRoute } from '../http/idempotency.js';
import { chainCheck } from './chain/chain-store.js';
import { epcisDocument, epcisEventFor, presentEvent, presentStored } from './events.presenter.js';
import { locationChainKey, productChainKey } from './epcis-context.js';
import { findLocation, locationKeyOfUri } from '../registry/locations/location.service.js';
import { findProduct } from '../registry/products/product.service.js';
import { producerResource, provincesOfProducers } from '../registry/producers/producer.service.js';
import { batchIdParams, captureIdParams, epcisDocumentSchema, eventQuerySchema, locationIdParams, productIdParams } from './events.schema.js';
import { queryEvents } from './query/query.service.js';
import { assertKnownParameters } from './query/query-criteria.js';

/** Value-chain events API (EPCIS 2.0 capture, query, export, chain check). Reads are public; see events.presenter.ts. */
export function eventsRouter(): Router {
  const router = Router();
  router.post('/events', allow('event.capture'), idempotent(captureRetries), async (req, res) => {
    const body: unknown = req.body;
    const result = await captureEvents(actorOf(req), [body], { single: true, context: contextOf(body) }, createOptionsOf(req));
    const [event] = result.events;
    res.status(201).json({ captureId: result.captureId, ...(event ? presentStored(event) : {}) });
  });

  router.post('/epcis/capture', allow('event.capture'), idempotent(captureRetries), async (req, res) => {
    const doc = parseInput(epcisDocumentSchema, req.body);
    const result = await captureEvents(actorOf(req), doc.epcisBody.eventList, { context: doc['@context'] }, createOptionsOf(req));
    res.status(201).json({ captureId: result.captureId, eventCount: result.events.length, events: result.events.map(presentStored) });
  });

  router.get('/epcis/capture/:id', allow('event.capture_status'), async (req, res) => {
    const { id } = parseInput(captureIdParams, req.params);
    res.json(await captureStatus(actorOf(req), id));
  });

  router.get('/events', allow('event.read'), async (req, res) => {
    const viewer = callerOf(req);
    assertKnownParameters(req.query);
    const q = parseInput(eventQuerySchema, req.query);
    const page = await queryEvents(q, { mayScanAll: may(viewer, 'event.query_all') });
    if (page.nextPageToken) res.setHeader('Link', `<${nextLink(req, page.nextPageToken)}>; rel="next"`);
    const provinces = await provincesOfProducers(viewer, page.rows.map((r) => r.producerId));
    res.json({ items: page.rows.map((r) => presentEvent(r, viewer, provinces)), nextPageToken: page.nextPageToken });
  });

  router.get('/epcis/events', allow('event.read'), async (req, res) => {
    const viewer = callerOf(req);
    assertKnownParameters(req.query);
    const q = parseInput(eventQuerySchema, req.query);
    const page = await queryEvents(q, { mayScanAll: may(viewer, 'event.query_all') });
    if (page.nextPageToken) {
      res.setHeader('Link', `<${nextLink(req, page.nextPageToken)}>; rel="next"`);
      res.setHeader('GS1-Next-Page-Token', page.nextPageToken);
    }
    const provinces = await provincesOfProducers(viewer, page.rows.map((r) => r.producerId));
    const eventList = page.rows.flatMap((r) => {
      const event = epcisEventFor(r, viewer, provinces);
      return event ? [event] : [];
    });
    res.type('application/ld+json').send(JSON.stringify(epcisDocument(eventList)));
  });

  router.get('/batches/:id/events/verify', allow('event.read'), async (req, res) => {
    const { id } = parseInput(batchIdParams, req.params);
    const batch = await findBatch(id);
    if (!batch) throw notFound('batch/not_found', `No batch ${id}.`);
    // A full recomputation reads the whole batch: on demand only for those who answer for it.
    res.json(await chainCheck(id, { fresh: may(callerOf(req), 'event.check_chain_now', await producerResource(callerOf(req), batch.producerId)) }));
  });

  router.get('/products/:id/events/verify', allow('event.read'), async (req, res) => {
    const { id } = parseInput(productIdParams, req.params);
    const product = await findProduct(id);
    if (!product) throw notFound('product/not_found', `No product ${id}.`);
    // The chain of the product's events that name no batch of ours (docs/epcis.md §2).
    res.json(await chainCheck(productChainKey(id), { fresh: may(callerOf(req), 'event.check_chain_now', await producerResource(callerOf(req), product.producerId)) }));
  });

  router.get('/locations/:id/events/verify', allow('event.read'), async (req, res) => {
    const { id } = parseInput(locationIdParams, req.params);
    const key = locationKeyOfUri(id) ?? id;
    const location = await findLocation(key);
    if (!location) throw notFound('location/not_found', `No registered location ${id}.`);
    // The chain of the events at the location that name no goods of one batch of ours (docs/epcis.md §2).
    const owner = location.producerId ? await producerResource(callerOf(req), location.producerId) : {};
    res.json(await chainCheck(locationChainKey(location._id), { fresh: may(callerOf(req), 'event.check_chain_now', owner) }));
  });

  return router;
}

/**
 * A capture retried under its Idempotency-Key reuses the capture id. When the first
 * answer was lost, the retry answers the capture's status (as GET /epcis/capture/:id
 * does); one still pending is not stored, so a later retry reads it again.
 */
const captureRetries: IdempotentRoute = {
  reserveId: newId,
  async recover(id, req) {
    const status = await findCaptureStatus(actorOf(req), id);
    return status && { status: 200, body: status, final: status.state !== 'pending' };
  },
};

function contextOf(body: unknown): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)['@context'] : undefined;
}

function nextLink(req: Request, token: string): string {
  const params = new URLSearchParams(req.query as Record<string, string>);
  params.set('nextPageToken', token);
  return `${req.baseUrl}${req.path}?${params.toString()}`;
}
