import { IdempotencyKeyModel, IdempotentAnswerModel } from '../../../src/idempotency/idempotency.model.js';
import { claimIdOf, fingerprintOf, IDEMPOTENCY_LEASE_MS } from '../../../src/idempotency/idempotency.service.js';

/**
 * Idempotency-Keys in the states that only a crash, a database failing mid-request or
 * the passing of a day leave behind. Written to the model on purpose: no request can
 * stop at those points on demand. `apiKey` is the key text (`ok_<id>_<secret>`), the
 * request is described as the client sends it.
 */
type Request = { apiKey: string; idempotencyKey: string; path: string; body: unknown };

const apiKeyIdOf = (apiKey: string) => apiKey.split('_')[1] ?? '';

function claimOf(r: Request) {
  return { _id: claimIdOf(apiKeyIdOf(r.apiKey), r.idempotencyKey), fingerprint: fingerprintOf('POST', r.path, r.body), token: 'left-by-test', createdAt: new Date() };
}

/** A first attempt still running (within its lease), as a concurrent request sees it. */
export async function leaveRunningAttempt(r: Request): Promise<void> {
  await IdempotencyKeyModel.create({ ...claimOf(r), leaseUntil: new Date(Date.now() + IDEMPOTENCY_LEASE_MS), recordId: null });
}

/**
 * A first attempt whose answer was lost after it reserved `recordId` (its instance
 * stopped, or the database failed around its write): its lease is over and it may or
 * may not have made the record.
 */
export async function leaveLostAnswer(r: Request & { recordId: string }): Promise<void> {
  await IdempotencyKeyModel.create({ ...claimOf(r), leaseUntil: new Date(Date.now() - 1), recordId: r.recordId, uncertain: true });
}

/** Moves a key's first use (and its stored answer's) `ms` into the past, as if that much time had gone by. */
export async function ageIdempotencyKey(r: Pick<Request, 'apiKey' | 'idempotencyKey'>, ms: number): Promise<void> {
  const _id = claimIdOf(apiKeyIdOf(r.apiKey), r.idempotencyKey);
  const doc = await IdempotencyKeyModel.findById(_id).lean();
  if (!doc) throw new Error('no such idempotency key to age');
  const createdAt = new Date(doc.createdAt.getTime() - ms);
  await IdempotencyKeyModel.updateOne({ _id }, { $set: { createdAt } });
  await IdempotentAnswerModel.updateOne({ _id }, { $set: { createdAt } });
}
