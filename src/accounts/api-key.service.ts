import { createHash, timingSafeEqual } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { ApiKeyModel } from './api-key.model.js';
import type { Principal, Role, Scope } from '../policy/principal.js';
import { conflict, forbidden, invalidInput, notFound } from '../errors/app-error.js';
import { provincesOf } from '../policy/policy.js';
import { findProvince } from '../reference/admin-units.js';
import { accountListFilter, assertMayManageAccount, auditPlaceOf } from './account-scope.js';
import type { Page, Paging } from '../paging.js';
import { findProducer } from '../registry/producers/producer.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { assertClientWaiting, type CreateOptions } from '../create-options.js';
import { principalOfUserKey } from './user.service.js';

const alnum = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A key's public id (12 letters or digits); a creating request's Idempotency-Key reserves one. */
export const newApiKeyId = customAlphabet(alnum, 12);
const newSecret = customAlphabet(alnum, 40); // ≈ 238 bits: a fast hash is enough

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Key text: ok_<id>_<secret>. The id finds the record by _id; the secret is checked against its hash. */
export async function createApiKey(
  input: {
    role: Role;
    label: string;
    producerId?: string | null;
    userId?: string | null;
    createdBy?: string | null;
    /** Role admin: the province office (null or unset: national). */
    province?: string | null;
    /** Role inspector: the provinces it works in (unset: nationwide). */
    provinces?: readonly string[] | null;
  },
  opts?: CreateOptions,
): Promise<{ key: string; principal: Principal }> {
  const id = opts?.id ?? newApiKeyId();
  const secret = newSecret();
  const producerId = input.role === 'producer' ? (input.producerId ?? null) : null;
  const province = input.role === 'admin' ? (input.province ?? null) : null;
  const provinces = input.role === 'inspector' && input.provinces ? [...input.provinces] : undefined;
  assertClientWaiting(opts);
  await ApiKeyModel.create({
    _id: id,
    secretHash: hashSecret(secret),
    role: input.role,
    producerId,
    province,
    ...(provinces ? { provinces } : {}),
    label: input.label,
    userId: input.userId ?? null,
    createdBy: input.createdBy ?? input.userId ?? null,
  });
  const scope = scopeOfKey({ role: input.role, province, provinces });
  return { key: `ok_${id}_${secret}`, principal: { keyId: id, role: input.role, producerId, ...(scope ? { scope } : {}) } };
}

/** A machine key's scope: an admin key's province office, an inspector key's provinces; none for a national or producer key. */
function scopeOfKey(d: { role: Role; province?: string | null; provinces?: readonly string[] | null }): Scope | undefined {
  if (d.role === 'admin' && d.province) return { province: d.province };
  if (d.role === 'inspector' && d.provinces) return { provinces: [...d.provinces] };
  return undefined;
}

