import type { Principal } from '../policy/principal.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertMay, readScope } from '../policy/policy.js';
import { conflict, notFound } from '../errors/app-error.js';
import { guardedById, isDuplicateKeyError } from '../db.js';
import { assertClientWaiting, type CreateOptions } from '../create-options.js';
import { pagingOf, type Page } from '../paging.js';
import { findProduct } from '../registry/products/product.service.js';
import { producerIdsInProvinces, producerResource } from '../registry/producers/producer.service.js';
import { BatchModel, type BatchDoc } from './batch.model.js';
import { batchLotKey, batchLots } from './batch-lot.model.js';
import { claimKey, holderOf, releaseKey } from '../claims.js';
import { newId } from '../ids.js';
import { recordChange } from '../changes/changes.service.js';
import type { CreateBatchInput, ListBatchesQuery } from './batch.schema.js';

/** A batch as plain data. */
export type BatchRecord = BatchDoc;

/** A batch by id, or null; no access check (for other features' reads: labels, events, verification). */
export async function findBatch(id: string): Promise<BatchRecord | null> {
  return BatchModel.findById(id).lean<BatchRecord>();
}

/** The batch of a product with this lot code, or null (the pair is unique): by _id lookups (batch-lot.model.ts). */
export async function findBatchByLot(productId: string, lotCode: string): Promise<BatchRecord | null> {
  return holderOf(batchLots, batchLotKey(productId, lotCode), async (id) => {
    const batch = await findBatch(id);
    return batch && batch.productId === productId && batch.lotCode === lotCode ? batch : null;
  });
}

/**
 * Claims the lot code of every batch that has no claim (batches made before claims
 * existed), so findBatchByLot finds it. Idempotent; run once at start.
 */
export async function backfillBatchLots(): Promise<number> {
  let written = 0;
  for await (const b of BatchModel.find({}, { productId: 1, lotCode: 1 }).lean<BatchRecord[]>().cursor() as AsyncIterable<BatchRecord>) {
    const key = batchLotKey(b.productId, b.lotCode);
    if ((await batchLots.read(key))?.value === b._id) continue;
    await claimKey(batchLots, key, b._id, async (id) => (await findBatch(id)) !== null);
    written++;
  }
  return written;
}

export async function batchesByIds(ids: readonly string[]): Promise<BatchRecord[]> {
  if (ids.length === 0) return [];
  return BatchModel.find({ _id: { $in: [...new Set(ids)] } }).lean<BatchRecord[]>();
}

/** The stored fields of a batch as the form or the API gives them (created or, before any label, changed). */
function batchFields(input: CreateBatchInput) {
  const { origin } = input;
  return {
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
  };
}

export async function createBatch(principal: Principal, productId: string, input: CreateBatchInput, opts?: CreateOptions): Promise<BatchDoc> {
  const product = await findProduct(productId);
  if (!product) throw notFound('product/not_found', `No product ${productId}.`);
  assertMay(principal, 'batch.create', await producerResource(principal, product.producerId));

  const duplicateLot = () => conflict('batch/duplicate_lot', `Product ${productId} already has a batch with lot code ${input.lotCode}.`);
  // The lot is claimed first: the claim decides between concurrent requests.
  const _id = opts?.id ?? newId();
  const lotKey = batchLotKey(productId, input.lotCode);
  assertClientWaiting(opts); // before the first write, the lot's claim
  if (await claimKey(batchLots, lotKey, _id, holdsLot(productId, input.lotCode))) throw duplicateLot();
  let created: BatchDoc;
  try {
    const doc = await BatchModel.create({
      _id,
      productId,
      producerId: product.producerId,
      ...batchFields(input),
    });
    created = doc.toObject() as BatchDoc;
  } catch (err) {
    if (!isDuplicateKeyError(err)) {
      await releaseKey(batchLots, lotKey, _id).catch(() => undefined);
      throw err;
    }
    // The unique (product, lot) index refused it: a batch made before lot claims existed,
    // or a concurrent request that took the claim over and won the insert. Rare: the
    // claim is pointed at the batch that holds the lot, found with a query on its fields.
    const holder = await BatchModel.findOne({ productId, lotCode: input.lotCode }, { _id: 1 }).lean();
    if (holder) await batchLots.set(lotKey, holder._id);
    throw duplicateLot();
  }
  await recordAudit(principal, 'batch.create', { type: 'batch', id: created._id, producerId: created.producerId }, { productId, lotCode: created.lotCode });
  return created;
}

/** Whether the batch `id` exists and still carries this lot (a batch may have given a lot up: updateBatch). */
const holdsLot = (productId: string, lotCode: string) => async (id: string) => {
  const b = await findBatch(id);
  return b !== null && b.productId === productId && b.lotCode === lotCode;
};

/**
 * Marks the batch labelled, before its first label is made (the label run service calls
 * it): from then on labels carry its lot code and dates, and updateBatch refuses.
 */
export async function lockBatch(batchId: string, at: Date = new Date()): Promise<void> {
  // Read first, by _id: a batch labelled before (every run after its first) needs no write.
  const batch = await BatchModel.findById(batchId, { labelledSince: 1 }).lean();
  if (!batch || batch.labelledSince) return;
  await BatchModel.updateOne(guardedById(batchId, { labelledSince: null }), { $set: { labelledSince: at } });
}

/** lockBatch for many batches at once (batches labelled before the lock existed). */
export async function lockBatches(batchIds: readonly string[], at: Date = new Date()): Promise<void> {
  for (let i = 0; i < batchIds.length; i += 1000) {
    await BatchModel.updateMany({ _id: { $in: batchIds.slice(i, i + 1000) }, labelledSince: null }, { $set: { labelledSince: at } });
  }
}

