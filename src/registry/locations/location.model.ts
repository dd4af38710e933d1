import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A registered location: a GLN (a site) or an SGLN (a GLN with an extension: a dock,
 * a cold room) and the commune it lies in. `_id` is the location key (gln.ts), so
 * events' SGLN read points and business locations map to communes by `_id` lookups,
 * and a second registration of the same place is a duplicate key (409).
 */
const locationSchema = new Schema(
  {
    _id: { type: String, required: true },
    gln: { type: String, required: true },
    extension: { type: String, default: null },
    /** The SGLN as registered, when it was: its company prefix length is not in the GLN. */
    sgln: { type: String, default: null },
    name: { type: String, required: true },
    communeCode: { type: String, required: true },
    /** The producer whose site it is; null for a place of nobody registered here (a market, a partner's store). */
    producerId: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
// A producer's locations, listed by the producer's key.
locationSchema.index({ producerId: 1, createdAt: 1 });
locationSchema.index({ communeCode: 1 });

export type LocationDoc = InferSchemaType<typeof locationSchema> & { _id: string };
export const LocationModel = mongoose.model('Location', locationSchema, 'locations');
