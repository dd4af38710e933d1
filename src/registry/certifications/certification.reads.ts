import { CertificationModel, type CertificationDoc } from './certification.model.js';
import { currentAmong } from './certification-rules.js';
import { certificationStatus } from './certification-status.js';
import { ID_PATTERN } from '../../ids.js';
import { readSlots } from '../../slots.js';
import { certificationSlots } from './certification-slot.model.js';
import { isVisible, VISIBLE } from '../import-visibility.js';

/**
 * Reading certifications, for the rest of the registry and for other features (labels,
 * the verification page): which decision is in force for a product, and one by id.
 * No writes here, and no other registry module imported, so products and
 * certifications can both read it without depending on each other.
 */

/** A stored certification as plain data (Dates stay Dates; the presenter formats them). */
export type CertificationRecord = Omit<CertificationDoc, 'authority'> & {
  authority: NonNullable<CertificationDoc['authority']>;
  createdAt: Date;
  updatedAt: Date;
};

/** A certification by id, or null. */
export async function findCertification(id: string): Promise<CertificationRecord | null> {
  if (!ID_PATTERN.test(id)) return null;
  return CertificationModel.findById(id).lean<CertificationRecord>();
}

/**
 * Every decision recorded for a product, by `_id` lookups: the product's list of
 * certification ids (certification-slot.model.ts), then each certification.
 */
export async function certificationsOfProduct(productId: string): Promise<CertificationRecord[]> {
  const { values } = await readSlots(certificationSlots, productId);
  const certs = await Promise.all(values.map((id) => CertificationModel.findById(id).lean<CertificationRecord>()));
  return certs.filter((c): c is CertificationRecord => c !== null && c.productId === productId);
}

/** The product's most recent revoked decision, or null: says why a product has none in force. */
export async function latestRevokedCertificationFor(productId: string): Promise<CertificationRecord | null> {
  const revoked = (await certificationsOfProduct(productId)).filter((c) => c.status === 'revoked' && isVisible(c));
  return revoked.sort((a, b) => b.decisionDate.getTime() - a.decisionDate.getTime())[0] ?? null;
}

/** The product's current certification (see currentAmong), or null. For labels and the verification page. */
export async function currentCertificationFor(productId: string): Promise<CertificationRecord | null> {
  return (await currentCertificationsFor([productId])).get(productId) ?? null;
}

/** Current certifications of many products, read side by side; products without one are absent. */
export async function currentCertificationsFor(productIds: readonly string[]): Promise<Map<string, CertificationRecord>> {
  if (productIds.length === 0) return new Map();
  const lists = await Promise.all([...new Set(productIds)].map((id) => certificationsOfProduct(id)));
  return currentByProduct(lists.flat().filter((c) => c.status === 'active' && isVisible(c)));
}

function currentByProduct<T extends CertificationRecord | SlimCert>(certs: T[]): Map<string, T> {
  const byProduct = new Map<string, T[]>();
  for (const c of certs) byProduct.set(c.productId, [...(byProduct.get(c.productId) ?? []), c]);
  const out = new Map<string, T>();
  for (const [productId, list] of byProduct) {
    const current = currentAmong(list);
    if (current) out.set(productId, current);
  }
  return out;
}

type SlimCert = Pick<CertificationRecord, '_id' | 'productId' | 'stars' | 'status' | 'decisionDate' | 'createdAt' | 'validUntil'>;

/**
 * Ids of products whose current certification has these stars / derived status. The
 * current one is derived, so every active certification is read (a few fields each):
 * the whole programme has tens of thousands of products, which this handles.
 */
export async function productIdsWithCurrentCertification(filter: { stars?: number | undefined; status?: 'active' | 'expired' | undefined }): Promise<string[]> {
  const certs = await CertificationModel.find(
    { status: 'active', ...VISIBLE },
    { _id: 1, productId: 1, stars: 1, status: 1, decisionDate: 1, createdAt: 1, validUntil: 1 },
  ).lean<SlimCert[]>();
  const now = new Date();
  const ids: string[] = [];
  for (const [productId, c] of currentByProduct(certs)) {
    if (filter.stars !== undefined && c.stars !== filter.stars) continue;
    if (filter.status && certificationStatus(c, now) !== filter.status) continue;
    ids.push(productId);
  }
  return ids;
}


/** What the public registry shows of a product's current certification (catalogue, open data). */
export type CurrentCertificationSummary = Pick<CertificationRecord, '_id' | 'productId' | 'stars' | 'decisionNumber' | 'decisionDate' | 'validUntil'> & {
  status: 'active' | 'expired';
};

/**
 * The current certification of every product, a few fields each, in one query: for the
 * public registry's in-process index (src/catalogue/), which reads the whole registry
 * at once instead of two lookups per product.
 */
export async function currentCertificationSummaries(now: Date = new Date()): Promise<Map<string, CurrentCertificationSummary>> {
  const certs = await CertificationModel.find(
    { status: 'active', ...VISIBLE },
    { _id: 1, productId: 1, stars: 1, status: 1, decisionDate: 1, decisionNumber: 1, createdAt: 1, validUntil: 1 },
  ).lean<(SlimCert & Pick<CertificationRecord, 'decisionNumber'>)[]>();
  const out = new Map<string, CurrentCertificationSummary>();
  for (const [productId, c] of currentByProduct(certs)) {
    const status = certificationStatus(c, now) === 'expired' ? 'expired' : 'active';
    out.set(productId, { _id: c._id, productId, stars: c.stars, decisionNumber: c.decisionNumber, decisionDate: c.decisionDate, validUntil: c.validUntil, status });
  }
  return out;
}
