import { buildLabelUrl, labelPath } from '../../labels/format/label-url.js';
import type { Verification } from '../verify.service.js';

/**
 * The resolver's links for a label (GS1 Digital Link link types). Every link is a
 * section of the one verification page: the page is the product information, the
 * certificate and the trace in one place. A forged or unknown label gets only the
 * default link (the page that says so): it has no product to describe.
 */
export const GS1_VOC = 'https://gs1.org/voc/';
export const LINK_TYPES = ['pip', 'certificationInfo', 'traceability', 'defaultLink'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export type Link = { href: string; title: string; type: string; hreflang: string[] };

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
    types.map((t) => [t, { href: `${page}${fragments[t]}`, title: titles[t], type: 'text/html', hreflang: ['vi', 'en'] }]),
  );
}

/** An RFC 9264 linkset (application/linkset+json) with GS1 link relation types. */
export function linkset(base: string, v: Verification) {
  const links = labelLinks(base, v);
  const entry: Record<string, unknown> = { anchor: `${base}${labelPath(v.presented)}` };
  for (const [t, link] of Object.entries(links)) entry[`${GS1_VOC}${t}`] = [link];
  return { linkset: [entry] };
}

/** `gs1:pip`, `pip` or `https://gs1.org/voc/pip` → pip; anything else → null. */
export function linkTypeOf(param: string): string {
  if (param.startsWith(GS1_VOC)) return param.slice(GS1_VOC.length);
  if (param.startsWith('gs1:')) return param.slice(4);
  return param;
}
