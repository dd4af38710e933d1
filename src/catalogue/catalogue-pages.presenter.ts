import type { Lang } from '../i18n.js';
import { formatDay } from '../display-dates.js';
import { photoUrl } from '../registry/products/product-photo.url.js';
import { presentProducer } from '../registry/producers/producer.presenter.js';
import { groupName, localityName, nameIn } from './catalogue.presenter.js';
import type { ProducerPage, ProductPage } from './catalogue.service.js';

/**
 * What the product and producer pages show. Privacy is the registry's presenter's:
 * the producer is presented as to an anonymous reader (presentProducer with no viewer),
 * and of its contact only what it chose to publish (publicContact) is shown, so a
 * household's phone, e-mail, contact person and street never reach these pages.
 */

function publicContactOf(producer: ProducerPage['producer']) {
  const shown = presentProducer(producer, null).publicContact;
  const website = shown.website && /^https?:\/\//i.test(shown.website) ? shown.website : null;
  return shown.phone || website ? { phone: shown.phone, website } : null;
}

export function productView(p: ProductPage, lang: Lang) {
  const { product, producer, certification: cert } = p;
  return {
    name: nameIn(product.name, lang),
    otherName: lang === 'en' ? (product.name.en ? product.name.vi : null) : (product.name.en ?? null),
    description: product.description ?? null,
    photo: product.photo ? { url: photoUrl(product.photo.id, 'page'), width: product.photo.pageWidth, height: product.photo.pageHeight, full: photoUrl(product.photo.id) } : null,
    group: groupName(product.groupListVersion, product.group, lang),
    gtin: product.gtin ?? null,
    producer: { href: `/producers/${producer._id}`, name: producer.name, kind: producer.kind, locality: localityName(producer.address.communeCode, producer.address.provinceCode) },
    certification: cert
      ? {
          stars: cert.stars,
          status: cert.shownStatus,
          number: cert.decisionNumber,
          authority: cert.authority.name,
          decisionDate: formatDay(cert.decisionDate, lang),
          validUntil: formatDay(cert.validUntil, lang),
          mayUseMark: cert.stars >= 3,
        }
      : null,
    revokedNumber: p.revoked?.decisionNumber ?? null,
    batches: p.batches.map((b) => ({
      lot: b.lotCode,
      producedOn: formatDay(b.productionDate, lang),
      expiresOn: b.expiryDate ? formatDay(b.expiryDate, lang) : null,
    })),
  };
}

export function producerView(p: ProducerPage, lang: Lang) {
  const { producer } = p;
  return {
    name: producer.name,
    kind: producer.kind,
    registrationNumber: producer.registrationNumber,
    locality: localityName(producer.address.communeCode, producer.address.provinceCode),
    contact: publicContactOf(producer),
    products: p.products.map((e) => ({
      href: `/products/${e.id}`,
      name: nameIn(e.name, lang),
      group: groupName(e.groupListVersion, e.group, lang),
      stars: e.stars,
      status: e.status,
      validUntil: e.validUntil ? formatDay(e.validUntil, lang) : null,
    })),
    total: p.products.length,
  };
}
