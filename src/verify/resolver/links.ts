import { buildLabelUrl, labelPath } from '../../labels/format/label-url.js';
import type { Verification } from '../verify.service.js';

/**
 * The resolver's links for a label (GS1 Digital Link link types). Every link is a
 * section of the one verification page: the page is the product information, the
 * certificate and the trace in one place. A forged or unknown label gets only the
 * default link (the page that says so): it has no product to describe.
 */
/** The GS1 Web vocabulary namespace as the vocabulary itself writes its terms. */
export const GS1_VOC = 'https://ref.gs1.org/voc/';
export const LINK_TYPES = ['pip', 'certificationInfo', 'traceability', 'defaultLink'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export type Link = { href: string; title: string; type?: string; hreflang?: string[] };

const titles: Record<LinkType, string> = {
  pip: 'Product information / Thông tin sản phẩm',
  certificationInfo: 'OCOP certificate / Chứng nhận OCOP',
  traceability: 'Traceability / Truy xuất nguồn gốc',
  defaultLink: 'Label verification / Xác thực tem',
};
const fragments: Record<LinkType, string> = { pip: '#product', certificationInfo: '#certification', traceability: '#timeline', defaultLink: '' };

export function labelLinks(base: string, v: Verification): Partial<Record<LinkType, Link>> {
  const page = buildLabelUrl(base, v.presented);
  const types: readonly LinkType[] = v.found ? LINK_TYPES : ['defaultLink'];
  return Object.fromEntries(
    types.map((t) => [
      t,
      // The default link carries its target and title only (GS1 resolver standard); the others say what they are.
      t === 'defaultLink' ? { href: page, title: titles[t] } : { href: `${page}${fragments[t]}`, title: titles[t], type: 'text/html', hreflang: ['vi', 'en'] },
    ]),
  );
}

/** An RFC 9264 linkset (application/linkset+json) with GS1 link relation types and GS1's itemDescription. */
export function linkset(base: string, v: Verification) {
  const links = labelLinks(base, v);
  const product = v.found?.product;
  const itemDescription = product
    ? `${product.name.en ? `${product.name.vi} / ${product.name.en}` : product.name.vi}, lot ${v.found!.batch.lotCode}, serial ${v.presented.serial}`
    : `Label ${v.presented.serial} (not a label of this service) / Tem ${v.presented.serial} (không phải tem của hệ thống)`;
  const entry: Record<string, unknown> = { anchor: `${base}${labelPath(v.presented)}`, itemDescription };
  for (const [t, link] of Object.entries(links)) entry[`${GS1_VOC}${t}`] = [link];
  return { linkset: [entry] };
}

// Every spelling of the GS1 Web vocabulary's namespace a client may send (gs1: is its CURIE prefix).
const VOC_PREFIXES = ['gs1:', 'https://ref.gs1.org/voc/', 'https://gs1.org/voc/', 'https://www.gs1.org/voc/', 'http://ref.gs1.org/voc/', 'http://gs1.org/voc/', 'http://www.gs1.org/voc/'];

/** `gs1:pip`, `pip`, `https://ref.gs1.org/voc/pip`, `https://gs1.org/voc/pip`… → `pip`; `linkset` and `all` stay themselves. */
export function linkTypeOf(param: string): string {
  for (const prefix of VOC_PREFIXES) if (param.startsWith(prefix)) return param.slice(prefix.length);
  return param;
}
