import { ProductModel, gtinKeyOf, type ProductDoc } from './product.model.js';
import { productGtins } from './product-gtin.model.js';
import { claimKey, holderOf, releaseKey } from '../../claims.js';
import type { ProductCreateInput, ProductListQuery, ProductPatchInput } from './product.schema.js';
import { CURRENT_GROUP_LIST_VERSION } from '../../reference/product-groups.js';
import { normalizeGtin } from './gtin.js';
import { pagingOf, type Page } from '../../paging.js';
import { containsPattern, foldForSearch } from '../text-search.js';
import { findProducer, producerIdsInProvinces, producerResource, provinceOfAddress } from '../producers/producer.service.js';
import { assertMay, listProvinces } from '../../policy/policy.js';
import { productIdsWithCurrentCertification } from '../certifications/certification.reads.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Principal } from '../../policy/principal.js';
import type { Action } from '../../policy/policy-table.js';
import { badRequest, conflict, notFound } from '../../errors/app-error.js';
import { allOf, guardedById, isDuplicateKeyError } from '../../db.js';
import { ID_PATTERN, newId } from '../../ids.js';
import { assertClientWaiting } from '../../create-options.js';
import { recordChange } from '../../changes/changes.service.js';
import { importingField, VISIBLE, type ImportOptions } from '../import-visibility.js';

/** A stored product as plain data; the name is required by the schema, so never missing. */
export type ProductRecord = Omit<ProductDoc, 'name'> & { name: NonNullable<ProductDoc['name']> };

const searchNameOf = (name: { vi: string; en?: string | null }) => foldForSearch(`${name.vi} ${name.en ?? ''}`);

async function duplicateGtin(gtin: string, holderId?: string) {
  // A product being created at this moment holds the claim before it can be read: name it by the claim.
  const existingProductId = holderId ?? (await findProductByGtin(gtin))?._id ?? (await productGtins.read(gtin))?.value;
  return conflict('product/duplicate_gtin', `Another product already carries GTIN ${gtin}.`, existingProductId ? { existingProductId } : undefined);
}

/** Whether a product carries the GTIN now (its claim may outlive a product that never was or gave it up). */
const carries = (gtin: string) => async (productId: string) => (await findProduct(productId))?.gtin === gtin;

/**
 * After the products' unique gtinKey index refused a write: a product made before GTIN
 * claims existed, or a concurrent request that took the claim over and won. Rare: the
 * claim is pointed at the product that carries the GTIN, found with a query on gtinKey.
 */
async function repairGtinClaim(gtin: string): Promise<string | undefined> {
  const holder = await ProductModel.findOne({ gtinKey: gtin }, { _id: 1 }).lean();
  if (holder) await productGtins.set(gtin, holder._id);
  return holder?._id;
}

export async function createProduct(input: ProductCreateInput, actor: Principal, opts?: ImportOptions): Promise<ProductRecord> {
  const gtin = input.gtin ? normalizeGtin(input.gtin) : null;
  const producer = await findProducer(input.producerId);
  if (!producer) throw badRequest('product/unknown_producer', `No producer with id ${input.producerId}: register the producer first.`);
  assertMay(actor, 'product.create', { producerId: producer._id, province: provinceOfAddress(producer.address) });
  const _id = opts?.id ?? newId();
  const name = { vi: input.name.vi, en: input.name.en ?? null };
  // The GTIN is claimed first (product-gtin.model.ts): the claim decides between concurrent requests.
  const holder = gtin ? await claimKey(productGtins, gtin, _id, carries(gtin)) : null;
  if (gtin && holder) throw await duplicateGtin(gtin, holder);
  let doc;
  assertClientWaiting(opts);
  try {
    doc = await ProductModel.create({
      _id,
      ...importingField(opts),
      producerId: producer._id,
      name,
      searchName: searchNameOf(name),
      group: input.group,
      groupListVersion: CURRENT_GROUP_LIST_VERSION,
      gtin,
      gtinKey: gtinKeyOf(gtin, _id),
      description: input.description ?? null,
      images: input.images ?? [],
      standards: input.standards ?? [],
    });
  } catch (err) {
    if (isDuplicateKeyError(err) && gtin) {
      throw await duplicateGtin(gtin, await repairGtinClaim(gtin));
    }
    if (gtin) await releaseKey(productGtins, gtin, _id).catch(() => undefined);
    throw err;
  }
  await recordAudit(actor, 'product.create', { type: 'product', id: _id, producerId: producer._id }, { producerId: producer._id, gtin });
  return doc.toObject() as ProductRecord;
}

export async function findProduct(id: string): Promise<ProductRecord | null> {
  if (!ID_PATTERN.test(id)) return null;
  return ProductModel.findById(id).lean<ProductRecord>();
}

