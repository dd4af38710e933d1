import type { Principal } from '../accounts/api-key.service.js';
import { recordAudit } from '../accounts/audit.service.js';
import { BatchModel, type BatchDoc } from '../batches/batch.model.js';
import { assertCanActFor } from '../http/auth.js';
import { conflict, notFound } from '../http/errors.js';
import { ProductModel, type ProductDoc } from '../registry/product.model.js';
import { LabelModel, LabelRunModel, type LabelDoc } from './label.model.js';
import type { LabelRun } from './label-run.service.js';

export type Label = LabelDoc & { _id: string };

/** Reading runs and labels, voiding labels and revoking runs: always scoped to the producer. */
export async function getRun(principal: Principal, runId: string): Promise<LabelRun> {
  const run = await LabelRunModel.findById(runId).lean<LabelRun>();
  if (!run) throw notFound('run/not_found', `No label run ${runId}.`);
  assertCanActFor(principal, run.producerId);
  return run;
}

export async function listRunsOfBatch(principal: Principal, batchId: string): Promise<LabelRun[]> {
  const batch = await BatchModel.findById(batchId).lean<BatchDoc>();
  if (!batch) throw notFound('batch/not_found', `No batch ${batchId}.`);
  assertCanActFor(principal, batch.producerId);
  return LabelRunModel.find({ batchId }).sort({ createdAt: -1, _id: 1 }).limit(1000).lean<LabelRun[]>();
}

export async function getLabel(principal: Principal, serial: string): Promise<Label> {
  const label = await LabelModel.findById(serial).lean<Label>();
  if (!label) throw notFound('label/not_found', `No label ${serial}.`);
  assertCanActFor(principal, label.producerId);
  return label;
}

/** A spoiled or lost label: from now on it reads as void (the rest of its run stays valid). */
export async function voidLabel(principal: Principal, serial: string, reason: string | undefined): Promise<Label> {
  const label = await getLabel(principal, serial);
  if (label.status !== 'active') throw conflict('label/not_active', `Label ${serial} is already ${label.status}.`);
  const updated = await LabelModel.findOneAndUpdate(
    { _id: serial, status: 'active' },
    { $set: { status: 'void', statusChangedAt: new Date(), statusReason: reason ?? null } },
    { returnDocument: 'after' },
  ).lean<Label>();
  if (!updated) throw conflict('label/not_active', `Label ${serial} is no longer active.`);
  await recordAudit(principal, 'label.void', { type: 'label', id: serial }, { runId: label.runId, reason: reason ?? null });
  return updated;
}

/**
 * Revokes a whole run (a stolen roll of labels, a misprint): every label of it reads
 * as revoked. The labels themselves are not rewritten — the run's state decides, so
 * revoking 100,000 labels is one update.
 */
export async function revokeRun(principal: Principal, runId: string, reason: string): Promise<LabelRun> {
  const run = await getRun(principal, runId);
  if (run.state === 'revoked') throw conflict('run/already_revoked', `Run ${runId} was already revoked.`);
  const updated = await LabelRunModel.findOneAndUpdate(
    { _id: runId, state: { $ne: 'revoked' } },
    { $set: { state: 'revoked', revokedAt: new Date(), revokedReason: reason } },
    { returnDocument: 'after' },
  ).lean<LabelRun>();
  if (!updated) throw conflict('run/already_revoked', `Run ${runId} was already revoked.`);
  await recordAudit(principal, 'label_run.revoke', { type: 'label_run', id: runId }, { reason, previousState: run.state, count: run.count });
  return updated;
}

export type PrintContext = { run: LabelRun; batch: BatchDoc; product: ProductDoc };

/**
 * What printing needs, and the rule for it: only labels of an issued run are printed
 * (a pending run's labels would not verify; a revoked run's must not reach a package).
 */
export async function printContext(principal: Principal, runId: string): Promise<PrintContext> {
  const run = await getRun(principal, runId);
  if (run.state !== 'issued') {
    throw conflict('run/not_printable', `Run ${runId} is ${run.state}: only an issued run can be printed.`);
  }
  const [batch, product] = await Promise.all([
    BatchModel.findById(run.batchId).lean<BatchDoc>(),
    ProductModel.findById(run.productId).lean<ProductDoc>(),
  ]);
  if (!batch || !product) throw notFound('run/incomplete', `The batch or product of run ${runId} no longer exists.`);
  return { run, batch, product };
}

/** One label for printing, with its run's context; a void label is not printed again. */
export async function printableLabel(principal: Principal, serial: string): Promise<PrintContext & { label: Label }> {
  const label = await getLabel(principal, serial);
  if (label.status !== 'active') throw conflict('label/not_printable', `Label ${serial} is ${label.status}: it cannot be printed.`);
  return { label, ...(await printContext(principal, label.runId)) };
}
