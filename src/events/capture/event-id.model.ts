import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Claims on eventIDs, insert-only: `_id` is the eventID (suffixed for an error
 * declaration, which legitimately repeats the eventID it corrects). A capture
 * claims all its eventIDs before appending anything, so a duplicate is refused
 * while nothing is in a chain yet; the unique _id makes the claim race-safe.
 */
const eventIdSchema = new Schema(
  {
    _id: { type: String, required: true },
    captureId: { type: String, required: true },
    batchId: { type: String, required: true },
  },
  { versionKey: false },
);
eventIdSchema.index({ captureId: 1 });

export type EventIdDoc = InferSchemaType<typeof eventIdSchema> & { _id: string };
export const EventIdModel = mongoose.model('EventId', eventIdSchema, 'event_ids');

export const eventKeyOf = (eventID: string, isErrorDeclaration: boolean) => (isErrorDeclaration ? `${eventID}#error-declaration` : eventID);