/** The product with this GTIN-14, or null: by _id lookups (product-gtin.model.ts). */
export async function findProductByGtin(gtin: string): Promise<ProductRecord | null> {
  return holderOf(productGtins, gtin, async (id) => {
    const product = await findProduct(id);
    return product?.gtin === gtin ? product : null;
  });
}

/**
 * Claims the GTIN of every product that has one and no claim (products made before
 * claims existed), so findProductByGtin finds it. Idempotent; run once at start.
 */
export async function backfillProductGtins(): Promise<number> {
  let written = 0;
  for await (const p of ProductModel.find({ gtin: { $ne: null } }, { gtin: 1 }).lean<ProductRecord[]>().cursor() as AsyncIterable<ProductRecord>) {
    if (!p.gtin || (await productGtins.read(p.gtin))?.value === p._id) continue;
    await claimKey(productGtins, p.gtin, p._id, carries(p.gtin));
    written++;
  }
  return written;
}

export async function getProduct(id: string): Promise<ProductRecord> {
  const product = await findProduct(id);
  if (!product) throw notFound('product/not_found', `No product with id ${id}.`);
  return product;
}

/** The product, for a caller about to act on it under `action`: 404 for none, 403 when its producer lies outside the caller's provinces. */
export async function getProductFor(actor: Principal, id: string, action: Action): Promise<ProductRecord> {
  const product = await getProduct(id);
  assertMay(actor, action, await producerResource(actor, product.producerId));
  return product;
}

/**
 * Fixes the product key printed on labels (its GTIN, or /p/{id} without one): the label
 * runs call this before they write their first label, so no label can exist with a key
 * the product may still change. Idempotent; the first date is kept.
 */
export async function lockProductKey(productId: string, at: Date = new Date()): Promise<void> {
  // Read first, by _id: a product labelled before (the usual case) needs no write.
  const product = await ProductModel.findById(productId, { labelledSince: 1 }).lean();
  if (!product || product.labelledSince) return;
  await ProductModel.updateOne(guardedById(productId, { labelledSince: null }), { $set: { labelledSince: at } });
}

/** lockProductKey for many products at once (products labelled before the lock existed). */
export async function lockProductKeys(productIds: readonly string[], at: Date = new Date()): Promise<void> {
  for (let i = 0; i < productIds.length; i += 1000) {
    await ProductModel.updateMany({ _id: { $in: productIds.slice(i, i + 1000) }, labelledSince: null }, { $set: { labelledSince: at } });
  }
}

function gtinLocked(product: Pick<ProductRecord, '_id' | 'gtin' | 'labelledSince'>) {
  const printed = product.gtin ? `GTIN ${product.gtin}` : `the product code /p/${product._id}`;
  const since = product.labelledSince ? product.labelledSince.toISOString().slice(0, 10) : 'now';
  return conflict(
    'product/gtin_locked',
    `Labels of product ${product._id} have carried ${printed} since ${since}, and their signatures cover it: changing the GTIN would make every printed label read as not ours. Register the new GTIN as a new product.`,
    { labelledSince: product.labelledSince ?? null },
  );
}