export async function authenticateApiKey(key: string): Promise<Principal | null> {
  const m = /^ok_([0-9A-Za-z]{12})_([0-9A-Za-z]{40})$/.exec(key);
  if (!m) return null;
  const [, id, secret] = m as unknown as [string, string, string];
  const doc = await ApiKeyModel.findById(id).lean();
  if (!doc || doc.revokedAt) return null;
  const expected = Buffer.from(doc.secretHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  if (doc.userId) return principalOfUserKey(doc.userId, doc._id);
  const scope = scopeOfKey(doc);
  return { keyId: doc._id, role: doc.role, producerId: doc.producerId ?? null, ...(scope ? { scope } : {}) };
}

/**
 * On an empty database there is no way in: make one admin key and hand it back so
 * the caller prints it once. Returns null when an admin key already exists.
 */
export async function ensureBootstrapAdminKey(): Promise<string | null> {
  const existing = await ApiKeyModel.exists({ role: 'admin' });
  if (existing) return null;
  const { key } = await createApiKey({ role: 'admin', label: 'bootstrap admin key' });
  return key;
}

// Managing keys (admin): the key text is shown once, at creation.

export type KeyView = {
  id: string;
  role: Role;
  producerId: string | null;
  /** An admin key's province office (null: national); an inspector key's provinces (null: nationwide). */
  province: string | null;
  provinces: string[] | null;
  label: string;
  /** The user the key acts as (a key made on /account), null for a machine key. */
  userId: string | null;
  createdAt: string;
  revokedAt: string | null;
};

type KeyFields = { _id: string; role: Role; producerId?: string | null; province?: string | null; provinces?: string[] | null; label: string; userId?: string | null; createdAt: Date; revokedAt?: Date | null };

const present = (d: KeyFields): KeyView => ({
  id: d._id,
  role: d.role,
  producerId: d.producerId ?? null,
  province: d.role === 'admin' ? (d.province ?? null) : null,
  provinces: d.role === 'inspector' && d.provinces ? [...d.provinces] : null,
  label: d.label,
  userId: d.userId ?? null,
  createdAt: d.createdAt.toISOString(),
  revokedAt: d.revokedAt ? d.revokedAt.toISOString() : null,
});

/**
 * A machine key made by an admin. Its scope: the national office gives an admin key a
 * `province` (or none: a national key) and an inspector key `provinces` (or none: a
 * nationwide key). A provincial office's keys are bound to its own province: an admin or
 * inspector key it makes gets its province when none is sent, and naming another
 * province is refused (403), as is a producer key for a producer of another province.
 */
export async function createApiKeyFor(
  actor: Principal,
  input: { role: Role; label: string; producerId?: string | undefined; province?: string | undefined; provinces?: readonly string[] | undefined },
  opts?: CreateOptions,
): Promise<KeyView & { key: string }> {
  if (input.producerId && !(await findProducer(input.producerId))) {
    throw notFound('producer/not_found', `No producer ${input.producerId}.`);
  }
  const unknown = [...(input.province ? [input.province] : []), ...(input.provinces ?? [])].filter((p) => !findProvince(p));
  if (unknown.length) throw invalidInput(unknown.map((p) => ({ path: input.role === 'admin' ? 'province' : 'provinces', message: `${p} is not a province code` })));
  const own = provincesOf(actor);
  const province = input.role === 'admin' ? (input.province ?? (own?.length === 1 ? own[0]! : null)) : null;
  const provinces = input.role === 'inspector' ? (input.provinces ?? own ?? null) : null;
  await assertMayManageAccount(actor, 'api_key.create', { role: input.role, producerId: input.producerId ?? null, province, provinces });
  const { key, principal } = await createApiKey({ role: input.role, label: input.label, producerId: input.producerId ?? null, province, provinces, createdBy: actor.userId ?? null }, opts);
  await recordAudit(actor, 'api_key.create', { type: 'api_key', id: principal.keyId, ...auditPlaceOf({ role: input.role, producerId: principal.producerId, province, provinces }) }, { role: input.role, producerId: principal.producerId, province, provinces });
  const doc = await ApiKeyModel.findById(principal.keyId).lean();
  if (!doc) throw notFound('api_key/not_found', 'The new key could not be read back.');
  return { ...present(doc), key };
}

/** A key without its secret, or null. */
export async function findApiKey(id: string): Promise<KeyView | null> {
  const doc = await ApiKeyModel.findById(id).lean();
  return doc ? present(doc) : null;
}

/**
 * Newest first: the key an admin just made, or is looking for, is usually recent. A
 * `viewer` kept to a province lists its province's keys (account-scope.ts).
 */
export async function listApiKeys(paging: Paging, viewer?: Principal | null): Promise<Page<KeyView>> {
  const filter = (await accountListFilter(viewer)) ?? {};
  const [docs, total] = await Promise.all([
    ApiKeyModel.find(filter).sort({ createdAt: -1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean(),
    ApiKeyModel.countDocuments(filter),
  ]);
  return { items: docs.map(present), page: { ...paging, total } };
}

export async function revokeApiKey(actor: Principal, id: string): Promise<KeyView> {
  const doc = await ApiKeyModel.findById(id).lean();
  if (!doc) throw notFound('api_key/not_found', `No API key ${id}.`);
  await assertMayManageAccount(actor, 'api_key.revoke', doc);
  if (doc.revokedAt) throw conflict('api_key/already_revoked', `API key ${id} is already revoked.`);
  if (doc._id === actor.keyId) throw conflict('api_key/revoke_self', 'A key cannot revoke itself: use another admin key.');
  const revokedAt = new Date();
  await ApiKeyModel.updateOne({ _id: id }, { $set: { revokedAt } });
  await recordAudit(actor, 'api_key.revoke', { type: 'api_key', id, ...auditPlaceOf(doc) });
  return present({ ...doc, revokedAt });
}

// A user's own keys (/account): made for the user, acting as the user.

/** A key acting as the logged-in user: their role and producer, for as long as their account works. */
export async function createOwnApiKey(actor: Principal, label: string): Promise<KeyView & { key: string }> {
  if (!actor.userId) throw forbidden('Only a logged-in user has keys of their own: log in on /login.');
  // The account's scope is copied for the office's lists; the account decides what the key may (principalOfUserKey).
  const { key, principal } = await createApiKey({ role: actor.role, label, producerId: actor.producerId, userId: actor.userId, province: actor.scope?.province ?? null, provinces: actor.scope?.provinces ?? null });
  await recordAudit(actor, 'api_key.create', { type: 'api_key', id: principal.keyId, ...auditPlaceOf({ role: actor.role, producerId: principal.producerId, province: actor.scope?.province ?? null, provinces: actor.scope?.provinces ?? null }) }, { role: actor.role, producerId: principal.producerId, userId: actor.userId });
  const doc = await ApiKeyModel.findById(principal.keyId).lean();
  if (!doc) throw notFound('api_key/not_found', 'The new key could not be read back.');
  return { ...present(doc), key };
}

/** The user's own keys, newest first (at most 100: a person has a few). */
export async function listOwnApiKeys(userId: string): Promise<KeyView[]> {
  const docs = await ApiKeyModel.find({ userId }).sort({ createdAt: -1, _id: 1 }).limit(100).lean();
  return docs.map(present);
}

/** Revokes one of the user's own keys; another's key is "not found" to them. */
export async function revokeOwnApiKey(actor: Principal, id: string): Promise<KeyView> {
  const doc = await ApiKeyModel.findById(id).lean();
  if (!doc || !actor.userId || doc.userId !== actor.userId) throw notFound('api_key/not_found', `You have no API key ${id}.`);
  if (doc.revokedAt) throw conflict('api_key/already_revoked', `API key ${id} is already revoked.`);
  const revokedAt = new Date();
  await ApiKeyModel.updateOne({ _id: id }, { $set: { revokedAt } });
  await recordAudit(actor, 'api_key.revoke', { type: 'api_key', id, ...auditPlaceOf(doc) });
  return present({ ...doc, revokedAt });
}
