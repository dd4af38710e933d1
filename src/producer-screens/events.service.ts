import { randomUUID } from 'node:crypto';
import { getBatch, listBatches, type BatchRecord } from '../batches/batch.service.js';
import { badRequest, forbidden } from '../errors/app-error.js';
import { captureEvents } from '../events/capture/capture.service.js';
import { batchTimeline, type Timeline } from '../events/timeline/timeline.js';
import { activeLabelsOfRun, listRunsOfBatch } from '../labels/runs/labels.service.js';
import { labelUrlOf, productKeyOf } from '../labels/runs/label.presenter.js';
import { assertMay, type Resource } from '../policy/policy.js';
import type { Principal } from '../policy/principal.js';
import { findProducer, producerResource } from '../registry/producers/producer.service.js';
import { findProduct, listProducts, type ProductRecord } from '../registry/products/product.service.js';
import { listLocations, type LocationRecord } from '../registry/locations/location.service.js';
import { stepEvent, type Step } from './events-epcis.js';

/**
 * The producer's event forms, as a use case:
 * 1. the form offers the account's own batches (newest first) and registered locations;
 * 2. a filled form, checked by the route (events.schema.ts), names a batch: it must be
 *    the producer's (403 otherwise, before anything else is looked at);
 * 3. the step becomes one EPCIS 2.0 event (events-epcis.ts) and goes through the
 *    capture service like any API capture: checked in full, then appended to the
 *    batch's hash chain, audited as the user; a refusal stores nothing;
 * 4. the batch's page then shows its timeline and links a label's public page.
 */

/** What the forms offer: lists are capped, a producer has tens of batches in use, not thousands. */
const BATCHES_OFFERED = 100;
const LOCATIONS_OFFERED = 100;

export type BatchChoice = { id: string; lotCode: string; productName: string; unit: string; productionDate: Date };
export type LocationChoice = { id: string; name: string; communeCode: string; uri: string };

export type EventForms = { producerId: string; homeCommune: string; batches: BatchChoice[]; locations: LocationChoice[] };

/**
 * The producer a screen acts for: a producer account's own (naming another is 403), or
 * for an admin the producer named by the request or by the record it opens (an admin
 * may do whatever a producer may, so the office can look over a producer's shoulder).
 * 401 for no account, 403 for an inspector. `resource`: the named producer with its
 * province (producerResource), for an action kept to the caller's provinces.
 */
export function producerOf(principal: Principal | null, action: 'producer_events.record' | 'producer_scans.read', named?: string | null, resource?: Resource): string {
  assertMay(principal, action, resource ?? (named ? { producerId: named } : undefined));
  if (principal?.role === 'producer') {
    if (!principal.producerId) throw forbidden('This producer account is not bound to a producer: ask the programme office.');
    return principal.producerId;
  }
  if (!named) throw badRequest('request/invalid', 'These screens act for one producer: name it with ?producer=<producer id>, or open one of its batches or products.');
  return named;
}

export async function eventForms(principal: Principal, named?: string | null): Promise<EventForms> {
  // An admin of another province naming this producer is refused (403), as on its batches.
  const producerId = producerOf(principal, 'producer_events.record', named, named ? await producerResource(principal, named) : undefined);
  const [producer, batches, locations, products] = await Promise.all([
    findProducer(producerId),
    listBatches(principal, { producer: producerId, limit: BATCHES_OFFERED, offset: 0 }),
    listLocations({ producer: producerId, limit: LOCATIONS_OFFERED, offset: 0 }),
    listProducts({ producer: producerId, limit: 500, offset: 0 }),
  ]);
  const names = new Map(products.items.map((p) => [p._id, p.name.vi]));
  return {
    producerId,
    homeCommune: producer?.address.communeCode ?? '',
    batches: batches.items.map((b) => ({ id: b._id, lotCode: b.lotCode, productName: names.get(b.productId) ?? b.productId, unit: b.unit, productionDate: b.productionDate })),
    locations: locations.items.map(locationChoice),
  };
}

