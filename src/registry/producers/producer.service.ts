import { ProducerModel, type ProducerDoc } from './producer.model.js';
import type { ProducerCreateInput, ProducerListQuery, ProducerPatchInput } from './producer.schema.js';
import { pagingOf, type Page } from '../../paging.js';
import { containsPattern, foldForSearch } from '../text-search.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Principal } from '../../policy/principal.js';
import type { Action } from '../../policy/policy-table.js';
import { conflict, notFound } from '../../errors/app-error.js';
import { isDuplicateKeyError } from '../../db.js';
import { ID_PATTERN } from '../../ids.js';
import { assertClientWaiting, reservedId } from '../../create-options.js';
import { recordChange } from '../../changes/changes.service.js';
import { assertMay, listProvinces } from '../../policy/policy.js';
import { forgetProducerProvince, provinceOfAddress } from './producer-province.js';
import { importingField, VISIBLE, type ImportOptions } from '../import-visibility.js';

export { provinceOfProducer, producerResource, provinceOfAddress, provincesOfProducers } from './producer-province.js';

/** A stored producer as plain data; the address is required by the schema, so never missing. */
export type ProducerRecord = Omit<ProducerDoc, 'address'> & { address: NonNullable<ProducerDoc['address']> };

async function duplicateRegistration(registrationNumber: string) {
  const existing = await ProducerModel.findOne({ registrationNumber }, { _id: 1 }).lean();
  return conflict(
    'producer/duplicate_registration',
    `A producer with registration number ${registrationNumber} is already registered.`,
    existing ? { existingProducerId: existing._id } : undefined,
  );
}

export async function createProducer(input: ProducerCreateInput, actor: Principal, opts?: ImportOptions): Promise<ProducerRecord> {
  let doc;
  assertMay(actor, 'producer.create', { province: provinceOfAddress(input.address) });
  assertClientWaiting(opts);
  try {
    doc = await ProducerModel.create({
      ...reservedId(opts),
      ...importingField(opts),
      name: input.name,
      searchName: foldForSearch(input.name),
      kind: input.kind,
      registrationNumber: input.registrationNumber,
      address: { street: null, legacyDistrict: null, ...input.address },
      contact: { person: null, phone: null, email: null, ...input.contact },
      publicContact: { phone: null, website: null, ...input.publicContact },
    });
  } catch (err) {
    // The unique index decides, so two concurrent creates cannot both succeed.
    if (isDuplicateKeyError(err)) throw await duplicateRegistration(input.registrationNumber);
    throw err;
  }
  await recordAudit(actor, 'producer.create', { type: 'producer', id: doc._id }, { registrationNumber: input.registrationNumber });
  return doc.toObject() as ProducerRecord;
}

/** True when no producer is registered yet (a new installation). */
export async function registryIsEmpty(): Promise<boolean> {
  return !(await ProducerModel.exists({}));
}

export async function findProducer(id: string): Promise<ProducerRecord | null> {
  if (!ID_PATTERN.test(id)) return null;
  return ProducerModel.findById(id).lean<ProducerRecord>();
}

export async function getProducer(id: string): Promise<ProducerRecord> {
  const producer = await findProducer(id);
  if (!producer) throw notFound('producer/not_found', `No producer with id ${id}.`);
  return producer;
}

/**
 * The producer, for a caller about to act on it under `action` (a screen's page or form
 * of it): 404 for none, 403 when it lies outside the caller's provinces, before anything
 * is shown or written.
 */
export async function getProducerFor(actor: Principal, id: string, action: Action): Promise<ProducerRecord> {
  const producer = await getProducer(id);
  assertMay(actor, action, { producerId: producer._id, province: provinceOfAddress(producer.address) });
  return producer;
}

