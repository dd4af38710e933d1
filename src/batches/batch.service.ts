import type { Principal } from '../accounts/api-key.service.js';
import { recordAudit } from '../accounts/audit.service.js';
import { assertCanActFor } from '../http/auth.js';
import { conflict, forbidden, notFound } from '../http/errors.js';
import { isDuplicateKeyError } from '../db.js';
import { ProductModel } from '../registry/product.model.js';
import { BatchModel, type BatchDoc } from './batch.model.js';
import type { CreateBatchInput, ListBatchesQuery } from './batch.schema.js';

export async function createBatch(principal: Principal, productId: string, input: CreateBatchInput): Promise<BatchDoc> {
  const product = await ProductModel.findById(productId).lean();
  if (!product) throw notFound('product/not_found', `No product ${productId}.`);
  assertCanActFor(principal, product.producerId);

  const { origin } = input;
  let created: BatchDoc;
  try {
    const doc = await BatchModel.create({
      productId,
      producerId: product.producerId,
      lotCode: input.lotCode,
      productionDate: input.productionDate,
      expiryDate: input.expiryDate ?? null,
      quantity: input.quantity,
      unit: input.unit,
      origin: {
        provinceCode: origin.communeCode.provinceCode,
        communeCode: origin.communeCode.code,
        placeName: origin.placeName ?? null,
        ...(origin.geo ? { geo: origin.geo } : {}),
      },
    });
    created = doc.toObject() as BatchDoc;
  } catch (err) {
    // The unique (product, lot) index decides, also between two concurrent requests.
    if (isDuplicateKeyError(err)) {
      throw conflict('batch/duplicate_lot', `Product ${productId} already has a batch with lot code ${input.lotCode}.`);
    }
    throw err;
  }
  await recordAudit(principal, 'batch.create', { type: 'batch', id: created._id }, { productId, lotCode: created.lotCode });
  return created;
}

/** A batch the principal may see (admin: any; producer: its own). */
export async function getBatch(principal: Principal, batchId: string): Promise<BatchDoc> {
  const batch = await BatchModel.findById(batchId).lean<BatchDoc>();
  if (!batch) throw notFound('batch/not_found', `No batch ${batchId}.`);
  assertCanActFor(principal, batch.producerId);
  return batch;
}

export async function listBatches(
  principal: Principal,
  query: ListBatchesQuery,
): Promise<{ items: BatchDoc[]; total: number; limit: number; offset: number }> {
  let producerId = query.producer;
  if (principal.role === 'producer') {
    if (producerId && producerId !== principal.producerId) throw forbidden('This key may list only its own producer\'s batches.');
    producerId = principal.producerId ?? undefined;
    if (!producerId) throw forbidden('This producer key is not bound to a producer.');
  }
  const filter: Record<string, string> = {};
  if (producerId) filter.producerId = producerId;
  if (query.product) filter.productId = query.product;
  const [items, total] = await Promise.all([
    BatchModel.find(filter).sort({ createdAt: -1, _id: 1 }).skip(query.offset).limit(query.limit).lean<BatchDoc[]>(),
    BatchModel.countDocuments(filter),
  ]);
  return { items, total, limit: query.limit, offset: query.offset };
}
