import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const LABEL_STATUSES = ['active', 'void', 'revoked'] as const;

/**
 * One printed unit label. The serial is the _id: random (nanoid, ≥ 72 bits), so a
 * duplicate is a unique-key error, never a silent reuse. The label is valid only
 * while its run is `issued`: a run killed half-way leaves labels nobody can verify.
 */
const labelSchema = new Schema(
  {
    _id: { type: String, required: true }, // serial
    runId: { type: String, required: true },
    batchId: { type: String, required: true },
    productId: { type: String, required: true },
    producerId: { type: String, required: true },
    kid: { type: String, required: true }, // short kid as printed
    stars: { type: Number, required: true },
    validUntil: { type: String, required: true }, // YYMMDD as printed
    sig: { type: String, required: true },
    status: { type: String, enum: LABEL_STATUSES, required: true, default: 'active' },
    issuedAt: { type: Date, required: true },
    seq: { type: Number, required: true }, // position in its run, for sheets and CSV order
    /** Set when the label is voided (e.g. spoiled in printing) or revoked on its own. */
    statusChangedAt: { type: Date, default: null },
    statusReason: { type: String, default: null, maxlength: 1000 },
  },
  { versionKey: false },
);
labelSchema.index({ runId: 1, seq: 1 }, { unique: true });
labelSchema.index({ batchId: 1 });

export type LabelDoc = InferSchemaType<typeof labelSchema>;
export const LabelModel = mongoose.model('Label', labelSchema, 'labels');