export async function updateProducer(id: string, patch: ProducerPatchInput, actor: Principal): Promise<ProducerRecord> {
  const current = await getProducer(id);
  // An office changes its own province's producers, and cannot move one out of its province.
  assertMay(actor, 'producer.update', { producerId: id, province: provinceOfAddress(current.address) });
  if (patch.address) assertMay(actor, 'producer.update', { producerId: id, province: provinceOfAddress(patch.address) });
  const set: Record<string, unknown> = {};
  if (patch.name !== undefined) Object.assign(set, { name: patch.name, searchName: foldForSearch(patch.name) });
  if (patch.kind !== undefined) set.kind = patch.kind;
  if (patch.registrationNumber !== undefined) set.registrationNumber = patch.registrationNumber;
  if (patch.address !== undefined) set.address = { street: null, legacyDistrict: null, ...patch.address };
  // Contact fields merge into what is stored; the whole sub-document is written back.
  if (patch.contact !== undefined) set.contact = { ...current.contact, ...patch.contact };
  if (patch.publicContact !== undefined) set.publicContact = { phone: null, website: null, ...current.publicContact, ...patch.publicContact };
  let updated: ProducerRecord | null;
  try {
    updated = await ProducerModel.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', runValidators: true }).lean<ProducerRecord>();
  } catch (err) {
    if (isDuplicateKeyError(err) && patch.registrationNumber) throw await duplicateRegistration(patch.registrationNumber);
    throw err;
  }
  if (!updated) throw notFound('producer/not_found', `No producer with id ${id}.`);
  if (patch.address) forgetProducerProvince(id);
  await recordChange({ kind: 'producer', id });
  await recordAudit(actor, 'producer.update', { type: 'producer', id, provinces: [provinceOfAddress(current.address)] }, { fields: Object.keys(patch).filter((k) => patch[k as keyof ProducerPatchInput] !== undefined) });
  return updated;
}

/**
 * Stable order: oldest first, so new producers land on the last page instead of shifting
 * the others. A `viewer` kept to some provinces (a provincial office, an inspector) lists
 * its provinces' producers only; without one, or for the public, every province.
 */
export async function listProducers(query: ProducerListQuery, viewer?: Principal | null): Promise<Page<ProducerRecord>> {
  const filter: Record<string, unknown> = { ...VISIBLE };
  const provinces = listProvinces(viewer ?? null, 'producer.read', query.province);
  if (provinces) filter['address.provinceCode'] = provinces.length === 1 ? provinces[0] : { $in: provinces };
  if (query.kind) filter.kind = query.kind;
  if (query.q) filter.searchName = { $regex: containsPattern(query.q) };
  const paging = pagingOf(query);
  const [items, total] = await Promise.all([
    ProducerModel.find(filter).sort({ createdAt: 1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<ProducerRecord[]>(),
    ProducerModel.countDocuments(filter),
  ]);
  return { items, page: { ...paging, total } };
}

export async function producerIdsInProvince(provinceCode: string): Promise<string[]> {
  return producerIdsInProvinces([provinceCode]);
}

/** The ids of the producers of these provinces, for lists of other records kept to a scope. */
export async function producerIdsInProvinces(provinceCodes: readonly string[]): Promise<string[]> {
  if (provinceCodes.length === 0) return [];
  const filter = provinceCodes.length === 1 ? { 'address.provinceCode': provinceCodes[0] } : { 'address.provinceCode': { $in: [...provinceCodes] } };
  const rows = await ProducerModel.find(filter, { _id: 1 }).lean();
  return rows.map((r) => r._id);
}

/** Producers by id, for presenting lists of products or certifications in one round trip. */
export async function producersByIds(ids: string[]): Promise<Map<string, ProducerRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await ProducerModel.find({ _id: { $in: [...new Set(ids)] } }).lean<ProducerRecord[]>();
  return new Map(rows.map((r) => [r._id, r]));
}

/** The fields of a producer the public registry lists: never its contact or street. */
export type ProducerSummary = Pick<ProducerRecord, '_id' | 'name' | 'kind'> & { address: Pick<ProducerRecord['address'], 'provinceCode' | 'communeCode'> };

/** Every producer, public fields only, streamed with a cursor (for the public registry's index). */
export function producerSummaries(): AsyncIterable<ProducerSummary> {
  return ProducerModel.find({ ...VISIBLE }, { name: 1, kind: 1, 'address.provinceCode': 1, 'address.communeCode': 1 })
    .lean<ProducerSummary[]>()
    .cursor({ batchSize: 500 }) as AsyncIterable<ProducerSummary>;
}

/** The producer registered under this number (as stored: upper case, no spaces), or null. */
export async function findProducerByRegistration(registrationNumber: string): Promise<ProducerRecord | null> {
  return ProducerModel.findOne({ registrationNumber }).lean<ProducerRecord>();
}
