import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { SlotStore } from '../../slots.js';

/**
 * What printing a run needs, RUN_PAGE_SIZE labels per document in print order: `_id`
 * is `${runId}:${page}` (page 0 holds positions 1 … RUN_PAGE_SIZE), `labels` the
 * printed fields of each (PrintedLabel) as one JSON string. A sheet or CSV then reads
 * count / RUN_PAGE_SIZE documents by `_id`, on every backend, instead of a query on the
 * run's id (on FerretDB's SQLite backend that reads every label of every run: see
 * docs/operations.md, "Queries and their indexes"). Written once the run's labels
 * are; a run printed before pages existed gets them on its first print.
 */
const labelRunPageSchema = new Schema(
  {
    _id: { type: String, required: true },
    labels: { type: String, required: true },
  },
  { versionKey: false },
);

export const RUN_PAGE_SIZE = 2000;
export const runPageId = (runId: string, page: number) => `${runId}:${page}`;

export type LabelRunPageDoc = InferSchemaType<typeof labelRunPageSchema> & { _id: string };
export const LabelRunPageModel = mongoose.model('LabelRunPage', labelRunPageSchema, 'label_run_pages');

/**
 * The voided labels of each run, as a list by `_id` (slots.ts): key the run id, value a
 * serial. Printing leaves them out without reading every label.
 */
const runVoidSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: String, required: true },
  },
  { versionKey: false },
);
export type RunVoidDoc = InferSchemaType<typeof runVoidSchema> & { _id: string };
export const RunVoidModel = mongoose.model('LabelRunVoid', runVoidSchema, 'label_run_voids');

export const runVoids: SlotStore = {
  read: (id) => RunVoidModel.findById(id).lean<RunVoidDoc>(),
  insert: (doc) => RunVoidModel.create(doc),
};

/**
 * The runs of each batch, as a list by `_id` (slots.ts): key the batch id, value a run
 * id. Listing a batch's runs reads it instead of a query on batchId.
 */
const batchRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: String, required: true },
  },
  { versionKey: false },
);
export type BatchRunDoc = InferSchemaType<typeof batchRunSchema> & { _id: string };
export const BatchRunModel = mongoose.model('LabelBatchRun', batchRunSchema, 'label_batch_runs');

export const batchRuns: SlotStore = {
  read: (id) => BatchRunModel.findById(id).lean<BatchRunDoc>(),
  insert: (doc) => BatchRunModel.create(doc),
};
