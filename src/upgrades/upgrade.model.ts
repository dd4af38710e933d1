import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** One document per one-time upgrade of stored data that has run to its end: `_id` is its name. */
const upgradeSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    /** What it changed (documents written), for the record. */
    changed: { type: Number, required: true },
  },
  { versionKey: false },
);

export type UpgradeDoc = InferSchemaType<typeof upgradeSchema> & { _id: string };
export const UpgradeModel = mongoose.model('Upgrade', upgradeSchema, 'upgrades');
