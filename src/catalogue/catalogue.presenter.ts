import type { Lang } from '../i18n.js';
import { formatDay } from '../display-dates.js';
import { findCommune, findProvince } from '../reference/admin-units.js';
import { findProductGroup } from '../reference/product-groups.js';
import { photoUrl } from '../registry/products/product-photo.url.js';
import type { CatalogueEntry } from './catalogue-search.js';
import { openDataRow } from './open-data.js';

/** A search result as the JSON search answers it: the open-data row's fields, nested. */
export function presentEntry(e: CatalogueEntry, base: string) {
  const row = openDataRow(e, base);
  const group = findProductGroup(e.groupListVersion, e.group);
  return {
    id: e.id,
    name: { vi: e.name.vi, en: e.name.en },
    gtin: e.gtin,
    group: { code: e.group, vi: group?.vi ?? null, en: group?.en ?? null },
    producer: { id: e.producerId, name: e.producerName, kind: e.producerKind },
    province: { code: e.provinceCode, name: row.provinceName },
    commune: { code: e.communeCode, name: row.communeName },
    certification: e.status === 'none' ? null : { stars: e.stars, status: e.status, number: e.certificateNumber, decisionDate: row.decisionDate, validUntil: row.validUntil },
    url: row.productUrl,
  };
}

/** "Xã Bát Tràng, Thành phố Hà Nội": the locality by name (codes when a unit is unknown). */
export function localityName(communeCode: string, provinceCode: string): string {
  return [findCommune(communeCode)?.name ?? communeCode, findProvince(provinceCode)?.name ?? provinceCode].join(', ');
}

/** The product's name in the page's language (Vietnamese when it has no English one). */
export const nameIn = (name: { vi: string; en?: string | null }, lang: Lang) => (lang === 'en' && name.en ? name.en : name.vi);

export const groupName = (version: string, code: string, lang: Lang) => findProductGroup(version, code)?.[lang] ?? code;

/** A search result as the page shows it. */
export function entryView(e: CatalogueEntry, lang: Lang) {
  return {
    href: `/products/${e.id}`,
    name: nameIn(e.name, lang),
    otherName: lang === 'en' ? (e.name.en ? e.name.vi : null) : e.name.en,
    photo: e.photoId ? photoUrl(e.photoId, 'page') : null,
    stars: e.stars,
    status: e.status,
    validUntil: e.validUntil ? formatDay(e.validUntil, lang) : null,
    group: groupName(e.groupListVersion, e.group, lang),
    producerHref: `/producers/${e.producerId}`,
    producerName: e.producerName,
    locality: localityName(e.communeCode, e.provinceCode),
  };
}

export type EntryView = ReturnType<typeof entryView>;
