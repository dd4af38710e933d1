import { randomInt } from 'node:crypto';
import { BatchModel, type BatchDoc } from '../../src/batches/batch.model.js';
import { systemPrincipal } from '../../src/accounts/audit.service.js';
import { revokeCertification } from '../../src/registry/certification.service.js';
import { buildCertification, buildProducer, buildProduct, monthsAgo } from './factories.js';

/**
 * Factories for batch and label tests (and the label benchmark), on top of the
 * registry's shared factories. Unique data on every call.
 */
export const aCommune = { code: '00577', provinceCode: '01' };

export async function buildBatch(product: { _id: string; producerId: string }, overrides: Partial<BatchDoc> = {}): Promise<BatchDoc> {
  const doc = await BatchModel.create({
    productId: product._id,
    producerId: product.producerId,
    lotCode: `L${Date.now().toString(36).toUpperCase()}${randomInt(1e6)}`.slice(0, 20),
    productionDate: new Date(Date.UTC(2025, 8, 1)),
    expiryDate: new Date(Date.UTC(2027, 8, 1)),
    quantity: 500,
    unit: 'jar',
    origin: { provinceCode: aCommune.provinceCode, communeCode: aCommune.code, placeName: 'Vườn ong đồi Đá Chông' },
    ...overrides,
  });
  return doc.toObject() as BatchDoc;
}

export type CertificationState = 'current' | 'none' | 'expired' | 'revoked';

/**
 * A producer, a product (Vietnamese name, GTIN if asked), its certification in the
 * given state and one batch: what a label run needs.
 */
export async function buildLabelledBatch(opts: { stars?: number; gtin?: boolean; certification?: CertificationState } = {}) {
  const producer = await buildProducer();
  const product = await buildProduct({
    producerId: producer._id,
    name: { vi: `Mật ong rừng Ba Vì – hũ thủy tinh ${randomInt(1e6)}`, en: null },
    group: 'food',
    gtin: opts.gtin ? true : null,
  });
  const state = opts.certification ?? 'current';
  let certification = null;
  if (state !== 'none') {
    // 37 months back: past the 36 months of validity.
    certification = await buildCertification({ productId: product._id, stars: opts.stars ?? 4, ...(state === 'expired' ? { decisionDate: monthsAgo(37) } : {}) });
    if (state === 'revoked') certification = await revokeCertification(certification._id, 'quality inspection failed', systemPrincipal);
  }
  const batch = await buildBatch(product);
  return { producer, product, certification, batch };
}
