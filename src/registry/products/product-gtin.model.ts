import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { ClaimStore } from '../../claims.js';

/**
 * Which product carries each GTIN (claims.ts): `_id` the GTIN-14, `value` the product id.
 * Finding a product by GTIN (captures name goods by their label's GTIN) is then
 * `_id` lookups on every backend. Products stored before these existed are added once
 * at start (backfillProductGtins).
 */
const productGtinSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: String, required: true },
  },
  { versionKey: false },
);

export type ProductGtinDoc = InferSchemaType<typeof productGtinSchema> & { _id: string };
export const ProductGtinModel = mongoose.model('ProductGtin', productGtinSchema, 'product_gtins');

export const productGtins: ClaimStore = {
  read: (key) => ProductGtinModel.findById(key).lean<ProductGtinDoc>(),
  insert: (doc) => ProductGtinModel.create(doc),
  set: (key, value) => ProductGtinModel.updateOne({ _id: key }, { $set: { value } }, { upsert: true }),
  remove: (key) => ProductGtinModel.deleteOne({ _id: key }),
};
