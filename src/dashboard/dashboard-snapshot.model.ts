import mongoose, { Schema } from 'mongoose';

/**
 * The newest snapshot of the statistics page's figures, so that a restarted process and
 * the other instances serve it without computing it again. One document (`_id`
 * 'latest'); the figures are one JSON string, which FerretDB reads far faster than the
 * same data as hundreds of fields. Overwritten by whichever instance computed last: a
 * newer snapshot replacing an older one loses nothing.
 */
const dashboardSnapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    computedAt: { type: Date, required: true },
    json: { type: String, required: true },
  },
  { versionKey: false },
);

export type DashboardSnapshotDoc = { _id: string; computedAt: Date; json: string };
export const DashboardSnapshotModel = mongoose.model('DashboardSnapshot', dashboardSnapshotSchema, 'dashboard_snapshots');
