import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../../ids.js';
import { foldForSearch } from '../text-search.js';
import { importingSchemaField } from '../import-visibility.js';

export const PRODUCER_KINDS = ['cooperative', 'enterprise', 'household', 'cooperative_group'] as const;

const producerSchema = new Schema(
  {
    _id: { type: String, default: newId },
    /** The decision import that wrote it, until that import is done (import-visibility.ts). */
    importing: importingSchemaField,
    name: { type: String, required: true, trim: true, maxlength: 300 },
    kind: { type: String, enum: PRODUCER_KINDS, required: true },
    /**
     * Business or cooperative registration number (mã số doanh nghiệp / HTX / hộ kinh
     * doanh), stored upper case without spaces so that one number has one spelling.
     */
    registrationNumber: { type: String, required: true, trim: true, maxlength: 50 },
    /** The name folded for "contains" searches (see text-search.ts). */
    searchName: {
      type: String,
      required: true,
      default: function (this: { name?: string }) {
        return foldForSearch(this.name ?? '');
      },
    },
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
    /**
     * The phone and website the producer chose to publish (on the verification page):
     * public by choice, unlike `contact`, which is a household's personal data.
     */
    publicContact: {
      phone: { type: String, default: null, maxlength: 30 },
      website: { type: String, default: null, maxlength: 300 },
    },
  },
  { versionKey: false, timestamps: true },
);
producerSchema.index({ registrationNumber: 1 }, { unique: true });
producerSchema.index({ 'address.provinceCode': 1 });
producerSchema.index({ createdAt: 1, _id: 1 });
// The import's last step publishes its records by this field.
producerSchema.index({ importing: 1 });

export type ProducerDoc = InferSchemaType<typeof producerSchema> & { _id: string };
export const ProducerModel = mongoose.model('Producer', producerSchema, 'producers');
