import type { Principal } from '../policy/principal.js';
import { may } from '../policy/policy.js';
import { EXPORT_CONTEXT, locationOfChainKey, productOfChainKey } from './epcis-context.js';
import type { EventDoc } from './chain/event.model.js';

/**
 * Event reads are public: the verification page shows every batch's timeline, and
 * traceability data is meant to be seen. One exception: business transaction
 * references (purchase orders, invoices) are the producer's business: who sees
 * them is 'event.read_private' in the policy (admins, the owner, inspectors).
 */
export type Viewer = Principal | null;

const PRIVATE_FIELDS = ['bizTransactionList'] as const;

export type EventRow = Pick<EventDoc, '_id' | 'batchId' | 'productId' | 'producerId' | 'seq' | 'hash' | 'prevHash' | 'body'>;

/**
 * The producers' provinces, for a viewer kept to some provinces (a provincial office, an
 * inspector): it sees business transactions of its provinces' producers only. Empty
 * (or left out) for every other viewer.
 */
export type ProducerProvinces = ReadonlyMap<string, string | null>;

/** The EPCIS event as stored, less what this viewer may not see; null when the stored text was mangled (the chain check reports it). */
export function epcisEventFor(row: EventRow, viewer: Viewer, provinces?: ProducerProvinces): Record<string, unknown> | null {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(row.body) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!may(viewer, 'event.read_private', { producerId: row.producerId, province: provinces?.get(row.producerId) })) for (const f of PRIVATE_FIELDS) delete event[f];
  return event;
}

/** JSON API form: the EPCIS event plus where it sits in its batch's chain. */
export function presentEvent(row: EventRow, viewer: Viewer, provinces?: ProducerProvinces) {
  return {
    id: row._id,
    // null for an event kept in its product's or a location's chain (it names no batch of ours).
    batchId: productOfChainKey(row.batchId) || locationOfChainKey(row.batchId) ? null : row.batchId,
    // null in a location's chain.
    productId: row.productId ?? null,
    ...chainOf(row.batchId),
    chain: { seq: row.seq, prevHash: row.prevHash, hash: row.hash },
    event: epcisEventFor(row, viewer, provinces),
  };
}

export function epcisDocument(eventList: Record<string, unknown>[], creationDate = new Date()) {
  return {
    '@context': EXPORT_CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: { eventList },
  };
}

/** The chain an event outside any batch is kept in: `productChain` (a product id) or `locationChain` (a location key). */
function chainOf(key: string): { productChain?: string; locationChain?: string } {
  const product = productOfChainKey(key);
  if (product) return { productChain: product };
  const location = locationOfChainKey(key);
  return location ? { locationChain: location } : {};
}

/** Where a captured event was stored: its batch, or (batchId null) its product's or location's own chain. */
export function presentStored<S extends { batchId: string }>(s: S): Omit<S, 'batchId'> & { batchId: string | null; productChain?: string; locationChain?: string } {
  const owner = chainOf(s.batchId);
  return owner.productChain || owner.locationChain ? { ...s, batchId: null, ...owner } : s;
}
