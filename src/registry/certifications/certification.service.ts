import { CertificationModel } from './certification.model.js';
import { certificationsOfProduct, currentCertificationFor, type CertificationRecord } from './certification.reads.js';
import { certificationSlots } from './certification-slot.model.js';
import { appendSlot, readSlots } from '../../slots.js';
export type { CertificationRecord } from './certification.reads.js';
import type { CertificationCreateInput, CertificationListQuery } from './certification.schema.js';
import { validUntilFor } from './certification-status.js';
import {
  allowedAuthorityLevels,
  decisionDateToDate,
  defaultAuthorityLevel,
  defaultAuthorityName,
  scoreBandOf,
  starsForScore,
} from './certification-rules.js';
import { pagingOf, type Page } from '../../paging.js';
import { findProvince } from '../../reference/admin-units.js';
import { getProduct } from '../products/product.service.js';
import { findProducer, producerIdsInProvinces, producerResource } from '../producers/producer.service.js';
import { assertMay, listProvinces } from '../../policy/policy.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Principal } from '../../policy/principal.js';
import { badRequest, conflict, notFound } from '../../errors/app-error.js';
import { allOf, guardedById, isDuplicateKeyError } from '../../db.js';
import { ID_PATTERN, newId } from '../../ids.js';
import { assertClientWaiting } from '../../create-options.js';
import { importingField, isVisible, VISIBLE, type ImportOptions } from '../import-visibility.js';
import { recordChange } from '../../changes/changes.service.js';

function checkRating(input: CertificationCreateInput): void {
  const earned = starsForScore(input.score);
  if (earned !== input.stars) {
    const band = scoreBandOf(input.stars);
    throw badRequest(
      'certification/score_mismatch',
      `A score of ${input.score} earns ${earned}★; ${input.stars}★ needs a score from ${band?.min} to ${band?.max}.`,
      { expectedStars: earned, scoreBand: band },
    );
  }
  const level = input.authority?.level;
  const allowed = allowedAuthorityLevels(input.stars);
  if (level && !allowed.includes(level)) {
    throw badRequest(
      'certification/authority_mismatch',
      `A ${input.stars}★ rating is issued at level ${allowed.join(' or ')}, not ${level}.`,
      { allowedLevels: allowed },
    );
  }
}

async function authorityFor(input: CertificationCreateInput, producerId: string) {
  const level = input.authority?.level ?? defaultAuthorityLevel(input.stars);
  if (input.authority?.name) return { level, name: input.authority.name };
  const producer = level === 'province' ? await findProducer(producerId) : null;
  const provinceName = producer ? (findProvince(producer.address.provinceCode)?.name ?? null) : null;
  const name = defaultAuthorityName(level, provinceName, input.decisionDate);
  if (!name) throw badRequest('certification/authority_name_required', `Send authority.name: level ${level} has no default name.`);
  return { level, name };
}

/**
 * Records a rating decision. The new certification is written first and the older
 * current one is marked superseded afterwards (no transactions): a reader in between
 * still finds the right current one, because it picks the latest decision among the
 * active ones. A decision older than the current one is history and is stored superseded.
 */
