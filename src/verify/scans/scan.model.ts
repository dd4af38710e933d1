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
    /**
     * Only on a scan the programme office follows up (src/office/flagged/): `forged` (bad
     * signature or unknown key) or `clone` (answered with the clone warning), with what
     * its list filters on, so that it reads no label, product or producer per row.
     */
    flag: { type: String, enum: ['forged', 'clone'] },
    /** The GTIN the label carries (as printed: a forged one claims it), or null without one. */
    flagGtin: { type: String },
    /** Our product, for a clone of one of our labels. */
    flagProduct: { type: String },
    /** The producer's province for our label, else the province of the place sent with the scan. */
    flagProvince: { type: String },
    /**
     * The product the scanned URL names, as printed: its GTIN-14, or the product id of a
     * /p/ label. Kept for forged and unknown labels too, so a producer sees forgeries
     * of its GTINs, not only scans of serials it issued. Null in scans stored before it existed.
     */
    product: { type: String, default: null },
  },
  { versionKey: false },
);
scanSchema.index({ serial: 1, time: 1 });
scanSchema.index({ flag: 1, time: -1 });
// A producer's scans screen: one product's scans in a time window (src/verify/scans/scan-reads.ts).
scanSchema.index({ product: 1, time: 1 });

export type ScanDoc = InferSchemaType<typeof scanSchema>;
export type ScanFlag = 'forged' | 'clone';
/** What a flagged scan carries besides the scan itself (absent on every other scan). */
export type FlaggedFields = { flag: ScanFlag; flagGtin: string | null; flagProduct: string | null; flagProvince: string | null };
export const ScanModel = mongoose.model('Scan', scanSchema, 'scans');
