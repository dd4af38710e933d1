import { createHash, timingSafeEqual } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import { ApiKeyModel, type Role } from './api-key.model.js';

const alnum = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const newKeyId = customAlphabet(alnum, 12);
const newSecret = customAlphabet(alnum, 40); // ≈ 238 bits: a fast hash is enough

export type Principal = Readonly<{ keyId: string; role: Role; producerId: string | null }>;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Key text: ok_<id>_<secret>. The id finds the record by _id; the secret is checked against its hash. */
export async function createApiKey(input: {
  role: Role;
  label: string;
  producerId?: string | null;
}): Promise<{ key: string; principal: Principal }> {
  const id = newKeyId();
  const secret = newSecret();
  const producerId = input.role === 'producer' ? (input.producerId ?? null) : null;
  await ApiKeyModel.create({ _id: id, secretHash: hashSecret(secret), role: input.role, producerId, label: input.label });
  return { key: `ok_${id}_${secret}`, principal: { keyId: id, role: input.role, producerId } };
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
  return { keyId: doc._id, role: doc.role, producerId: doc.producerId ?? null };
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
