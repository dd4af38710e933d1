import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { FINDINGS } from './inspection-findings.js';

/**
 * One inspection of one stall or shop, recorded by a market inspector. `_id` is the id
 * the device made (the idempotency key); `bodyHash` is the hash of the request as the
 * server understood it, so a retry of the same record is told from a reused id.
 * The producer and product are derived from the label by the server.
 */
const inspectionSchema = new Schema(
  {
    _id: { type: String, required: true },
    bodyHash: { type: String, required: true },
    at: { type: Date, required: true },
    communeCode: { type: String, required: true },
    provinceCode: { type: String, required: true },
    gps: { type: new Schema({ lat: Number, lng: Number, accuracy: { type: Number, default: null } }, { _id: false }), default: null },
    place: { type: String, required: true, maxlength: 200 },
    starsSeen: { type: Number, default: null, min: 1, max: 5 },
    finding: { type: String, enum: FINDINGS, required: true },
    notes: { type: String, default: '', maxlength: 2000 },
    label: {
      type: new Schema(
        {
          url: { type: String, default: null },
          serial: { type: String, default: null },
          productId: { type: String, default: null },
          gtin: { type: String, default: null },
          lot: { type: String, default: null },
          verdict: { type: String, default: null },
          verdictAsOf: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    /** Derived on the server from the label (serial, then product id, then GTIN); null when the label names none we know. */
    producerId: { type: String, default: null },
    productId: { type: String, default: null },
    /** Who recorded it: the credential, and the person behind it when there is one (never shown to producers). */
    recordedBy: {
      type: new Schema(
        { keyId: { type: String, required: true }, userId: { type: String, default: null }, name: { type: String, default: null }, email: { type: String, default: null } },
        { _id: false },
      ),
      required: true,
    },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
// The lists: newest first within each of the scopes a caller reads.
inspectionSchema.index({ at: -1 });
inspectionSchema.index({ producerId: 1, at: -1 });
inspectionSchema.index({ provinceCode: 1, at: -1 });
inspectionSchema.index({ 'recordedBy.userId': 1, at: -1 });
inspectionSchema.index({ 'recordedBy.keyId': 1, at: -1 });

/**
 * A photo of an inspection: `_id` is `<inspection id>/<slot 1..MAX_PHOTOS>`, so the
 * unique _id keeps the count bounded even when uploads race; `hash` (of the bytes as
 * sent) makes a retried upload find its photo instead of taking another slot.
 */
const inspectionPhotoSchema = new Schema(
  {
    _id: { type: String, required: true },
    inspectionId: { type: String, required: true },
    slot: { type: Number, required: true },
    hash: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    bytes: { type: Number, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
inspectionPhotoSchema.index({ inspectionId: 1, hash: 1 }, { unique: true });

export type InspectionDoc = InferSchemaType<typeof inspectionSchema>;
export type InspectionPhotoDoc = InferSchemaType<typeof inspectionPhotoSchema>;
export const InspectionModel = mongoose.model('Inspection', inspectionSchema, 'inspections');
export const InspectionPhotoModel = mongoose.model('InspectionPhoto', inspectionPhotoSchema, 'inspection_photos');
