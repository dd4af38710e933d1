import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../ids.js';

/** A lot of one product. The lot code is printed on labels (GS1 AI 10). */
const batchSchema = new Schema(
  {
    _id: { type: String, default: newId },
    productId: { type: String, required: true },
    producerId: { type: String, required: true }, // copied from the product, for scoping
    /** GS1 AI (10) allows up to 20 characters of its character set; we keep to A–Z a–z 0–9 - . _ */
    lotCode: { type: String, required: true, maxlength: 20, match: /^[A-Za-z0-9._-]{1,20}$/ },
    productionDate: { type: Date, required: true },
    expiryDate: { type: Date, default: null },
    quantity: { type: Number, required: true, min: 0 },
    unit: { type: String, required: true, maxlength: 20 },
    origin: {
      provinceCode: { type: String, required: true },
      communeCode: { type: String, required: true },
      placeName: { type: String, default: null, maxlength: 300 },
      geo: {
        lat: { type: Number, min: -90, max: 90 },
        lng: { type: Number, min: -180, max: 180 },
      },
    },
    /**
     * When the batch's first label run started: from then on its labels carry its lot
     * code, and the record is fixed (updateBatch refuses). Null: no label yet.
     */
    labelledSince: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
batchSchema.index({ productId: 1, lotCode: 1 }, { unique: true });
batchSchema.index({ producerId: 1 });

export type BatchDoc = InferSchemaType<typeof batchSchema> & { _id: string };
export const BatchModel = mongoose.model('Batch', batchSchema, 'batches');
