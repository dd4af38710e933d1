import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * The timeline entries of one full page (PAGE_SIZE links) of a batch's chain,
 * written once when the page fills and never changed: a read model, not a source of
 * truth. Entries are built only from links whose hashes were just recomputed, and
 * the periodic full check compares them with the events again (see timeline-check.ts).
 */
const timelinePageSchema = new Schema(
  {
    /** {batchId}:{page}: a page is written at most once (a second writer gets a duplicate key). */
    _id: { type: String, required: true },
    batchId: { type: String, required: true },
    page: { type: Number, required: true, min: 0 },
    /**
     * JSON array of TimelineEntry. One string rather than 100 subdocuments: FerretDB
     * converts every stored field from jsonb on each read, so one field reads fastest.
     */
    entries: { type: String, required: true },
  },
  { versionKey: false },
);
timelinePageSchema.index({ batchId: 1, page: 1 }, { unique: true });

export const timelinePageId = (batchId: string, page: number) => `${batchId}:${String(page).padStart(7, '0')}`;

export type TimelinePageDoc = InferSchemaType<typeof timelinePageSchema> & { _id: string };
export const TimelinePageModel = mongoose.model('EventTimelinePage', timelinePageSchema, 'event_timeline_pages');