export async function createCertification(
  productId: string,
  input: CertificationCreateInput,
  actor: Principal,
  opts?: ImportOptions,
): Promise<CertificationRecord> {
  const product = await getProduct(productId);
  // A provincial office records 1–4★ decisions of its province's products; 5★ is the national office's.
  const resource = await producerResource(actor, product.producerId);
  assertMay(actor, 'certification.create', { ...resource, stars: input.stars });
  checkRating(input);
  const [authority, current] = await Promise.all([authorityFor(input, product.producerId), currentCertificationFor(product._id)]);
  // Nor does it re-rate a product over the ministry's decision.
  if (current) assertMay(actor, 'certification.create', { ...resource, stars: current.stars }, { where: `Product ${product._id} holds a ${current.stars}★ decision (${current.decisionNumber}), which a new one would supersede: ` });
  const decisionDate = decisionDateToDate(input.decisionDate);
  const now = new Date();
  const olderThanCurrent = current !== null && current.decisionDate > decisionDate;
  let created: CertificationRecord;
  // Listed first, so no certification ever exists outside its product's list (one that
  // then fails to be created leaves a position that reads as nothing).
  const _id = opts?.id ?? newId();
  assertClientWaiting(opts); // before the first write, the list's slot
  await appendSlot(certificationSlots, product._id, _id);
  try {
    const doc = await CertificationModel.create({
      _id,
      ...importingField(opts),
      productId: product._id,
      producerId: product.producerId,
      stars: input.stars,
      score: input.score,
      decisionNumber: input.decisionNumber,
      authority,
      decisionDate,
      validUntil: validUntilFor(decisionDate),
      ...(olderThanCurrent
        ? { status: 'superseded', supersededBy: current._id, statusChangedAt: now, statusReason: 'recorded after a later decision' }
        : { status: 'active' }),
    });
    created = doc.toObject() as CertificationRecord;
  } catch (err) {
    if (isDuplicateKeyError(err)) {
      throw conflict(
        'certification/duplicate_decision',
        `Decision ${input.decisionNumber} of ${input.decisionDate} is already recorded for this product.`,
      );
    }
    throw err;
  }
  // Written hidden by an import: it supersedes nothing, and changes no one's view, until the import publishes it.
  const superseded = olderThanCurrent || opts?.importing ? [] : await supersedeEarlier(created);
  await recordAudit(actor, 'certification.create', { type: 'certification', id: created._id, producerId: product.producerId }, {
    productId: product._id,
    stars: created.stars,
    decisionNumber: created.decisionNumber,
    supersedes: superseded,
  });
  if (!opts?.importing) await settleNewCertification(created, superseded, actor);
  return created;
}

/**
 * What follows a certification becoming public: the product's current certification is
 * another one now, and each one it superseded reads superseded.
 */
async function settleNewCertification(created: CertificationRecord, superseded: readonly string[], actor: Principal): Promise<void> {
  for (const id of [created._id, ...superseded]) await recordChange({ kind: 'certification', id, productId: created.productId });
  await Promise.all(superseded.map((id) => recordAudit(actor, 'certification.supersede', { type: 'certification', id, producerId: created.producerId }, { supersededBy: created._id })));
}

/**
 * A certification an import wrote hidden, once the import has published it: supersedes
 * the product's earlier decisions as a certification recorded by hand does at once.
 * Idempotent (a resumed import calls it again: nothing earlier is active any more).
 */
export async function settleImportedCertification(id: string, actor: Principal): Promise<void> {
  const cert = await findCertification(id);
  if (!cert || !isVisible(cert)) return;
  const superseded = cert.status === 'active' ? await supersedeEarlier(cert) : [];
  await settleNewCertification(cert, superseded, actor);
}

/** Marks the product's active certifications that come before `latest` as superseded by it. */
async function supersedeEarlier(latest: CertificationRecord): Promise<string[]> {
  const d = latest.decisionDate.getTime();
  const c = latest.createdAt.getTime();
  const before = (e: CertificationRecord) => {
    const ed = e.decisionDate.getTime();
    const ec = e.createdAt.getTime();
    return ed < d || (ed === d && (ec < c || (ec === c && e._id < latest._id)));
  };
  const ids = (await certificationsOfProduct(latest.productId)).filter((e) => e.status === 'active' && before(e)).map((e) => e._id);
  const set = { status: 'superseded', supersededBy: latest._id, statusChangedAt: new Date(), statusReason: 're-rated by a later decision' };
  await Promise.all(ids.map((id) => CertificationModel.updateOne(guardedById(id, { status: 'active' }), { $set: set })));
  return ids;
}

/**
 * Lists every certification in its product's list (certification-slot.model.ts), for
 * certifications recorded before the lists existed. Idempotent; run once at start.
 */
