import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Where a batch's chain probably ends: a hint, written after each append. It may
 * lag or even step back when writers race (FerretDB has no atomic read-modify-write),
 * so appenders only start probing from it; the events themselves are the truth.
 * It saves reading a whole chain to find its end.
 */
const chainHeadSchema = new Schema(
  {
    _id: { type: String, required: true }, // batch id
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false },
);

export type ChainHeadDoc = InferSchemaType<typeof chainHeadSchema> & { _id: string };
export const ChainHeadModel = mongoose.model('EventChainHead', chainHeadSchema, 'event_chain_heads');
