import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const RUN_STATES = ['pending', 'issued', 'revoked'] as const;

/** A print job. Idempotent by (producerId, idempotencyKey). */
const labelRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    batchId: { type: String, required: true },
    productId: { type: String, required: true },
    producerId: { type: String, required: true },
    certificationId: { type: String, required: true },
    count: { type: Number, required: true, min: 1, max: 100_000 },
    requestedBy: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    state: { type: String, enum: RUN_STATES, required: true, default: 'pending' },
    createdAt: { type: Date, required: true, default: () => new Date() },
    issuedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null, maxlength: 1000 },
  },
  { versionKey: false },
);
labelRunSchema.index({ producerId: 1, idempotencyKey: 1 }, { unique: true });
labelRunSchema.index({ batchId: 1 });

export type LabelRunDoc = InferSchemaType<typeof labelRunSchema>;
export type LabelRun = LabelRunDoc & { _id: string };
export const LabelRunModel = mongoose.model('LabelRun', labelRunSchema, 'label_runs');
