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

/** CBV master-data attributes for lot data in ilmd (prefix defined by GS1's context). */
export const ILMD_LOT = 'cbvmda:lotNumber';
export const ILMD_EXPIRY = 'cbvmda:itemExpirationDate';

/** prevHash of the first event of every batch. */
export const GENESIS_HASH = '0'.repeat(64);
