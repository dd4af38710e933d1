import mongoose, { Schema, type InferSchemaType } from 'mongoose';

import { REPORT_KINDS, REPORT_STATUSES } from './report-kinds.js';

/**
 * A shopper's report of a suspicious product, for the programme office and inspectors.
 * `_id` is the receipt number the reporter was given. The reporter's address is never
 * stored; a contact only when they chose to leave one.
 */
const reportSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The label address as scanned (path and query), when the report came from a label page. */
    label: { type: String, default: null, maxlength: 2000 },
    kind: { type: String, enum: REPORT_KINDS, required: true },
    details: { type: String, default: '', maxlength: 1000 },
    provinceCode: { type: String, required: true },
    /** The commune as typed, and its code when the name is one commune of the province. */
    commune: { type: String, default: '', maxlength: 100 },
    communeCode: { type: String, default: null },
    place: { type: String, default: '', maxlength: 200 },
    contact: { type: String, default: null, maxlength: 200 },
    /** The re-encoded photo, kept in report_photos under the same _id. */
    photo: { type: new Schema({ width: Number, height: Number, bytes: Number }, { _id: false }), default: null },
    status: { type: String, enum: REPORT_STATUSES, default: 'open' },
    /** Each change of status: from, to, the officer's note, who and when (also in the audit log). */
    history: {
      type: [new Schema({ from: { type: String, required: true }, to: { type: String, required: true }, note: { type: String, default: '' }, by: { type: String, required: true }, byName: { type: String, default: null }, at: { type: Date, required: true } }, { _id: false })],
      default: [],
    },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

/** A report's photo: JPEG bytes, metadata stripped, at most 1600 px a side. */
const reportPhotoSchema = new Schema(
  {
    _id: { type: String, required: true },
    data: { type: Buffer, required: true },
  },
  { versionKey: false },
);

export type ReportDoc = InferSchemaType<typeof reportSchema>;
export const ReportModel = mongoose.model('Report', reportSchema, 'reports');
export const ReportPhotoModel = mongoose.model('ReportPhoto', reportPhotoSchema, 'report_photos');
