import { LABEL_FORMAT_PATH } from './label-format-doc.js';
import { GS1_VOC, LINK_TYPES } from './links.js';

/**
 * /.well-known/gs1resolver: what this resolver serves, so GS1 Digital Link clients
 * can discover it. Our own /p/ key is listed as a private primary key.
 */
export function resolverDescription(base: string) {
  return {
    name: 'OCOP Trace label resolver',
    resolverRoot: base,
    supportedPrimaryKeys: ['gtin', 'p (OCOP product code, private)'],
    supportedQualifiers: { gtin: ['10 (lot)', '21 (serial)'] },
    supportedLinkType: LINK_TYPES.map((t) => ({ linkType: `gs1:${t}`, href: `${GS1_VOC}${t}` })),
    linkTypeDefaultCanBeLinkset: true,
    linksetMediaType: 'application/linkset+json',
    jwksUri: `${base}/.well-known/jwks.json`,
    signature: { alg: 'ES256', parameters: ['s', 'v', 'k', 'sig'], documentation: `${base}${LABEL_FORMAT_PATH}` },
  };
}
