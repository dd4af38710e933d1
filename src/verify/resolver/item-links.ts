import { notFound } from '../../errors/app-error.js';
import { findBatchByLot } from '../../batches/batch.service.js';
import { productPagePath, publicProductByGtin } from '../../catalogue/catalogue.service.js';
import { canonicalDigitalLinkPath, type DigitalLink } from './digital-link.js';
import { GS1_VOC } from './links.js';

/**
 * What the resolver answers for a GS1 Digital Link that is not a signed label of ours
 * (a GTIN alone, GTIN + lot, GTIN + serial without our signature, a partner's link):
 *
 * 1. The GTIN must be a public product of the registry (ours or a partner's, signed or
 *    not; not one an unfinished decision import holds back): else 404 `resolver/gtin_not_found`.
 * 2. Walk up: a serial is never looked up (without our signature it proves nothing, so it
 *    must never read as a genuine label); a lot that is a batch of the product gives the
 *    lot level (the product page at that lot's row); anything else the product level.
 * 3. The links of every level up to the GTIN, each level its own linkset entry (GS1
 *    resolver standard): the default link (href and title only) and the descriptive types
 *    pointing at the same page, so a client asking for gs1:pip gets where the default goes.
 */
export type ItemLink = { href: string; title: string; type?: string; hreflang?: string[] };
export type ItemLevel = { anchor: string; itemDescription: string; links: Record<string, ItemLink[]> };
export type ResolvedItem = {
  /** Most specific first: [lot, product] or [product]. */
  levels: ItemLevel[];
  /** The request's own URI, uncompressed and canonical (the linkset's subject). */
  anchor: string;
  /** Where the default link of the most specific level points (a path on this service, as every href here). */
  defaultHref: string;
};

const TITLES = {
  product: 'Product page: OCOP certificate and lots / Trang sản phẩm: chứng nhận OCOP và các lô',
  certification: 'OCOP certificate / Chứng nhận OCOP',
  lot: 'Product page at this lot / Trang sản phẩm, tại lô này',
};
const page = (href: string, title: string): ItemLink => ({ href, title, type: 'text/html', hreflang: ['vi', 'en'] });

/** The links of a Digital Link's item, walking up to its product; throws 404 when the GTIN is none of ours. */
export async function resolveItem(base: string, link: DigitalLink): Promise<ResolvedItem> {
  const product = await publicProductByGtin(link.gtin);
  if (!product) throw notFound('resolver/gtin_not_found', `No product in the registry carries GTIN ${link.gtin}.`);
  const productHref = productPagePath(product._id);
  const name = product.name.en ? `${product.name.vi} / ${product.name.en}` : product.name.vi;
  const productLevel: ItemLevel = {
    anchor: `${base}${canonicalDigitalLinkPath({ gtin: link.gtin })}`,
    itemDescription: name,
    links: {
      defaultLink: [{ href: productHref, title: TITLES.product }],
      pip: [page(productHref, TITLES.product)],
      certificationInfo: [page(`${productHref}#certification`, TITLES.certification)],
    },
  };
  const levels = [productLevel];
  // The lot is looked up only as the product's own batch (a partner's lot code we never saw gives the product level).
  const batch = link.lot !== undefined ? await findBatchByLot(product._id, link.lot) : null;
  if (batch) {
    const lotHref = `${productHref}#lot-${batch.lotCode}`;
    levels.unshift({
      anchor: `${base}${canonicalDigitalLinkPath({ gtin: link.gtin, cpv: link.cpv, lot: batch.lotCode })}`,
      itemDescription: `${name}, lot ${batch.lotCode}`,
      links: { defaultLink: [{ href: lotHref, title: TITLES.lot }], pip: [page(lotHref, TITLES.lot)] },
    });
  }
  return { levels, anchor: `${base}${canonicalDigitalLinkPath(link)}`, defaultHref: levels[0]!.links.defaultLink![0]!.href };
}

/** The first link of `type` from the most specific level up; null when no level has one. */
export function itemLinkOf(item: ResolvedItem, type: string): ItemLink | null {
  for (const level of item.levels) {
    const link = level.links[type]?.[0];
    if (link) return link;
  }
  return null;
}

/** The RFC 9264 linkset (GS1 linkset schema): one entry per level, link types as GS1 Web vocabulary URIs, hrefs absolute. */
export function itemLinkset(base: string, item: ResolvedItem) {
  return {
    linkset: item.levels.map((level) => {
      const entry: Record<string, unknown> = { anchor: level.anchor, itemDescription: level.itemDescription };
      for (const [type, links] of Object.entries(level.links)) entry[`${GS1_VOC}${type}`] = links.map((l) => ({ ...l, href: `${base}${l.href}` }));
      return entry;
    }),
  };
}
