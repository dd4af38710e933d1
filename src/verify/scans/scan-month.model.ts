import mongoose, { Schema } from 'mongoose';

/**
 * One instance's scan counts for one month (Vietnam time), per province: what the public
 * statistics page draws, without reading the scan log. `_id` is `<month>~<instance>`:
 * each process has its own id and is the only writer of its documents, so it `$set`s
 * its running totals and needs no atomic `$inc` (FerretDB has none under concurrency).
 * The collection grows with months × process starts, never with scans.
 */
const scanMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    month: { type: String, required: true },
    instance: { type: String, required: true },
    /**
     * The counts per province as a JSON array of ScanMonthCounts: one string reads far
     * faster on FerretDB than 34 sub-documents of five fields (FERRETDB.md).
     */
    counts: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
scanMonthSchema.index({ month: 1 });

/** `p`: the province code ('' when not known: a forged or unknown label scanned without a place); `clones`: scans answered with the clone warning. */
export type ScanMonthCounts = { p: string; scans: number; forged: number; unknown: number; clones: number };
export type ScanMonthDoc = { _id: string; month: string; instance: string; counts: string; updatedAt: Date };
export const ScanMonthModel = mongoose.model('ScanMonth', scanMonthSchema, 'scan_months');
