import mongoose, { Schema } from 'mongoose';

/**
 * An uploaded decision file between its preview and its commit: the file's text, kept
 * for a day (older ones are removed when a new one is stored: FerretDB has no TTL index). The commit reads
 * the file again from here and checks it again, so what is written is what was shown.
 */
const decisionDraftSchema = new Schema(
  {
    _id: { type: String, required: true },
    text: { type: String, required: true },
    fileName: { type: String, default: null },
    uploadedBy: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
decisionDraftSchema.index({ uploadedAt: 1 });

export type DecisionDraftDoc = { _id: string; text: string; fileName: string | null; uploadedBy: string; uploadedAt: Date };
export const DecisionDraftModel = mongoose.model('DecisionDraft', decisionDraftSchema, 'decision_drafts');
