import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { SlotStore } from '../../slots.js';

/**
 * A product's certifications as a list by `_id` (see slots.ts): `_id` is
 * `${productId}:${n}`, `value` a certification id. Reading a product's decisions
 * is then a few `_id` lookups on every backend. Written when a certification is
 * created; certifications recorded before the list existed are added once at start
 * (backfillCertificationSlots).
 */
const certificationSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: String, required: true },
  },
  { versionKey: false },
);

export type CertificationSlotDoc = InferSchemaType<typeof certificationSlotSchema> & { _id: string };
export const CertificationSlotModel = mongoose.model('CertificationSlot', certificationSlotSchema, 'certification_slots');

export const certificationSlots: SlotStore = {
  read: (id) => CertificationSlotModel.findById(id).lean<CertificationSlotDoc>(),
  insert: (doc) => CertificationSlotModel.create(doc),
};
