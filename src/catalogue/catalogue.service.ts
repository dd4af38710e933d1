import { pagingOf, type Page } from '../paging.js';
import { batchesOnSale, findBatch, type BatchOnSale } from '../batches/batch.service.js';
import { findLabel } from '../labels/runs/labels.service.js';
import { labelUrlOf, productKeyOf } from '../labels/runs/label.presenter.js';
import { getProducer, type ProducerRecord } from '../registry/producers/producer.service.js';
import { findProduct, findProductByGtin, getProduct, type ProductRecord } from '../registry/products/product.service.js';
import { currentCertificationFor, latestRevokedCertificationFor, type CertificationRecord } from '../registry/certifications/certification.reads.js';
import { certificationStatus, type CertificationStatus } from '../registry/certifications/certification-status.js';
import { asUnknown, isVisible, publicRecord } from '../registry/import-visibility.js';
import type { CatalogueIndex } from './catalogue-index.js';
import { searchCatalogue, type CatalogueEntry, type CatalogueQuery } from './catalogue-search.js';

/**
 * The public OCOP registry ("catalogue"): what consumers, retailers and journalists read
 * without an account. Its own folder, beside src/registry/ rather than inside it: the
 * registry is the offices' records and their admin API; the catalogue is a read-only
 * view over several features (registry, batches, labels, reference data) through their
 * services, with its own pages, index and open data, so neither grows into the other.
 *
 * The public registry's use cases, for the pages and the open-data JSON:
 *  1. search: filters and ranking over the in-process index (catalogue-index.ts);
 *  2. a product: read from the registry itself (by _id), so a certificate revoked a
 *     minute ago shows as revoked here, whatever the index holds;
 *  3. a producer (read by _id) and its products (from the index: one pass, no lookup per product);
 *     read by _id, a record an unfinished decision import holds back, or a product of a
 *     producer held back, answers 404 as an unknown id does (import-visibility.ts);
 *  4. a label by the serial printed under its QR, as the path of its verification page;
 *  5. a product by GTIN, for the Digital Link resolver: held back as in 3, it is none.
 */

export async function searchRegistry(index: CatalogueIndex, query: CatalogueQuery & { limit: number; offset?: number | undefined; page?: number | undefined }): Promise<Page<CatalogueEntry> & { loadedAt: Date }> {
  const snap = await index.current();
  return { ...searchCatalogue(snap.sorted, query, pagingOf(query)), loadedAt: snap.loadedAt };
}

export type ProductPage = {
  product: ProductRecord;
  producer: ProducerRecord;
  certification: (CertificationRecord & { shownStatus: CertificationStatus }) | null;
  /** Why there is none in force, when the latest decision was revoked. */
  revoked: CertificationRecord | null;
  batches: BatchOnSale[];
};

export async function productPage(id: string, now: Date = new Date()): Promise<ProductPage> {
  const product = publicRecord(await getProduct(id), 'product/not_found', 'product');
  const [producer, current, batches] = await Promise.all([getProducer(product.producerId), currentCertificationFor(product._id), batchesOnSale(product._id, now)]);
  // The page shows its producer: a producer held back keeps the page back too.
  if (!isVisible(producer)) throw asUnknown(product._id, 'product/not_found', 'product');
  const revoked = current ? null : await latestRevokedCertificationFor(product._id);
  return { product, producer, certification: current && { ...current, shownStatus: certificationStatus(current, now) }, revoked, batches };
}

/** The public product carrying `gtin`; null when none does or an unfinished import holds it (or its producer) back. */
export async function publicProductByGtin(gtin: string): Promise<ProductRecord | null> {
  const product = await findProductByGtin(gtin);
  if (!product || !isVisible(product)) return null;
  return isVisible(await getProducer(product.producerId)) ? product : null;
}

export type ProducerPage = {
  producer: ProducerRecord;
  /** Its products from the index (by name), with their current certification: no lookups per product. */
  products: CatalogueEntry[];
};

export async function producerPage(index: CatalogueIndex, id: string): Promise<ProducerPage> {
  const producer = publicRecord(await getProducer(id), 'producer/not_found', 'producer');
  const snap = await index.current();
  return { producer, products: snap.sorted.name.filter((e) => e.producerId === producer._id) };
}

/**
 * The path and signed query of the label with this serial (its verification page), or
 * null. New serials are upper case (serial.ts) and people type them in lower case, so
 * the serial as typed is tried, then upper-cased. The answer is what the label's own QR
 * holds: whoever holds the package can read both.
 */
export async function labelPathBySerial(serial: string): Promise<string | null> {
  const label = (await findLabel(serial)) ?? (serial !== serial.toUpperCase() ? await findLabel(serial.toUpperCase()) : null);
  if (!label) return null;
  const [batch, product] = await Promise.all([findBatch(label.batchId), findProduct(label.productId)]);
  if (!batch || !product) return null;
  return labelUrlOf('', label, batch.lotCode, productKeyOf(product));
}

/** The product page of the product carrying this GTIN-14, as the GTIN-only Digital Link's target. */
export function productPagePath(productId: string): string {
  return `/products/${productId}`;
}
