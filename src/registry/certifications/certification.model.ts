import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../../ids.js';
import { importingSchemaField } from '../import-visibility.js';

export const STORED_CERT_STATUSES = ['active', 'revoked', 'superseded'] as const;
export const AUTHORITY_LEVELS = ['ministry', 'province', 'district'] as const;

/**
 * One certification decision for a product. `expired` is never stored: it is derived
 * from validUntil (see certificationStatus). A re-rating supersedes the previous one.
 */
const certificationSchema = new Schema(
  {
    _id: { type: String, default: newId },
    /** The decision import that wrote it, until that import is done (import-visibility.ts). */
    importing: importingSchemaField,
    productId: { type: String, required: true },
    producerId: { type: String, required: true }, // copied from the product, for scoping
    stars: { type: Number, required: true, min: 1, max: 5 },
    score: { type: Number, required: true, min: 0, max: 100 },
    decisionNumber: { type: String, required: true, trim: true, maxlength: 60 },
    authority: {
      level: { type: String, enum: AUTHORITY_LEVELS, required: true },
      name: { type: String, required: true, trim: true, maxlength: 300 },
    },
    decisionDate: { type: Date, required: true },
    validUntil: { type: Date, required: true },
    status: { type: String, enum: STORED_CERT_STATUSES, required: true, default: 'active' },
    statusChangedAt: { type: Date, default: null },
    statusReason: { type: String, default: null, maxlength: 1000 },
    supersededBy: { type: String, default: null },
  },
  { versionKey: false, timestamps: true },
);
certificationSchema.index({ productId: 1, decisionDate: -1 });
// The import's last step publishes its records by this field.
certificationSchema.index({ importing: 1 });
/** One decision rates a product once: a retried or double-submitted create becomes a 409. */
certificationSchema.index({ productId: 1, decisionNumber: 1, decisionDate: 1 }, { unique: true });
certificationSchema.index({ status: 1, validUntil: 1 });
certificationSchema.index({ producerId: 1 });
certificationSchema.index({ stars: 1, status: 1 });

export type CertificationDoc = InferSchemaType<typeof certificationSchema> & { _id: string };
export const CertificationModel = mongoose.model('Certification', certificationSchema, 'certifications');