/** The URI an event names a registered location by: its SGLN when registered so, else its GLN Digital Link. */
export function locationUri(l: Pick<LocationRecord, 'gln' | 'extension' | 'sgln'>): string {
  if (l.sgln) return l.sgln;
  return `https://id.gs1.org/414/${l.gln}${l.extension ? `/254/${encodeURIComponent(l.extension)}` : ''}`;
}

const locationChoice = (l: LocationRecord): LocationChoice => ({ id: l._id, name: l.name, communeCode: l.communeCode, uri: locationUri(l) });

/** The batch, when it is the producer's own: 404 for none, 403 for another producer's. */
export async function ownBatch(principal: Principal, batchId: string): Promise<BatchRecord> {
  assertMay(principal, 'producer_events.record');
  const batch = await getBatch(principal, batchId);
  const producer = await producerResource(principal, batch.producerId);
  producerOf(principal, 'producer_events.record', batch.producerId, producer);
  assertMay(principal, 'event.capture', producer);
  return batch;
}

export type StepForm = {
  step: Step;
  batchId: string;
  localTime: string;
  /** A registered location's id, or null: then `commune`. */
  locationId: string | null;
  commune: string | null;
  quantity: number | null;
  party: string | null;
  document: string | null;
};

export type RecordedStep = { captureId: string; eventID: string; batchId: string };

/** A registered location of this producer, or null when the id names none of its own. */
export async function ownLocation(producerId: string, locationId: string): Promise<LocationChoice | null> {
  const page = await listLocations({ producer: producerId, limit: LOCATIONS_OFFERED, offset: 0 });
  const found = page.items.find((l) => l._id === locationId);
  return found ? locationChoice(found) : null;
}

/** Records one step (the route has checked the form, and the batch and location are the producer's). */
export async function recordStep(principal: Principal, form: StepForm, place: string): Promise<RecordedStep> {
  const batch = await ownBatch(principal, form.batchId);
  const product = await findProduct(batch.productId);
  if (!product) throw forbidden(`The product of batch ${batch._id} is no longer registered.`);
  const eventId = `urn:uuid:${randomUUID()}`;
  const event = stepEvent({
    step: form.step,
    batch: { _id: batch._id, lotCode: batch.lotCode, expiryDate: batch.expiryDate ?? null, unit: batch.unit },
    lotClass: lotClassOf(product, batch.lotCode),
    localTime: form.localTime,
    place,
    quantity: form.quantity,
    party: form.party,
    document: form.document,
    eventId,
  });
  const result = await captureEvents(principal, [event], { single: true });
  return { captureId: result.captureId, eventID: eventId, batchId: batch._id };
}

/** The lot as a Digital Link class, host-free as the capture reads it (docs/epcis.md §2). */
function lotClassOf(product: Pick<ProductRecord, '_id' | 'gtin'>, lot: string): string {
  const key = product.gtin ? `/01/${product.gtin}` : `/p/${product._id}`;
  return `https://id.gs1.org${key}/10/${lot}`;
}

export type BatchJourney = { batch: BatchRecord; productName: string; timeline: Timeline; labelPath: string | null };

/** The batch's journey as its labels' public pages show it, and the path of one such page. */
export async function batchJourney(principal: Principal, batchId: string): Promise<BatchJourney> {
  const batch = await ownBatch(principal, batchId);
  const [product, timeline] = await Promise.all([findProduct(batch.productId), batchTimeline(batch._id)]);
  return { batch, productName: product?.name.vi ?? batch.productId, timeline, labelPath: product ? await firstLabelPath(principal, batch, product) : null };
}

/** A label of the batch's newest issued run, as a path on this site (its public page shows the timeline). */
async function firstLabelPath(principal: Principal, batch: BatchRecord, product: ProductRecord): Promise<string | null> {
  const runs = await listRunsOfBatch(principal, batch._id, { offset: 0, limit: 10 });
  for (const run of runs.items) {
    if (run.state !== 'issued') continue;
    for await (const label of activeLabelsOfRun(run)) return labelUrlOf('', label, batch.lotCode, productKeyOf(product));
  }
  return null;
}
