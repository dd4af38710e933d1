import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Finds a run by its producer's Idempotency-Key with one `_id` lookup: `_id` is
 * `${producerId}:${idempotencyKey}`. On FerretDB's SQLite backend a lookup by any
 * other field reads the whole collection (docs/operations.md, "Queries and their
 * indexes"). Written after the run; the unique (producerId, idempotencyKey) index on
 * label_runs still decides between concurrent requests.
 */
const runKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
  },
  { versionKey: false },
);

export const runKeyId = (producerId: string, idempotencyKey: string) => `${producerId}:${idempotencyKey}`;

export type RunKeyDoc = InferSchemaType<typeof runKeySchema> & { _id: string };
export const RunKeyModel = mongoose.model('LabelRunKey', runKeySchema, 'label_run_keys');
