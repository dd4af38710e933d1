import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../ids.js';

export const CAPTURE_STATES = ['pending', 'committed', 'failed'] as const;
export type CaptureState = (typeof CAPTURE_STATES)[number];

/**
 * An EPCIS document being captured. Written (pending) after the whole document
 * validated and before any of its events; marked committed once all are in the
 * chains. Readers hide events of captures that are not committed, and a pending
 * capture left behind by a crash is rolled forward from `payload` (see capture.service.ts).
 */
const captureSchema = new Schema(
  {
    _id: { type: String, default: newId },
    state: { type: String, enum: CAPTURE_STATES, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    eventCount: { type: Number, required: true, min: 1 },
    batchIds: { type: [String], default: [] },
    /** JSON of the prepared events (batch, product, producer, EPCIS body) in document order. */
    payload: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    finishedAt: { type: Date, default: null },
    failure: { type: String, default: null },
  },
  { versionKey: false },
);
captureSchema.index({ state: 1, createdAt: 1 });

export type CaptureDoc = InferSchemaType<typeof captureSchema> & { _id: string };
export const CaptureModel = mongoose.model('EventCapture', captureSchema, 'event_captures');
