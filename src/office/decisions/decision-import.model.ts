import mongoose, { Schema } from 'mongoose';

/**
 * One imported certification decision, claimed before anything is written: `_id` is the
 * import key (decision-csv.ts importKey: the issuing authority and the decision number),
 * so the unique `_id` lets one import of a decision exist, however often or however
 * concurrently it is sent. The plan (the checked rows, as JSON: one string reads far
 * faster on FerretDB than thousands of sub-documents) is stored with the claim, so a
 * commit that stopped half-way is finished from what was claimed, never from a new file.
 */
const decisionImportSchema = new Schema(
  {
    _id: { type: String, required: true },
    decisionNumber: { type: String, required: true },
    decisionDate: { type: String, required: true },
    /** The province of a provincial decision, null for the ministry's. */
    province: { type: String, default: null },
    /** `committing` until every step is written, then `done`. */
    state: { type: String, enum: ['committing', 'done'], required: true },
    plan: { type: String, required: true },
    rows: { type: Number, required: true },
    steps: { type: Number, required: true },
    /** Steps known written (a lower bound: a resumed commit starts here and skips what exists). */
    stepsDone: { type: Number, required: true, default: 0 },
    /** What the import creates: new producers, new products, certifications. */
    figures: {
      producers: { type: Number, required: true },
      products: { type: Number, required: true },
      certifications: { type: Number, required: true },
    },
    startedBy: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    /** The last commit attempt's failure, shown on the decision's page until a retry goes on. */
    lastError: { type: String, default: null },
  },
  { versionKey: false },
);
decisionImportSchema.index({ startedAt: -1 });

export type DecisionImportDoc = {
  _id: string;
  decisionNumber: string;
  decisionDate: string;
  province: string | null;
  state: 'committing' | 'done';
  plan: string;
  rows: number;
  steps: number;
  stepsDone: number;
  figures: { producers: number; products: number; certifications: number };
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
};
export const DecisionImportModel = mongoose.model('DecisionImport', decisionImportSchema, 'decision_imports');
