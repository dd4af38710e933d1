import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One document per status change that may happen only once: a label voided, a run
 * revoked. Its _id ("label.void:<serial>", "label_run.revoke:<runId>") is unique, so of
 * concurrent requests exactly one inserts it and the others get a duplicate-key error.
 * The status update itself cannot decide that on FerretDB, whose conditional updates
 * are not atomic under concurrency (ARCHITECTURE.md §5).
 */
const statusChangeSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true }, // the key id that made the change
    /** Why, as the request said: a revocation overwritten by a concurrent write is put back from here. */
    reason: { type: String, default: null, maxlength: 1000 },
  },
  { versionKey: false },
);

export type StatusChangeDoc = InferSchemaType<typeof statusChangeSchema> & { _id: string };
export const StatusChangeModel = mongoose.model('LabelStatusChange', statusChangeSchema, 'label_status_changes');
