import { findBatch } from '../../batches/batch.service.js';
import { LabelRunPageModel, RUN_PAGE_SIZE, runPageId, type LabelRunPageDoc } from './label-run-page.model.js';
import { StatusChangeModel, type StatusChangeDoc } from './status-change.model.js';
import { activeLabelsOfRun, findLabelRun } from './labels.service.js';

/**
 * Reads for the revocation list (src/verify/revocations/): which labels were voided and
 * which runs revoked, and when, and the serials of a revoked run. None reads the labels
 * collection: the one-time status changes are one small collection (a document per void
 * and per run revocation, status-change.model.ts), and a run's serials come from its
 * print pages, read by `_id`.
 */
export type LabelRevocations = {
  voided: Array<{ serial: string; at: Date }>;
  revokedRuns: Array<{ runId: string; at: Date }>;
};

const VOID = 'label.void:';
const RUN_REVOKE = 'label_run.revoke:';

export async function labelRevocations(): Promise<LabelRevocations> {
  const changes = await StatusChangeModel.find({}, { _id: 1, at: 1 }).lean<Array<Pick<StatusChangeDoc, '_id' | 'at'>>>();
  const out: LabelRevocations = { voided: [], revokedRuns: [] };
  for (const c of changes) {
    if (c._id.startsWith(VOID)) out.voided.push({ serial: c._id.slice(VOID.length), at: c.at });
    else if (c._id.startsWith(RUN_REVOKE)) out.revokedRuns.push({ runId: c._id.slice(RUN_REVOKE.length), at: c.at });
  }
  return out;
}

/** A revoked run as a verifier matches its labels: product, lot and every serial it issued; null unless revoked. */
export type RevokedRunLabels = { runId: string; productId: string; lot: string; revokedAt: Date; serials: string[] };

export async function revokedRunLabels(runId: string): Promise<RevokedRunLabels | null> {
  const run = await findLabelRun(runId);
  if (!run || run.state !== 'revoked') return null;
  const batch = await findBatch(run.batchId);
  if (!batch) return null;
  return { runId, productId: run.productId, lot: batch.lotCode, revokedAt: run.revokedAt ?? run.createdAt, serials: await serialsOfRun(run) };
}

/** Every serial the run holds, voided ones too, from its print pages; a run without pages by the printing path (which writes them). */
async function serialsOfRun(run: { _id: string; count: number }): Promise<string[]> {
  const pages = Math.ceil(run.count / RUN_PAGE_SIZE);
  const docs = await Promise.all(Array.from({ length: pages }, (_, p) => LabelRunPageModel.findById(runPageId(run._id, p)).lean<LabelRunPageDoc>()));
  const serials: string[] = [];
  for (const doc of docs) {
    const list = doc ? parsePage(doc.labels) : null;
    if (!list) return collect(activeLabelsOfRun(run)); // (a revoked run may have been revoked while pending: fewer labels)
    for (const l of list) serials.push(l._id);
  }
  return serials;
}

function parsePage(text: string): Array<{ _id: string }> | null {
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) ? (list as Array<{ _id: string }>) : null;
  } catch {
    return null;
  }
}

async function collect(labels: AsyncIterable<{ _id: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of labels) out.push(l._id);
  return out;
}
