import mongoose, { Schema } from 'mongoose';

/**
 * The change feed: one small document per write that changes what a verdict depends on
 * (a label voided, a run revoked, a certification recorded or revoked, a key rotated…).
 * Every instance polls it to drop the cache entries a change names (changes.service.ts).
 *
 * Numbered 1, 2, 3 … with no gap: record n is written only by a writer that saw n − 1,
 * and the unique `_id` lets one of two writers of n win (FerretDB has no atomic
 * counter; unique keys hold). So a reader asks for the next number by `_id` — the one
 * lookup FerretDB serves without a scan — and never needs a range query. Document 0 is
 * the head: a copy of a recent number, so that a starting instance probes from near the
 * end; it may lag, never lead.
 */
const changeSchema = new Schema(
  {
    _id: { type: Number, required: true },
    at: { type: Date, required: true },
    /** What changed; `head` only on document 0. */
    kind: { type: String, required: true },
    /** The changed record's id (a serial, a run, a certification…); empty for keys. */
    id: { type: String, default: '' },
    /** A certification's product: its current and revoked certification entries go too. */
    productId: { type: String, default: null },
    /** Several ids of one kind at once (the labels whose scan tallies one flush wrote). */
    ids: { type: [String], default: [] },
    /** Beside `ids`, the version of each that was written (tallies: a receiver holding that version already skips it). */
    versions: { type: [Number], default: [] },
    /** The process that wrote it: it already knows, and skips it when reading the feed. */
    by: { type: String, default: '' },
    /** On document 0: the newest number written, as far as its writer knew. */
    head: { type: Number, default: null },
  },
  { versionKey: false },
);

export type ChangeDoc = {
  _id: number;
  at: Date;
  kind: string;
  id: string;
  productId: string | null;
  ids?: string[];
  versions?: number[];
  by?: string;
  head: number | null;
};
export const ChangeModel = mongoose.model('Change', changeSchema, 'changes');
