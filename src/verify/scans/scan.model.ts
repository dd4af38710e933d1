import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { VERDICTS } from '../verdict.js';

/**
 * One scan of a label URL: insert-only, written in batches by the ScanRecorder.
 * No personal data: the client is a truncated salted hash, the place a commune code
 * the client chose to send.
 */
const scanSchema = new Schema(
  {
    _id: { type: String, required: true },
    serial: { type: String, required: true },
    time: { type: Date, required: true },
    /** 2025 commune code, only when the client sent a valid one (?place=). */
    place: { type: String, default: null },
    clientHash: { type: String, required: true },
    verdict: { type: String, enum: VERDICTS, required: true },
  },
  { versionKey: false },
);
scanSchema.index({ serial: 1, time: 1 });

export type ScanDoc = InferSchemaType<typeof scanSchema>;
export const ScanModel = mongoose.model('Scan', scanSchema, 'scans');
