import { systemPrincipal } from '../policy/principal.js';
import { batchesByIds } from '../batches/batch.service.js';
import { productsByIds } from '../registry/products/product.service.js';
import { captureEvents } from './capture/capture.service.js';
import { BATCH_FIELD, EXPORT_CONTEXT, ILMD_EXPIRY, ILMD_LOT } from './epcis-context.js';
import { localIso } from './timeline/timeline.js';

/**
 * Demo journeys for the seed: per batch, raw material harvested at the batch's
 * origin commune → processed (TransformationEvent) → packed (AggregationEvent) →
 * inspected → shipped → received at an OCOP shop in Hoàn Kiếm, Hà Nội → sold.
 * Times follow the batch's production date (Vietnam time); stages that would lie
 * in the future are left out. One EPCIS document per batch.
 */
const SHOP = 'urn:ocop:commune:00070:cua-hang-ocop-hoan-kiem';
const HOUR = 3_600_000;

export async function seedDemoEvents(batchIds: string[], opts: { baseUrl?: string } = {}): Promise<{ events: number }> {
  const base = opts.baseUrl ?? 'http://localhost:3000';
  const batches = await batchesByIds(batchIds);
  const products = await productsByIds(batches.map((b) => b.productId));
  const gtinOf = new Map([...products].map(([id, p]) => [id, p.gtin ?? null]));
  let count = 0;
  for (const b of batches) {
    const gtin = gtinOf.get(b.productId) ?? null;
    const key = gtin ? `/01/${gtin}` : `/p/${b.productId}`;
    const lotClass = `${base}${key}/10/${b.lotCode}`;
    const unit = (n: number) => `${lotClass}/21/DEMO${b._id.toUpperCase()}${String(n).padStart(3, '0')}`;
    const origin = `urn:ocop:commune:${b.origin?.communeCode ?? '00070'}`;
    const made = b.productionDate.getTime();
    const qty = (n: number, uom = b.unit === 'kg' ? 'KGM' : 'H87') => [{ epcClass: lotClass, quantity: n, uom }];
    const raw = `urn:ocop:raw:${b._id}`;
    const at = (ms: number) => ({ eventTime: localIso(new Date(ms), '+07:00'), eventTimeZoneOffset: '+07:00', [BATCH_FIELD]: b._id });
    const ilmd: Record<string, string> = { [ILMD_LOT]: b.lotCode, ...(b.expiryDate ? { [ILMD_EXPIRY]: b.expiryDate.toISOString().slice(0, 10) } : {}) };
    const amount = Math.max(1, Math.round(b.quantity));
    const steps: [number, Record<string, unknown>][] = [
      [made - 30 * HOUR, { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active', readPoint: { id: `${origin}:vung-nguyen-lieu` }, bizLocation: { id: origin }, quantityList: [{ epcClass: raw, quantity: amount * 4, uom: 'KGM' }] }],
      [made, { type: 'TransformationEvent', bizStep: 'commissioning', disposition: 'active', bizLocation: { id: `${origin}:xuong-che-bien` }, inputQuantityList: [{ epcClass: raw, quantity: amount * 4, uom: 'KGM' }], outputQuantityList: qty(amount), ilmd }],
      [made + 20 * HOUR, { type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress', bizLocation: { id: `${origin}:xuong-che-bien` }, parentID: `urn:ocop:case:${b._id}-1`, childEPCs: [unit(1), unit(2), unit(3)] }],
      [made + 26 * HOUR, { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition: 'conformant', bizLocation: { id: origin }, quantityList: qty(amount) }],
      [made + 44 * HOUR, { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', readPoint: { id: `${origin}:xuong-che-bien` }, quantityList: qty(amount), destinationList: [{ type: 'location', destination: SHOP }] }],
      [made + 52 * HOUR, { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_not_accessible', bizLocation: { id: SHOP }, quantityList: qty(amount) }],
      [made + 5 * 24 * HOUR, { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold', bizLocation: { id: SHOP }, epcList: [unit(1)] }],
    ];
    const events = steps.filter(([t]) => t <= Date.now()).map(([t, e]) => ({ ...e, ...at(t) }));
    if (events.length === 0) continue;
    await captureEvents(systemPrincipal, events, { context: EXPORT_CONTEXT });
    count += events.length;
  }
  return { events: count };
}
