/**
 * Names this service uses in EPCIS 2.0 JSON-LD. The project's own terms live in
 * one namespace, written with the `ocop:` prefix; documents we export declare it
 * in their @context next to GS1's EPCIS context.
 */
export const GS1_EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
export const OCOP_NAMESPACE = 'urn:ocop:epcis:';
export const OCOP_PREFIX = 'ocop';
export const EXPORT_CONTEXT: readonly unknown[] = [GS1_EPCIS_CONTEXT, { [OCOP_PREFIX]: OCOP_NAMESPACE }];

/** The extension field naming the batch an event belongs to. */
export const BATCH_FIELD = `${OCOP_PREFIX}:batchId`;
export const BATCH_FIELD_IRI = `${OCOP_NAMESPACE}batchId`;

/**
 * Events about one of our products that name no batch of ours (a GTIN-level epcClass,
 * an SGTIN without lot) are kept in the product's own chain: they carry this field
 * instead of the batch field, and the chain's key is productChainKey(productId).
 */
export const PRODUCT_FIELD = `${OCOP_PREFIX}:productId`;
export const PRODUCT_CHAIN_PREFIX = 'product:';
export const productChainKey = (productId: string) => `${PRODUCT_CHAIN_PREFIX}${productId}`;
/** The product of a product chain's key, or null for a batch's chain. */
export const productOfChainKey = (key: string) => (key.startsWith(PRODUCT_CHAIN_PREFIX) ? key.slice(PRODUCT_CHAIN_PREFIX.length) : null);

/**
 * Events that name no goods of ours (returnable assets, a service relation, sensor
 * readings of a room) or goods of several of one producer's batches, captured at a
 * location registered to a producer, are kept in the location's own chain: they carry
 * this field (the location key, registry/locations/gln.ts) and the chain's key is
 * locationChainKey(key). See docs/epcis.md §2.
 */
export const LOCATION_FIELD = `${OCOP_PREFIX}:locationId`;
export const LOCATION_CHAIN_PREFIX = 'location:';
export const locationChainKey = (locationKey: string) => `${LOCATION_CHAIN_PREFIX}${locationKey}`;
/** The location key of a location chain's key, or null for another chain. */
export const locationOfChainKey = (key: string) => (key.startsWith(LOCATION_CHAIN_PREFIX) ? key.slice(LOCATION_CHAIN_PREFIX.length) : null);

/** The member naming a chain's owner in its events: ocop:batchId, ocop:productId or ocop:locationId, with its value. */
export function chainOwnerOf(key: string): Record<string, string> {
  const product = productOfChainKey(key);
  if (product) return { [PRODUCT_FIELD]: product };
  const location = locationOfChainKey(key);
  if (location) return { [LOCATION_FIELD]: location };
  return { [BATCH_FIELD]: key };
}

/** The chain an exported event belongs to, read from its body. */
export function chainKeyOfEvent(event: Record<string, unknown>): string {
  if (typeof event[BATCH_FIELD] === 'string') return event[BATCH_FIELD];
  if (typeof event[PRODUCT_FIELD] === 'string') return productChainKey(event[PRODUCT_FIELD]);
  if (typeof event[LOCATION_FIELD] === 'string') return locationChainKey(event[LOCATION_FIELD]);
  return String(event[BATCH_FIELD]);
}

/** The members this repository sets on stored events (a sender's own value is dropped). */
export const OWNER_FIELDS: readonly string[] = [PRODUCT_FIELD, LOCATION_FIELD];

/** CBV master-data attributes for lot data in ilmd (prefix defined by GS1's context). */
export const ILMD_LOT = 'cbvmda:lotNumber';
export const ILMD_EXPIRY = 'cbvmda:itemExpirationDate';

/** prevHash of the first event of every batch. */
export const GENESIS_HASH = '0'.repeat(64);