function labelsPrinted(batch: Pick<BatchRecord, '_id' | 'lotCode' | 'labelledSince'>) {
  const since = batch.labelledSince ? batch.labelledSince.toISOString().slice(0, 10) : 'now';
  return conflict(
    'batch/labels_printed',
    `Labels of batch ${batch.lotCode} (${batch._id}) have been issued since ${since}, and they carry its lot code and dates: the batch can no longer be changed. Record a new batch instead, and revoke the runs that are wrong.`,
    { labelledSince: batch.labelledSince ?? null },
  );
}

/**
 * Changes a batch (every field, as when it was created) while no label run was started
 * for it; after that 409 batch/labels_printed. A new lot code is claimed first, like a
 * new batch's, and the old one given up once the batch no longer carries it. A label
 * run that starts between the read and the write has locked the batch: on MongoDB the
 * guarded update then matches nothing; on FerretDB (no atomic guard) the write is seen
 * to have landed on a locked batch and is put back.
 */
export async function updateBatch(principal: Principal, batchId: string, input: CreateBatchInput): Promise<BatchDoc> {
  const current = await findBatch(batchId);
  if (!current) throw notFound('batch/not_found', `No batch ${batchId}.`);
  assertMay(principal, 'batch.update', await producerResource(principal, current.producerId));
  if (current.labelledSince) throw labelsPrinted(current);

  const { productId } = current;
  const lotChanges = input.lotCode !== current.lotCode;
  const newLotKey = batchLotKey(productId, input.lotCode);
  const duplicateLot = () => conflict('batch/duplicate_lot', `Product ${productId} already has a batch with lot code ${input.lotCode}.`);
  if (lotChanges && (await claimKey(batchLots, newLotKey, batchId, holdsLot(productId, input.lotCode)))) throw duplicateLot();
  const giveUpNewLot = async () => {
    if (lotChanges) await releaseKey(batchLots, newLotKey, batchId).catch(() => undefined);
  };

  const set = batchFields(input);
  let updated: BatchDoc | null;
  try {
    updated = await BatchModel.findOneAndUpdate(guardedById(batchId, { labelledSince: null }), { $set: set }, { returnDocument: 'after', runValidators: true }).lean<BatchDoc>();
  } catch (err) {
    await giveUpNewLot();
    if (isDuplicateKeyError(err)) throw duplicateLot();
    throw err;
  }
  if (!updated) {
    await giveUpNewLot();
    const now = await findBatch(batchId);
    if (now?.labelledSince) throw labelsPrinted(now);
    throw notFound('batch/not_found', `No batch ${batchId}.`);
  }
  if (updated.labelledSince) {
    // FerretDB: a label run locked the batch between the read and the write.
    const { lotCode, productionDate, expiryDate, quantity, unit, origin: before } = current;
    await BatchModel.updateOne({ _id: batchId }, { $set: { lotCode, productionDate, expiryDate: expiryDate ?? null, quantity, unit, origin: before } });
    await giveUpNewLot();
    throw labelsPrinted(updated);
  }
  if (lotChanges) await releaseKey(batchLots, batchLotKey(productId, current.lotCode), batchId);
  const fields = (Object.keys(set) as (keyof typeof set)[]).filter((k) => JSON.stringify(set[k]) !== JSON.stringify(current[k as keyof BatchDoc] ?? null));
  await recordChange({ kind: 'batch', id: batchId });
  await recordAudit(principal, 'batch.update', { type: 'batch', id: batchId, producerId: current.producerId }, { productId, fields });
  return updated;
}

/** A batch the principal may see (see 'batch.read' in the policy). */
export async function getBatch(principal: Principal, batchId: string): Promise<BatchDoc> {
  const batch = await BatchModel.findById(batchId).lean<BatchDoc>();
  if (!batch) throw notFound('batch/not_found', `No batch ${batchId}.`);
  assertMay(principal, 'batch.read', await producerResource(principal, batch.producerId));
  return batch;
}

export async function listBatches(
  principal: Principal,
  query: ListBatchesQuery,
): Promise<Page<BatchDoc>> {
  // A producer key lists its own batches; naming another producer (or, for a provincial
  // office or an inspector, one outside its provinces) is refused, not emptied.
  if (query.producer) assertMay(principal, 'batch.read', await producerResource(principal, query.producer));
  const scope = readScope(principal, 'batch.read');
  const producerId = 'producerId' in scope ? scope.producerId : query.producer;
  const filter: Record<string, unknown> = {};
  if (producerId) filter.producerId = producerId;
  else if ('provinces' in scope) filter.producerId = { $in: await producerIdsInProvinces(scope.provinces) };
  if (query.product) filter.productId = query.product;
  const paging = pagingOf(query);
  const [items, total] = await Promise.all([
    BatchModel.find(filter).sort({ createdAt: -1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<BatchDoc[]>(),
    BatchModel.countDocuments(filter),
  ]);
  return { items, page: { ...paging, total } };
}

/** What the public product page shows of a lot: no quantity, no place (a household's field is its home). */
export type BatchOnSale = Pick<BatchRecord, '_id' | 'lotCode' | 'productionDate' | 'expiryDate'>;

/**
 * The product's lots that may still be on shop shelves: not past their expiry date (a
 * lot without one counts as on sale), newest first, at most `limit`. No access check:
 * lot codes and dates are printed on every package of the lot.
 */
export async function batchesOnSale(productId: string, now: Date = new Date(), limit = 20): Promise<BatchOnSale[]> {
  return BatchModel.find(
    { productId, $or: [{ expiryDate: null }, { expiryDate: { $gte: now } }] },
    { lotCode: 1, productionDate: 1, expiryDate: 1 },
  )
    .sort({ productionDate: -1, _id: 1 })
    .limit(limit)
    .lean<BatchOnSale[]>();
}
