import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One captured EPCIS event, insert-only. `body` is the event exactly as hashed
 * (canonical JSON): the single source of truth for presenters, export and the
 * timeline. The other fields are copies of it for filtering; the chain check
 * confirms they still agree with the body.
 *
 * The body is kept as a string because EPCIS extension and ilmd keys are IRIs
 * that may contain "." — a key MongoDB and FerretDB do not store.
 */
const eventSchema = new Schema(
  {
    /** {batchId}:{seq}: finding a chain position is an _id lookup, the fastest read on every backend. */
    _id: { type: String, required: true },
    batchId: { type: String, required: true },
    /** null for an event in a location's chain (docs/epcis.md §2). */
    productId: { type: String, default: null },
    producerId: { type: String, required: true },
    /** Position in the batch's chain: 0, 1, 2… without gaps. */
    seq: { type: Number, required: true, min: 0 },
    /** pageOf(seq): the timeline reads a batch's newest links by (batchId, page) equality. */
    page: { type: Number, required: true, min: 0 },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
    /** The capture (document) this event came in with, and its position there. */
    captureId: { type: String, required: true },
    eventIndex: { type: Number, required: true, min: 0 },
    eventID: { type: String, required: true },
    isErrorDeclaration: { type: Boolean, required: true },
    type: { type: String, required: true },
    bizStep: { type: String, required: true },
    eventTime: { type: Date, required: true },
    readPoint: { type: String, default: null },
    bizLocation: { type: String, default: null },
    body: { type: String, required: true },
  },
  { versionKey: false },
);
// The chain's guard: two writers racing for the same position get a duplicate key.
eventSchema.index({ batchId: 1, seq: 1 }, { unique: true });
// A capture rolled forward twice stores each of its events once.
eventSchema.index({ captureId: 1, eventIndex: 1 }, { unique: true });
eventSchema.index({ batchId: 1, page: 1 });
eventSchema.index({ eventID: 1 });
eventSchema.index({ eventTime: 1, _id: 1 });
eventSchema.index({ batchId: 1, eventTime: 1 });
eventSchema.index({ productId: 1, eventTime: 1 });

/** Chain positions sort as text: seq is zero-padded. */
export const eventIdAt = (batchId: string, seq: number) => `${batchId}:${String(seq).padStart(9, '0')}`;

export type EventDoc = InferSchemaType<typeof eventSchema> & { _id: string };
export const EventModel = mongoose.model('Event', eventSchema, 'events');
