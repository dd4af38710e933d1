import type { BatchRecord } from '../../batches/batch.service.js';
import { isCountedUnit } from '../../batches/batch.schema.js';
import { conflict } from '../../errors/app-error.js';
import { LabelRunModel } from './label-run.model.js';

/**
 * How many labels a batch may carry: one per package it was recorded with, plus spares
 * for labels spoiled in printing or on the line: 5 % of the quantity, at least 2.
 * A 48-jar batch takes at most 51 labels; a 1,000-jar batch 1,050. Every run of the
 * batch that is not revoked counts with its whole count (a pending one too: it can
 * still be completed), voided labels included (spoilage is what the spares are for).
 * A batch recorded by weight or volume (kg, g, l, ml) says nothing of its packages:
 * its runs are not bounded. See docs/label-format.md §9.
 */
export function labelAllowance(batch: Pick<BatchRecord, 'quantity' | 'unit'>): number | null {
  if (!isCountedUnit(batch.unit)) return null;
  const packages = Math.floor(batch.quantity);
  return packages + Math.max(2, Math.ceil(packages * 0.05));
}

/** The labels of the batch's runs that are not revoked, but for the run `except`. */
async function labelsOfBatch(batchId: string, except: string | null): Promise<number> {
  const runs = await LabelRunModel.find({ batchId, state: { $ne: 'revoked' } }, { count: 1 }).lean<{ _id: string; count: number }[]>();
  return runs.reduce((sum, r) => (r._id === except ? sum : sum + r.count), 0);
}

/**
 * Refuses (409 run/count_exceeds_batch) a run of `count` labels that would take the
 * batch past its allowance, counting the batch's other runs that are not revoked.
 * `runId`: the run being checked, once stored (it is not counted twice).
 */
export async function assertWithinAllowance(batch: BatchRecord, count: number, runId: string | null = null): Promise<void> {
  const allowance = labelAllowance(batch);
  if (allowance === null) return;
  const issued = await labelsOfBatch(batch._id, runId);
  if (issued + count <= allowance) return;
  const available = Math.max(0, allowance - issued);
  throw conflict(
    'run/count_exceeds_batch',
    `Batch ${batch.lotCode} (${batch._id}) has ${batch.quantity} ${batch.unit}: with the spares allowed (5 %, at least 2) it takes at most ${allowance} labels, ` +
      `${issued} of them in runs already. A run of ${count} is too many: ${available > 0 ? `issue at most ${available}, or ` : ''}revoke a run that will not be used.`,
    { quantity: batch.quantity, unit: batch.unit, allowance, alreadyIssued: issued, available },
  );
}
