import { findBatch, findBatchByLot } from '../../batches/batch.service.js';
import { findProduct, findProductByGtin } from '../../registry/products/product.service.js';
import { findLocation } from '../../registry/locations/location.service.js';
import { locationChainKey, locationOfChainKey, productChainKey, productOfChainKey } from '../epcis-context.js';
import type { EventProblem, PreparedEvent } from './epcis-event.js';
import { EventIdModel } from './event-id.model.js';
import type { Home } from './resolve-places.js';

/**
 * Finds the batch of each event, in a few queries for a whole document:
 * 1. an explicit ocop:batchId, else
 * 2. the goods' identifiers: Digital Link / EPC URIs of our products with a lot
 *    (GTIN or /p/{productId} + lot → the batch), the lot coming from ilmd
 *    cbvmda:lotNumber when the identifier has none;
 * 3. an error declaration belongs to the batch of the event it declares erroneous;
 * 4. goods of one of our products but of no batch of ours (a GTIN-level class
 *    urn:epc:idpat:sgtin:…, an SGTIN or Digital Link without lot): the product's own
 *    chain (productChainKey), the first product named when there are several of one producer;
 * 5. no goods of ours (returnable assets, a service relation, sensor readings of a room),
 *    or goods of several batches of one producer, at a location registered to that
 *    producer (the event's home, resolve-places.ts): the location's chain (locationChainKey).
 *    One event, one chain: copying it into each batch's chain would give one fact several
 *    hashed places, and an error declaration more than one chain to go to.
 * Identifiers of goods that are not ours (a partner's raw material) are ignored.
 */
export type BatchInfo = {
  /** The chain's key: the batch id, productChainKey(productId) or locationChainKey(location key). */
  batchId: string;
  /** null for a location's chain. */
  productId: string | null;
  producerId: string;
  /** null for a product's chain. */
  lotCode: string | null;
  expiryDate: Date | null;
};

type Key = string; // productId|lot

