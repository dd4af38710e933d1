import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { ClaimStore } from '../claims.js';

/**
 * Which batch each product's lot code is (claims.ts): `_id` `${productId}|${lotCode}`,
 * `value` the batch id. Finding a batch by product and lot (captures name goods by
 * their Digital Link with a lot) is then `_id` lookups on every backend. Batches
 * stored before these existed are added once at start (backfillBatchLots).
 */
const batchLotSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: String, required: true },
  },
  { versionKey: false },
);

export const batchLotKey = (productId: string, lotCode: string) => `${productId}|${lotCode}`;

export type BatchLotDoc = InferSchemaType<typeof batchLotSchema> & { _id: string };
export const BatchLotModel = mongoose.model('BatchLot', batchLotSchema, 'batch_lots');

export const batchLots: ClaimStore = {
  read: (key) => BatchLotModel.findById(key).lean<BatchLotDoc>(),
  insert: (doc) => BatchLotModel.create(doc),
  set: (key, value) => BatchLotModel.updateOne({ _id: key }, { $set: { value } }, { upsert: true }),
  remove: (key) => BatchLotModel.deleteOne({ _id: key }),
};
