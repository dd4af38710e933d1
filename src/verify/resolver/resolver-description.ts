import { LABEL_FORMAT_PATH } from './label-format-doc.js';
import { GS1_VOC, LINK_TYPES } from './links.js';
import { GS1_JSONLD_CONTEXT } from './resolver-headers.js';

/**
 * /.well-known/gs1resolver: what this resolver serves, so GS1 Digital Link clients
 * can discover it (GS1 resolver standard, resolver description file). The GTIN is the
 * one GS1 primary key; our own /p/ key is listed apart as a private one.
 */
export function resolverDescription(base: string) {
  return {
    '@context': GS1_JSONLD_CONTEXT,
    name: 'OCOP Trace label resolver',
    resolverRoot: base,
    supportedPrimaryKeys: ['01'],
    privatePrimaryKeys: ['p (OCOP product code of a product without a GTIN)'],
    supportedQualifiers: { '01': ['22', '10', '21', '235'] },
    supportedDataAttributes: 'GS1 Application Identifiers allowed as data attributes, checked and passed on in the query',
    supportedLinkType: LINK_TYPES.map((t) => ({ linkType: `gs1:${t}`, href: `${GS1_VOC}${t}` })),
    namespace: GS1_VOC,
    prefix: 'gs1:',
    jsonLdContextLocation: GS1_JSONLD_CONTEXT,
    // The default link is a page (the label's verification page, or the product's); the linkset is asked for.
    linkTypeDefaultCanBeLinkset: false,
    linksetMediaType: 'application/linkset+json',
    supportsCompression: true,
    supportedMethods: ['GET', 'HEAD', 'OPTIONS'],
    documentation: `${base}/api/docs`,
    jwksUri: `${base}/.well-known/jwks.json`,
    signature: { alg: 'ES256', parameters: ['s', 'v', 'k', 'sig'], documentation: `${base}${LABEL_FORMAT_PATH}` },
  };
}
