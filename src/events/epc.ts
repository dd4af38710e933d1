import { gtinCheckDigitOk } from '../reference/gs1.js';

/**
 * What an EPC or EPC class says about our products: which product, which lot,
 * which unit. Understood forms (host and any path prefix of a Digital Link are
 * free, so partner resolvers work too):
 *   https://…/01/{gtin}/10/{lot}/21/{serial}    unit (lot may be absent)
 *   https://…/01/{gtin}/10/{lot}                 class: the lot
 *   https://…/p/{productId}/10/{lot}[/21/{serial}]  our own key for products without GTIN
 *   urn:epc:id:sgtin:{cp}.{ir}.{serial}          unit, no lot
 *   urn:epc:class:lgtin:{cp}.{ir}.{lot}          class: the lot
 *   urn:epc:idpat:sgtin:{cp}.{ir}.*              class: the product
 */
export type ProductRef = { kind: 'gtin'; gtin: string } | { kind: 'product'; productId: string };
export type EpcRef = { product: ProductRef; lot: string | null; serial: string | null };

const DL = /\/01\/(\d{8}|\d{12,14})(?:\/22\/[^/]+)?(?:\/10\/([^/]+))?(?:\/21\/([^/]+))?\/?$/;
const OWN = /\/p\/([0-9a-z]{10})\/10\/([^/]+)(?:\/21\/([^/]+))?\/?$/;
const SGTIN = /^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/;
const LGTIN = /^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$/;
const SGTIN_PAT = /^urn:epc:idpat:sgtin:(\d+)\.(\d+)\.\*$/;

export function parseEpc(uri: string): EpcRef | null {
  if (/^https?:\/\//i.test(uri)) return parseDigitalLink(uri);
  let m = SGTIN.exec(uri) ?? LGTIN.exec(uri);
  if (m) {
    const gtin = gtinFromEpcParts(m[1] as string, m[2] as string);
    if (!gtin) return null;
    const tail = decodeSafely(m[3] as string);
    return uri.startsWith('urn:epc:id:') ? { product: { kind: 'gtin', gtin }, lot: null, serial: tail } : { product: { kind: 'gtin', gtin }, lot: tail, serial: null };
  }
  m = SGTIN_PAT.exec(uri);
  if (m) {
    const gtin = gtinFromEpcParts(m[1] as string, m[2] as string);
    return gtin ? { product: { kind: 'gtin', gtin }, lot: null, serial: null } : null;
  }
  return null;
}

function parseDigitalLink(uri: string): EpcRef | null {
  let path: string;
  try {
    path = new URL(uri).pathname;
  } catch {
    return null;
  }
  const own = OWN.exec(path);
  if (own) return { product: { kind: 'product', productId: own[1] as string }, lot: decodeSafely(own[2] as string), serial: own[3] ? decodeSafely(own[3]) : null };
  const dl = DL.exec(path);
  if (!dl) return null;
  const gtin = (dl[1] as string).padStart(14, '0');
  if (!gtinCheckDigitOk(gtin)) return null;
  return { product: { kind: 'gtin', gtin }, lot: dl[2] ? decodeSafely(dl[2]) : null, serial: dl[3] ? decodeSafely(dl[3]) : null };
}

/** EPC URNs split the GTIN: indicator digit first in the item reference; the check digit is left out. */
function gtinFromEpcParts(companyPrefix: string, itemRef: string): string | null {
  if (companyPrefix.length + itemRef.length !== 13 || itemRef.length < 1) return null;
  const body = itemRef[0] + companyPrefix + itemRef.slice(1);
  for (let d = 0; d <= 9; d++) if (gtinCheckDigitOk(body + d)) return body + d;
  return null;
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