export async function resolveBatches(events: PreparedEvent[], homes: readonly (Home | null)[]): Promise<(BatchInfo | EventProblem)[]> {
  const gtins = new Set<string>();
  for (const e of events) for (const r of e.refs) if (r.product.kind === 'gtin') gtins.add(r.product.gtin);
  const declared = events.filter((e) => e.isErrorDeclaration).map((e) => e.eventID);

  // One equality lookup per distinct key, side by side: on FerretDB these are the
  // lookups that use an index ($in and $or are filtered after a full scan).
  const [products, originals] = await Promise.all([
    Promise.all([...gtins].map((gtin) => findProductByGtin(gtin))),
    Promise.all([...new Set(declared)].map((eventID) => EventIdModel.findById(eventID, { batchId: 1 }).lean())),
  ]);
  const productByGtin = new Map(products.flatMap((p) => (p ? [[p.gtin as string, p._id] as const] : [])));
  const batchOfEventID = new Map(originals.flatMap((o) => (o ? [[o._id, o.batchId] as const] : [])));
  // Producers of the products events may be kept under (GTIN products are read already).
  const producerOf = new Map(products.flatMap((p) => (p ? [[p._id, p.producerId] as const] : [])));
  const ownKeyIds = new Set<string>();
  for (const e of events) for (const r of e.refs) if (r.product.kind === 'product') ownKeyIds.add(r.product.productId);
  for (const key of batchOfEventID.values()) {
    const p = productOfChainKey(key);
    if (p) ownKeyIds.add(p);
  }
  const declaredLocations = [...new Set([...batchOfEventID.values()].flatMap((key) => locationOfChainKey(key) ?? []))];
  const [ownKeyProducts, locations] = await Promise.all([
    Promise.all([...ownKeyIds].filter((id) => !producerOf.has(id)).map((id) => findProduct(id))),
    Promise.all(declaredLocations.map((key) => findLocation(key))),
  ]);
  for (const p of ownKeyProducts) if (p) producerOf.set(p._id, p.producerId);
  const locationTarget = (home: Home): BatchInfo => ({ batchId: locationChainKey(home.locationKey), productId: null, producerId: home.producerId, lotCode: null, expiryDate: null });
  const homeOf = new Map(locations.flatMap((l) => (l?.producerId ? [[l._id, locationTarget({ locationKey: l._id, producerId: l.producerId })] as const] : [])));
  const productTarget = (productId: string): BatchInfo | undefined => {
    const producerId = producerOf.get(productId);
    return producerId ? { batchId: productChainKey(productId), productId, producerId, lotCode: null, expiryDate: null } : undefined;
  };

  const keysOf = (e: PreparedEvent): { keys: Key[]; productIds: string[] } => {
    const keys: Key[] = [];
    const productIds: string[] = [];
    for (const r of e.refs) {
      const productId = r.product.kind === 'gtin' ? productByGtin.get(r.product.gtin) : r.product.productId;
      if (!productId || !producerOf.has(productId)) continue;
      productIds.push(productId);
      const lot = r.lot ?? e.ilmdLot;
      if (lot) keys.push(`${productId}|${lot}`);
    }
    return { keys: [...new Set(keys)], productIds };
  };
  const perEventKeys = events.map(keysOf);

  const ids = new Set<string>();
  const lotsByProduct = new Map<string, Set<string>>();
  events.forEach((e, i) => {
    if (e.explicitBatchId) ids.add(e.explicitBatchId);
    const declaredBatch = e.isErrorDeclaration ? batchOfEventID.get(e.eventID) : undefined;
    if (declaredBatch) ids.add(declaredBatch);
    for (const k of perEventKeys[i]?.keys ?? []) {
      const [p, lot] = k.split('|') as [string, string];
      lotsByProduct.set(p, (lotsByProduct.get(p) ?? new Set()).add(lot));
    }
  });
  const batches = (
    await Promise.all([
      ...[...ids].map((id) => findBatch(id)),
      ...[...lotsByProduct].flatMap(([productId, lots]) => [...lots].map((lotCode) => findBatchByLot(productId, lotCode))),
    ])
  ).flatMap((b) => (b ? [b] : []));
  const byId = new Map<string, BatchInfo>();
  const byKey = new Map<Key, BatchInfo>();
  for (const b of batches) {
    const info: BatchInfo = { batchId: b._id, productId: b.productId, producerId: b.producerId, lotCode: b.lotCode, expiryDate: b.expiryDate ?? null };
    byId.set(b._id, info);
    byKey.set(`${b.productId}|${b.lotCode}`, info);
  }

  return events.map((e, i) => {
    const { keys, productIds } = perEventKeys[i] ?? { keys: [], productIds: [] };
    const found = new Map<string, BatchInfo>();
    for (const k of keys) {
      const b = byKey.get(k);
      if (!b) {
        const [p, lot] = k.split('|');
        return fail('event/unknown_batch', 'epcList', `product ${p} has no batch with lot ${JSON.stringify(lot)}; register the batch first`);
      }
      found.set(b.batchId, b);
    }
    const home = homes[i] ?? null;
    let chosen: BatchInfo | undefined;
    if (e.isErrorDeclaration) {
      const original = batchOfEventID.get(e.eventID);
      if (!original) return fail('event/unknown_declared_event', 'eventID', `no captured event has eventID ${e.eventID}; capture the event before declaring it erroneous`);
      const product = productOfChainKey(original);
      const location = locationOfChainKey(original);
      chosen = product ? productTarget(product) : location ? homeOf.get(location) : byId.get(original);
    } else if (e.explicitBatchId) {
      chosen = byId.get(e.explicitBatchId);
      if (!chosen) return fail('event/unknown_batch', 'ocop:batchId', `no batch ${e.explicitBatchId}`);
    } else if (found.size === 1) {
      chosen = [...found.values()][0];
    } else if (found.size > 1) {
      const producers = new Set([...found.values()].map((b) => b.producerId));
      if (!home || producers.size > 1 || !producers.has(home.producerId)) {
        return fail(
          'event/many_batches',
          'epcList',
          `the goods belong to ${found.size} batches (${[...found.keys()].join(', ')}); send one event per batch, or capture it at a location registered to their producer (its readPoint or bizLocation: POST /api/v1/locations with producerId), whose own chain then keeps it`,
        );
      }
      chosen = locationTarget(home);
    } else if (productIds.length > 0) {
      // Our products, no lot of ours: the product's own chain. Several products of different producers cannot share one.
      const producers = new Set(productIds.map((p) => producerOf.get(p)));
      if (producers.size > 1) return fail('event/many_batches', 'epcList', `the goods are products of ${producers.size} producers (${[...new Set(productIds)].join(', ')}) and no lot; send one event per product, or name the lots`);
      chosen = productTarget(productIds[0] as string);
    } else if (home) {
      chosen = locationTarget(home);
    } else if (e.namesNoGoods) {
      return noGoods();
    } else {
      return fail(
        'event/no_batch',
        'epcList',
        'names no batch or product registered here: register the product (its GTIN, POST /api/v1/products) or the batch (POST /api/v1/products/{id}/batches), name the goods with their GTIN (SGTIN, LGTIN, urn:epc:idpat:sgtin, Digital Link), send ocop:batchId, or (for an event about assets or a place, not goods) register its readPoint or bizLocation to the producer (POST /api/v1/locations with producerId)',
      );
    }
    if (!chosen) return fail('event/unknown_batch', 'ocop:batchId', "the chain's batch or location no longer exists");
    const inLocationChain = locationOfChainKey(chosen.batchId) !== null;
    if (e.namesNoGoods && !inLocationChain) return noGoods();
    if (!inLocationChain && found.size > 0 && (found.size > 1 || !found.has(chosen.batchId))) {
      return fail('event/batch_mismatch', 'epcList', `the goods' identifiers name another batch than ${chosen.batchId}`);
    }
    if (e.ilmdLot !== null && chosen.lotCode !== null && e.ilmdLot !== chosen.lotCode) {
      return fail('event/lot_mismatch', 'ilmd.cbvmda:lotNumber', `is ${e.ilmdLot} but batch ${chosen.batchId} has lot ${chosen.lotCode}`);
    }
    if (e.ilmdExpiry !== null && chosen.expiryDate && e.ilmdExpiry !== chosen.expiryDate.toISOString().slice(0, 10)) {
      return fail('event/expiry_mismatch', 'ilmd.cbvmda:itemExpirationDate', `is ${e.ilmdExpiry} but the batch expires on ${chosen.expiryDate.toISOString().slice(0, 10)}`);
    }
    return chosen;
  });
}

const fail = (code: EventProblem['code'], path: string, message: string): EventProblem => ({ code, path, message });
const noGoods = () =>
  fail(
    'event/invalid',
    'epcList',
    'an ObjectEvent needs epcList or quantityList; one about no goods (sensor readings of a place) is taken at a location registered to a producer: register its readPoint or bizLocation (POST /api/v1/locations with producerId)',
  );
