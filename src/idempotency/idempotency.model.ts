import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Two insert-mostly collections, so that the common path (a first request that
 * succeeds) is two inserts and never a lookup. On FerretDB 1.24 an `_id` lookup, update
 * or delete scans the whole collection on both backends (SQLite compares a path
 * expression its `_id` index does not cover; PostgreSQL uses `@>`, which the index does
 * not serve), while an insert's unique-key check does use the index. See
 * docs/operations.md, "Idempotency-Keys".
 */

/**
 * One Idempotency-Key of one API key (see idempotency.service.ts). `_id` is a SHA-256
 * of the API key id and the header's value: the unique `_id` decides which of several
 * concurrent requests with one key runs (unique indexes hold on FerretDB; atomic
 * read-modify-write does not).
 */
const idempotencyKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    /** SHA-256 of the method, the path and the body of the first request. */
    fingerprint: { type: String, required: true },
    /** The current attempt's token: only it may release or end its claim. */
    token: { type: String, required: true },
    /** Until then the attempt holding the claim is taken to be running; after, a retry may take over. */
    leaseUntil: { type: Date, required: true },
    /** Id reserved for the record the request creates (null where a route reserves none). */
    recordId: { type: String, default: null },
    /** An attempt ended without an answer (a 5xx, a crash): its writes may have happened. */
    uncertain: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// The sweep of expired keys (there is no TTL index on FerretDB).
idempotencyKeySchema.index({ createdAt: 1 });

/** The answer a key replays, written once (insert-only) when its request succeeded. `_id` is the key's. */
const idempotentAnswerSchema = new Schema(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    status: { type: Number, required: true },
    location: { type: String, default: null },
    /** The body as JSON text: any shape, and one field to read. */
    body: { type: String, required: true },
  },
  { versionKey: false },
);
idempotentAnswerSchema.index({ createdAt: 1 });

export type IdempotencyKeyDoc = InferSchemaType<typeof idempotencyKeySchema> & { _id: string };
export const IdempotencyKeyModel = mongoose.model('IdempotencyKey', idempotencyKeySchema, 'idempotency_keys');
export type IdempotentAnswerDoc = InferSchemaType<typeof idempotentAnswerSchema> & { _id: string };
export const IdempotentAnswerModel = mongoose.model('IdempotentAnswer', idempotentAnswerSchema, 'idempotent_answers');
