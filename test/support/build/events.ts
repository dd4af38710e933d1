import { randomUUID } from 'node:crypto';
import { CaptureModel, CapturePayloadModel, OpenCaptureModel } from '../../../src/events/capture/capture.model.js';
import { CAPTURE_STALE_MS } from '../../../src/events/capture/capture.service.js';
import { appendToChain, type ChainItem } from '../../../src/events/chain/chain-store.js';
import { PUBLIC_BASE_URL as BASE } from '../app.js';
import { buildProduct } from './registry.js';
import { buildBatch, uniqueLot } from './batches.js';

/**
 * Value-chain event data: a batch to record events against (made through the services)
 * and EPCIS 2.0 events and documents about it, in the shape clients send them.
 */

export type EventBatch = { producerId: string; productId: string; gtin: string | null; batchId: string; lot: string; expiry: Date };

/** A producer with one product (a GTIN unless `gtin: false`) and one batch of it (origin: Bát Tràng, Hà Nội). */
export async function buildEventBatch(opts: { gtin?: boolean; producerId?: string } = {}): Promise<EventBatch> {
  const product = await buildProduct({
    ...(opts.producerId ? { producerId: opts.producerId } : {}),
    name: { vi: 'Gốm thử nghiệm', en: null },
    gtin: opts.gtin === false ? null : true,
  });
  const batch = await buildBatch(product, {
    lotCode: uniqueLot(),
    productionDate: '2025-03-01',
    expiryDate: '2027-06-30',
    quantity: 1000,
    unit: 'kg',
    origin: { communeCode: '00577', placeName: 'Bát Tràng' },
  });
  return { producerId: product.producerId, productId: product._id, gtin: product.gtin ?? null, batchId: batch._id, lot: batch.lotCode, expiry: batch.expiryDate! };
}

/** The class (lot) URI of the batch, as a Digital Link. */
export const lotUri = (w: EventBatch) => (w.gtin ? `${BASE}/01/${w.gtin}/10/${w.lot}` : `${BASE}/p/${w.productId}/10/${w.lot}`);
export const unitUri = (w: EventBatch, serial: string) => `${lotUri(w)}/21/${serial}`;

/** A valid ObjectEvent about the batch (an inspection at Bát Tràng); overrides replace or, as undefined, drop members. */
export function objectEvent(w: EventBatch, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: '2025-03-02T08:30:00+07:00',
    eventTimeZoneOffset: '+07:00',
    action: 'OBSERVE',
    bizStep: 'inspecting',
    disposition: 'conformant',
    readPoint: { id: 'urn:ocop:commune:00577:xuong-1' },
    bizLocation: { id: 'urn:ocop:commune:00577' },
    quantityList: [{ epcClass: lotUri(w), quantity: 100, uom: 'KGM' }],
    ...overrides,
  };
}

export function epcisDoc(events: unknown[], context: unknown[] = []): Record<string, unknown> {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', ...context],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2025-03-05T10:00:00+07:00',
    epcisBody: { eventList: events },
  };
}

/** Fills a JSON fixture's {{placeholders}} (test/fixtures/events/*.jsonld) with the batch's values. */
export function fillFixture(text: string, w: EventBatch): Record<string, unknown> {
  return JSON.parse(
    text
      .replaceAll('{{base}}', BASE)
      .replaceAll('{{gtin}}', w.gtin ?? '')
      .replaceAll('{{lot}}', w.lot)
      .replaceAll('{{productId}}', w.productId)
      .replaceAll('{{batchId}}', w.batchId)
      .replaceAll('{{expiry}}', w.expiry.toISOString().slice(0, 10))
      // EPC URNs split a GTIN-14 as company prefix (7 digits here) and indicator + item reference.
      .replaceAll('{{cp}}', w.gtin?.slice(1, 8) ?? '')
      .replaceAll('{{ir}}', w.gtin ? w.gtin[0] + w.gtin.slice(8, 13) : '')
      .replaceAll('{{uuid1}}', randomUUID())
      .replaceAll('{{uuid2}}', randomUUID()),
  ) as Record<string, unknown>;
}

/**
 * A capture that died half-way: `events` events of the batch accepted as one pending
 * capture, longer ago than CAPTURE_STALE_MS, of which only the first `written` reached
 * the chain. Written to the models, the way the capture service leaves them when its
 * process stops between two events (a state the service never leaves when it runs on).
 */
export async function buildStalledCapture(w: EventBatch, opts: { events: number; written: number }): Promise<{ captureId: string; items: ChainItem[] }> {
  const captureId = `crash${randomUUID().slice(0, 5)}`;
  const items: ChainItem[] = Array.from({ length: opts.events }, (_, eventIndex) => ({
    captureId,
    eventIndex,
    batchId: w.batchId,
    productId: w.productId,
    producerId: w.producerId,
    isErrorDeclaration: false,
    body: { ...objectEvent(w, { eventTime: `2025-07-${String(eventIndex + 1).padStart(2, '0')}T10:00:00+07:00` }), eventID: `urn:uuid:${randomUUID()}` },
  }));
  const createdAt = new Date(Date.now() - CAPTURE_STALE_MS - 5_000);
  await CapturePayloadModel.create({ _id: captureId, payload: JSON.stringify(items) });
  await OpenCaptureModel.create({ _id: captureId, createdAt });
  await CaptureModel.create({ _id: captureId, state: 'pending', actor: 'test', role: 'admin', eventCount: opts.events, batchIds: [w.batchId], createdAt });
  await appendToChain(w.batchId, items.slice(0, opts.written), createdAt);
  return { captureId, items };
}
