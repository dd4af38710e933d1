import { createHash, randomUUID } from 'node:crypto';
import { isDuplicateKeyError } from '../db.js';
import { IdempotencyKeyModel, IdempotentAnswerModel, type IdempotencyKeyDoc, type IdempotentAnswerDoc } from './idempotency.model.js';

/**
 * Idempotency-Key records, without transactions or atomic updates (FerretDB has
 * neither; unique indexes hold):
 * 1. the first request with a key inserts its claim (`_id` = hash of API key id + key):
 *    of concurrent requests exactly one insert succeeds, the others read the claim;
 * 2. the claim holds the request's fingerprint (method, path, body), a lease and the id
 *    reserved for the record it creates;
 * 3. a 2xx answer is stored (inserted, once) and replayed to every repeat with the same
 *    fingerprint; a different fingerprint is refused; a repeat within the lease is told to wait;
 * 4. a 4xx answer stored nothing, so the claim is released and the key can be used
 *    again (e.g. with a corrected body);
 * 5. an attempt that ends with a 5xx, or never ends (a crash), may have written: its
 *    claim is kept, marked uncertain, and a retry after the lease takes it over with the
 *    same reserved record id — it finds the record the first attempt made, or makes it
 *    under that id, so one key never makes two records.
 * A first request that succeeds costs two inserts; lookups (which scan on FerretDB, see
 * idempotency.model.ts) happen only on repeats and failures. Keys are kept RETENTION_MS
 * from their first use, with their answer; older ones read as unused and are swept by
 * sweepExpiredIdempotencyKeys (no TTL index on FerretDB). See docs/api.md, "Retrying writes".
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * How long an attempt is taken to be running. Longer than any creating request takes
 * when the database answers (each reply is bounded to 5 s, src/db.ts); a retry within
 * it is answered 409 with Retry-After. Ending sooner would only let a retry run beside a
 * slow attempt, which the reserved record id makes harmless for the records.
 */
export const IDEMPOTENCY_LEASE_MS = 30_000;
/** How often a running service deletes expired keys (and once at start). */
export const IDEMPOTENCY_SWEEP_EVERY_MS = 60 * 60 * 1000;
const CLAIM_ROUNDS = 3;

export type StoredAnswer = { status: number; location: string | null; body: unknown };
/** The claim a request holds: its token, the record id reserved for it, and whether an earlier attempt may have written. */
export type Claim = Readonly<{ claimId: string; token: string; recordId: string | null; uncertain: boolean; createdAt: Date }>;
export type ClaimOutcome =
  | { kind: 'claimed'; claim: Claim }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'in_progress'; retryAfterMs: number }
  | { kind: 'key_reused'; firstUsedAt: Date };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The record's `_id`: keys are per API key, so one caller can never read another's answers. */
export const claimIdOf = (apiKeyId: string, idempotencyKey: string): string => sha256(`${apiKeyId}\n${idempotencyKey}`);

/** What "the same request" means: the same method, path (with query) and JSON body (spacing aside). */
export const fingerprintOf = (method: string, path: string, body: unknown): string =>
  sha256(`${method} ${path}\n${JSON.stringify(body ?? null)}`);

export async function claimIdempotencyKey(
  input: { claimId: string; fingerprint: string; newRecordId?: (() => string) | undefined },
  now = new Date(),
): Promise<ClaimOutcome> {
  const { claimId, fingerprint } = input;
  const leaseUntil = new Date(now.getTime() + IDEMPOTENCY_LEASE_MS);
  for (let round = 0; round < CLAIM_ROUNDS; round++) {
    const token = randomUUID();
    const recordId = input.newRecordId?.() ?? null;
    try {
      await IdempotencyKeyModel.create({ _id: claimId, fingerprint, token, leaseUntil, recordId, uncertain: false, createdAt: now });
      return { kind: 'claimed', claim: { claimId, token, recordId, uncertain: false, createdAt: now } };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const held = await IdempotencyKeyModel.findById(claimId).lean<IdempotencyKeyDoc>();
    if (!held) continue; // released meanwhile: claim it afresh
    if (now.getTime() - held.createdAt.getTime() >= IDEMPOTENCY_RETENTION_MS) {
      // Expired: the key is free again (and gets a new record id). Its answer goes first,
      // so that the next use of the key can never replay it.
      await IdempotentAnswerModel.deleteOne({ _id: claimId });
      await IdempotencyKeyModel.deleteOne({ _id: claimId, token: held.token });
      continue;
    }
    if (held.fingerprint !== fingerprint) return { kind: 'key_reused', firstUsedAt: held.createdAt };
    const answer = await IdempotentAnswerModel.findById(claimId).lean<IdempotentAnswerDoc>();
    // An answer carries its key's first use: one left from an earlier use of the key is not this one's.
    if (answer && answer.createdAt.getTime() === held.createdAt.getTime()) return { kind: 'replay', answer: answerOf(answer) };
    const wait = held.leaseUntil.getTime() - now.getTime();
    if (wait > 0) return { kind: 'in_progress', retryAfterMs: wait };
    // Its attempt ended without an answer, or its process is gone: take over, keeping
    // the reserved record id so that whatever the earlier attempt wrote is found, not repeated.
    const taken = await IdempotencyKeyModel.updateOne({ _id: claimId, token: held.token }, { $set: { token, leaseUntil, uncertain: true } });
    if (taken.matchedCount === 0) continue; // another retry took it first
    return { kind: 'claimed', claim: { claimId, token, recordId: held.recordId ?? null, uncertain: true, createdAt: held.createdAt } };
  }
  return { kind: 'in_progress', retryAfterMs: 1_000 };
}

function answerOf(doc: IdempotentAnswerDoc): StoredAnswer {
  return { status: doc.status, location: doc.location ?? null, body: JSON.parse(doc.body) as unknown };
}

/**
 * Stores the answer every repeat replays. Any attempt under the key may: all share one
 * record id, so a 2xx is the outcome; the first stored stays.
 */
export async function storeIdempotentAnswer(claim: Claim, answer: StoredAnswer): Promise<void> {
  try {
    await IdempotentAnswerModel.create({
      _id: claim.claimId,
      createdAt: claim.createdAt,
      status: answer.status,
      location: answer.location,
      body: JSON.stringify(answer.body ?? null),
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
}

/** Frees the key after an answer that wrote nothing (a 4xx): the next request with it runs afresh. */
export async function releaseIdempotencyKey(claim: Claim): Promise<void> {
  await IdempotencyKeyModel.deleteOne({ _id: claim.claimId, token: claim.token });
}

/** Ends an attempt that may have written (a 5xx): a retry may take over at once, with the same record id. */
export async function endUncertainAttempt(claim: Claim): Promise<void> {
  await IdempotencyKeyModel.updateOne({ _id: claim.claimId, token: claim.token }, { $set: { leaseUntil: new Date(), uncertain: true } });
}

/** Deletes keys (and their answers) first used before the retention; returns how many keys. */
export async function sweepExpiredIdempotencyKeys(now = new Date()): Promise<number> {
  const expired = { createdAt: { $lt: new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS) } };
  // Answers first: a key is never left without its claim while its answer stays.
  await IdempotentAnswerModel.deleteMany(expired);
  const { deletedCount } = await IdempotencyKeyModel.deleteMany(expired);
  return deletedCount;
}
