import { conflict, notFound } from '../http/errors.js';
import { ProducerModel } from '../registry/producer.model.js';
import { ApiKeyModel, type Role } from './api-key.model.js';
import { createApiKey, type Principal } from './api-key.service.js';
import { recordAudit } from './audit.service.js';

type KeyView = { id: string; role: Role; producerId: string | null; label: string; createdAt: string; revokedAt: string | null };

const present = (d: { _id: string; role: Role; producerId?: string | null; label: string; createdAt: Date; revokedAt?: Date | null }): KeyView => ({
  id: d._id,
  role: d.role,
  producerId: d.producerId ?? null,
  label: d.label,
  createdAt: d.createdAt.toISOString(),
  revokedAt: d.revokedAt ? d.revokedAt.toISOString() : null,
});

export async function createApiKeyFor(
  actor: Principal,
  input: { role: Role; label: string; producerId?: string | undefined },
): Promise<KeyView & { key: string }> {
  if (input.producerId && !(await ProducerModel.exists({ _id: input.producerId }))) {
    throw notFound('producer/not_found', `No producer ${input.producerId}.`);
  }
  const { key, principal } = await createApiKey({ role: input.role, label: input.label, producerId: input.producerId ?? null });
  await recordAudit(actor, 'api_key.create', { type: 'api_key', id: principal.keyId }, { role: input.role, producerId: principal.producerId });
  const doc = await ApiKeyModel.findById(principal.keyId).lean();
  if (!doc) throw notFound('api_key/not_found', 'The new key could not be read back.');
  return { ...present(doc), key };
}

export async function listApiKeys(): Promise<KeyView[]> {
  const docs = await ApiKeyModel.find().sort({ createdAt: 1 }).limit(1000).lean();
  return docs.map(present);
}

export async function revokeApiKey(actor: Principal, id: string): Promise<KeyView> {
  const doc = await ApiKeyModel.findById(id).lean();
  if (!doc) throw notFound('api_key/not_found', `No API key ${id}.`);
  if (doc.revokedAt) throw conflict('api_key/already_revoked', `API key ${id} is already revoked.`);
  if (doc._id === actor.keyId) throw conflict('api_key/revoke_self', 'A key cannot revoke itself: use another admin key.');
  const revokedAt = new Date();
  await ApiKeyModel.updateOne({ _id: id }, { $set: { revokedAt } });
  await recordAudit(actor, 'api_key.revoke', { type: 'api_key', id });
  return present({ ...doc, revokedAt });
}
