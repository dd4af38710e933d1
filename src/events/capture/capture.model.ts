import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { newId } from '../../ids.js';

export const CAPTURE_STATES = ['pending', 'committed', 'failed'] as const;
export type CaptureState = (typeof CAPTURE_STATES)[number];

/**
 * An EPCIS document being captured. Written (pending) after the whole document
 * validated and before any of its events; marked committed once all are in the
 * chains. Readers hide events of pending captures, and a pending capture left
 * behind by a crash is rolled forward from its payload (see capture.service.ts).
 */
const captureSchema = new Schema(
  {
    _id: { type: String, default: newId },
    state: { type: String, enum: CAPTURE_STATES, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    eventCount: { type: Number, required: true, min: 1 },
    batchIds: { type: [String], default: [] },
    createdAt: { type: Date, required: true, default: () => new Date() },
    finishedAt: { type: Date, default: null },
    failure: { type: String, default: null },
  },
  { versionKey: false },
);
captureSchema.index({ state: 1, createdAt: 1 });

/**
 * The prepared events of a capture (JSON, document order), kept apart from the
 * capture record so that listing pending captures stays cheap.
 */
const capturePayloadSchema = new Schema(
  {
    _id: { type: String, required: true }, // the capture id
    payload: { type: String, required: true },
  },
  { versionKey: false },
);
export const CapturePayloadModel = mongoose.model('EventCapturePayload', capturePayloadSchema, 'event_capture_payloads');

/**
 * The captures still in flight (or left behind by a crash), one document each, removed
 * once the capture is committed or failed: what readers hide and healing rolls forward
 * is read from this small collection, never from event_captures, which keeps every
 * capture ever made (on FerretDB's SQLite backend a query on `state` reads it whole).
 */
const openCaptureSchema = new Schema(
  {
    _id: { type: String, required: true }, // the capture id
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type OpenCaptureDoc = InferSchemaType<typeof openCaptureSchema> & { _id: string };
export const OpenCaptureModel = mongoose.model('EventCaptureOpen', openCaptureSchema, 'event_captures_open');

export type CaptureDoc = InferSchemaType<typeof captureSchema> & { _id: string };
export const CaptureModel = mongoose.model('EventCapture', captureSchema, 'event_captures');
