import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../ids.js';

export const PRODUCER_KINDS = ['cooperative', 'enterprise', 'household', 'cooperative_group'] as const;

const producerSchema = new Schema(
  {
    _id: { type: String, default: newId },
    name: { type: String, required: true, trim: true, maxlength: 300 },
    kind: { type: String, enum: PRODUCER_KINDS, required: true },
    /** Business or cooperative registration number (mã số doanh nghiệp / HTX / hộ kinh doanh). */
    registrationNumber: { type: String, required: true, trim: true, maxlength: 50 },
    address: {
      provinceCode: { type: String, required: true }, // GSO code, 2 digits, 2025 units
      communeCode: { type: String, required: true }, // GSO code, 5 digits, 2025 units
      street: { type: String, default: null, maxlength: 300 },
      /** Free text: the district before the 2025 reform removed districts. */
      legacyDistrict: { type: String, default: null, maxlength: 100 },
    },
    contact: {
      person: { type: String, default: null, maxlength: 200 },
      phone: { type: String, default: null, maxlength: 30 },
      email: { type: String, default: null, maxlength: 200 },
    },
  },
  { versionKey: false, timestamps: true },
);
producerSchema.index({ registrationNumber: 1 }, { unique: true });
producerSchema.index({ 'address.provinceCode': 1 });

export type ProducerDoc = InferSchemaType<typeof producerSchema> & { _id: string };
export const ProducerModel = mongoose.model('Producer', producerSchema, 'producers');