export async function backfillCertificationSlots(): Promise<number> {
  const byProduct = new Map<string, string[]>();
  for await (const cert of CertificationModel.find({}, { productId: 1 }).lean<Pick<CertificationRecord, '_id' | 'productId'>[]>().cursor() as AsyncIterable<Pick<CertificationRecord, '_id' | 'productId'>>) {
    byProduct.set(cert.productId, [...(byProduct.get(cert.productId) ?? []), cert._id]);
  }
  let added = 0;
  for (const [productId, ids] of byProduct) {
    const { values } = await readSlots(certificationSlots, productId);
    for (const id of ids.filter((i) => !values.includes(i))) {
      await appendSlot(certificationSlots, productId, id);
      added++;
    }
  }
  return added;
}

export async function getCertification(id: string): Promise<CertificationRecord> {
  const cert = ID_PATTERN.test(id) ? await CertificationModel.findById(id).lean<CertificationRecord>() : null;
  if (!cert) throw notFound('certification/not_found', `No certification with id ${id}.`);
  return cert;
}

/**
 * Revokes a certification: its labels read as revoked and the mark may not be used.
 * The previous rating does not come back; the product has no current certification
 * until a new decision is recorded.
 */
export async function revokeCertification(id: string, reason: string, actor: Principal): Promise<CertificationRecord> {
  const cert = await getCertification(id);
  assertMay(actor, 'certification.revoke', { ...(await producerResource(actor, cert.producerId)), stars: cert.stars });
  const alreadyRevoked = () =>
    conflict('certification/already_revoked', `Certification ${id} was already revoked.`, { revokedAt: cert.statusChangedAt });
  if (cert.status === 'revoked') throw alreadyRevoked();
  const updated = await CertificationModel.findOneAndUpdate(
    guardedById(id, { status: { $ne: 'revoked' } }),
    { $set: { status: 'revoked', statusChangedAt: new Date(), statusReason: reason } },
    { returnDocument: 'after' },
  ).lean<CertificationRecord>();
  if (!updated) throw alreadyRevoked();
  await recordChange({ kind: 'certification', id, productId: updated.productId });
  await recordAudit(actor, 'certification.revoke', { type: 'certification', id, producerId: cert.producerId }, { reason, previousStatus: cert.status });
  return updated;
}

/**
 * Newest decisions first. `expired` and `active` are derived, so they become validUntil
 * comparisons. A `viewer` kept to some provinces lists its provinces' decisions only.
 */
export async function listCertifications(query: CertificationListQuery, viewer?: Principal | null): Promise<Page<CertificationRecord>> {
  const paging = pagingOf(query);
  const and: Record<string, unknown>[] = [{ ...VISIBLE }];
  if (query.product) and.push({ productId: query.product });
  if (query.producer) and.push({ producerId: query.producer });
  const provinces = listProvinces(viewer ?? null, 'certification.read', query.province);
  if (provinces) and.push({ producerId: { $in: await producerIdsInProvinces(provinces) } });
  if (query.stars !== undefined) and.push({ stars: query.stars });
  const now = new Date();
  if (query.status === 'active') and.push({ status: 'active', validUntil: { $gte: now } });
  else if (query.status === 'expired') and.push({ status: 'active', validUntil: { $lt: now } });
  else if (query.status) and.push({ status: query.status });
  const filter = allOf(and);
  const [items, total] = await Promise.all([
    CertificationModel.find(filter).sort({ decisionDate: -1, createdAt: -1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<CertificationRecord[]>(),
    CertificationModel.countDocuments(filter),
  ]);
  return { items, page: { ...paging, total } };
}

/** The certification with this id, or null (an import that resumes asks whether it wrote one). */
export async function findCertification(id: string): Promise<CertificationRecord | null> {
  return ID_PATTERN.test(id) ? CertificationModel.findById(id).lean<CertificationRecord>() : null;
}

/** Whether the product already has a certification of this decision (its list of certifications, by `_id` lookups). */
export async function decisionRecordedFor(productId: string, decisionNumber: string, decisionDate: string): Promise<boolean> {
  const at = decisionDateToDate(decisionDate).getTime();
  return (await certificationsOfProduct(productId)).some((c) => c.decisionNumber === decisionNumber && c.decisionDate.getTime() === at);
}