export async function updateProduct(id: string, patch: ProductPatchInput, actor: Principal): Promise<ProductRecord> {
  const gtin = patch.gtin ? normalizeGtin(patch.gtin) : patch.gtin; // null removes, undefined keeps
  const current = await getProduct(id);
  await assertMayChangeProduct(actor, current);
  const changesKey = gtin !== undefined && gtin !== (current.gtin ?? null);
  if (changesKey && current.labelledSince) throw gtinLocked(current);
  const set: Record<string, unknown> = {};
  if (patch.name !== undefined) {
    const name = { vi: patch.name.vi ?? current.name.vi, en: patch.name.en === undefined ? (current.name.en ?? null) : patch.name.en };
    Object.assign(set, { name, searchName: searchNameOf(name) });
  }
  // A product rated under the old list keeps its group until it is given one from the current list.
  if (patch.group !== undefined) Object.assign(set, { group: patch.group, groupListVersion: CURRENT_GROUP_LIST_VERSION });
  if (gtin !== undefined) Object.assign(set, { gtin, gtinKey: gtinKeyOf(gtin, id) });
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.images !== undefined) set.images = patch.images;
  if (patch.standards !== undefined) set.standards = patch.standards;
  // A new GTIN is claimed first; the old one is given up once the product no longer carries it.
  const newGtin = changesKey ? (gtin ?? null) : null;
  const holder = newGtin ? await claimKey(productGtins, newGtin, id, carries(newGtin)) : null;
  if (newGtin && holder) throw await duplicateGtin(newGtin, holder);
  const giveUpNew = async () => {
    if (newGtin) await releaseKey(productGtins, newGtin, id).catch(() => undefined);
  };
  let updated: ProductRecord | null;
  try {
    // A label run that started since the read above has locked the key: then nothing matches.
    const filter = changesKey ? guardedById(id, { labelledSince: null }) : { _id: id };
    updated = await ProductModel.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after', runValidators: true }).lean<ProductRecord>();
  } catch (err) {
    if (isDuplicateKeyError(err) && gtin) {
      throw await duplicateGtin(gtin, await repairGtinClaim(gtin));
    }
    await giveUpNew();
    throw err;
  }
  if (!updated) {
    await giveUpNew();
    const now = await findProduct(id);
    if (now && changesKey) throw gtinLocked(now);
    throw notFound('product/not_found', `No product with id ${id}.`);
  }
  if (changesKey && updated.labelledSince) {
    // FerretDB (no atomic guard): a label run locked the key between the read and the write.
    await ProductModel.updateOne({ _id: id }, { $set: { gtin: current.gtin ?? null, gtinKey: gtinKeyOf(current.gtin ?? null, id) } });
    await giveUpNew();
    throw gtinLocked(updated);
  }
  if (changesKey && current.gtin) await releaseKey(productGtins, current.gtin, id);
  const fields = Object.keys(patch).filter((k) => patch[k as keyof ProductPatchInput] !== undefined);
  await recordChange({ kind: 'product', id });
  await recordAudit(actor, 'product.update', { type: 'product', id, producerId: updated.producerId }, { fields });
  return updated;
}

/** An office changes the products of its own province's producers (the national office any). */
export async function assertMayChangeProduct(actor: Principal, product: Pick<ProductRecord, 'producerId'>): Promise<void> {
  assertMay(actor, 'product.update', await producerResource(actor, product.producerId));
}

/**
 * Lists products, oldest first (stable pages). A `viewer` kept to some provinces lists
 * the products of its provinces' producers only. Stars and status belong to each product's
 * current certification, which is derived, so those filters first find the matching
 * product ids among the certifications and then select products by id.
 */
export async function listProducts(query: ProductListQuery, viewer?: Principal | null): Promise<Page<ProductRecord>> {
  const paging = pagingOf(query);
  const and: Record<string, unknown>[] = [{ ...VISIBLE }];
  if (query.producer) and.push({ producerId: query.producer });
  const provinces = listProvinces(viewer ?? null, 'product.read', query.province);
  if (provinces) and.push({ producerId: { $in: await producerIdsInProvinces(provinces) } });
  if (query.group) and.push({ group: query.group });
  if (query.gtin) and.push({ gtin: normalizeGtin(query.gtin) });
  if (query.q) and.push({ searchName: { $regex: containsPattern(query.q) } });
  if (query.status === 'none') {
    if (query.stars !== undefined) return { items: [], page: { ...paging, total: 0 } }; // no certification has no stars
    and.push({ _id: { $nin: await productIdsWithCurrentCertification({}) } });
  } else if (query.stars !== undefined || query.status) {
    and.push({ _id: { $in: await productIdsWithCurrentCertification({ stars: query.stars, status: query.status }) } });
  }
  const filter = allOf(and);
  const [items, total] = await Promise.all([
    ProductModel.find(filter).sort({ createdAt: 1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<ProductRecord[]>(),
    ProductModel.countDocuments(filter),
  ]);
  return { items, page: { ...paging, total } };
}

export async function productsByIds(ids: string[]): Promise<Map<string, ProductRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await ProductModel.find({ _id: { $in: [...new Set(ids)] } }).lean<ProductRecord[]>();
  return new Map(rows.map((r) => [r._id, r]));
}

/** The fields of a product the public registry lists (src/catalogue/): no description, images or standards. */
export type ProductSummary = Pick<ProductRecord, '_id' | 'producerId' | 'name' | 'group' | 'groupListVersion' | 'gtin' | 'photo' | 'createdAt'>;

/**
 * Every product, a few fields each, streamed with a cursor (batches of 500: each reply well within the socket timeout): the
 * public registry's index and its open-data download read the whole registry without
 * holding 20,000 full documents.
 */
export function productSummaries(): AsyncIterable<ProductSummary> {
  return ProductModel.find({ ...VISIBLE }, { producerId: 1, name: 1, group: 1, groupListVersion: 1, gtin: 1, photo: 1, createdAt: 1 })
    .sort({ _id: 1 })
    .lean<ProductSummary[]>()
    .cursor({ batchSize: 500 }) as AsyncIterable<ProductSummary>;
}
