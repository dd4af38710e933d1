import mongoose, { Schema } from 'mongoose';
import type { Figures } from './scan-figures.js';

/**
 * A label's scan figures (scan-figures.ts) as of one version: insert-only. Version v of
 * label S has `_id` `S~v`, so the unique `_id` decides which of two instances writing
 * version v+1 at once wins (FerretDB has no atomic read-modify-write; unique keys hold),
 * and every read is an `_id` lookup, the one lookup FerretDB's SQLite backend serves
 * without a scan. A head document (`_id` = the serial) copies a recent version so that
 * a reader starts near the newest; it may lag, never lead.
 */
const entry = (key: 'c' | 'n') => new Schema({ [key]: { type: String, required: true }, at: { type: Number, required: true } }, { _id: false });

const scanTallySchema = new Schema(
  {
    _id: { type: String, required: true },
    serial: { type: String, required: true },
    version: { type: Number, required: true },
    /** Which write made this version: lets a writer whose reply was lost recognise its own. */
    writer: { type: String, required: true },
    total: { type: Number, required: true },
    firstAt: { type: Date, default: null },
    window: { type: [entry('c')], default: [] },
    windowNetworks: { type: [entry('n')], default: [] },
    browsers: { type: [String], default: [] },
    networks: { type: [String], default: [] },
    places: { type: [new Schema({ p: { type: String, required: true }, n: { type: String, required: true } }, { _id: false })], default: [] },
  },
  { versionKey: false },
);

/** Read with lean(): the figures as stored (the schema above casts them on insert). */
export type ScanTallyDoc = Figures & { _id: string; serial: string; version: number; writer: string };
export const ScanTallyModel = mongoose.model('ScanTally', scanTallySchema, 'scan_tallies');

export const tallyId = (serial: string, version: number): string => `${serial}~${version}`;
