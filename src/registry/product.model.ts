import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../ids.js';

const productSchema = new Schema(
  {
    /** Also the product code in label URLs without a GTIN: /p/{_id}/… */
    _id: { type: String, default: newId },
    producerId: { type: String, required: true },
    name: {
      vi: { type: String, required: true, trim: true, maxlength: 300 },
      en: { type: String, default: null, trim: true, maxlength: 300 },
    },
    /** Product group code from the list named by groupListVersion (see product-groups.ts). */
    group: { type: String, required: true },
    groupListVersion: { type: String, required: true },
    /** GTIN-14 (shorter GTINs are left-padded with zeros), check digit validated; null if none. */
    gtin: { type: String, default: null },
    description: { type: String, default: null, maxlength: 2000 },
    images: { type: [String], default: [] },
  },
  { versionKey: false, timestamps: true },
);
productSchema.index({ producerId: 1 });
productSchema.index({ gtin: 1 });
productSchema.index({ group: 1 });

export type ProductDoc = InferSchemaType<typeof productSchema> & { _id: string };
export const ProductModel = mongoose.model('Product', productSchema, 'products');
