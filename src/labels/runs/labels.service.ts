import type { Principal } from '../../policy/principal.js';
import { recordAudit } from '../../audit/audit.service.js';
import { findBatch } from '../../batches/batch.service.js';
import { assertMay } from '../../policy/policy.js';
import { conflict, notFound } from '../../errors/app-error.js';
import type { Page, Paging } from '../../paging.js';
import { LabelModel, type LabelDoc } from './label.model.js';
import { LabelRunModel } from './label-run.model.js';
import type { LabelRun } from './issue-run.service.js';
import { isDuplicateKeyError } from '../../db.js';
import { StatusChangeModel } from './status-change.model.js';

export type Label = LabelDoc & { _id: string };

/** A label by serial, or null; no access check (for the verification page). */
export async function findLabel(serial: string): Promise<Label | null> {
  return LabelModel.findById(serial).lean<Label>();
}

/** A run by id, or null; no access check (for the verification page). */
export async function findLabelRun(runId: string): Promise<LabelRun | null> {
  return LabelRunModel.findById(runId).lean<LabelRun>();
}

/** What a printed label needs: its URL's fields and its place in the run. */
export type PrintedLabel = Pick<Label, '_id' | 'seq' | 'stars' | 'validUntil' | 'kid' | 'sig'>;

/**
 * A run's active labels in print order, read with a cursor (never the whole run at
 * once), with only the fields printed: the database sends half as much.
 */
export function activeLabelsOfRun(runId: string): AsyncIterable<PrintedLabel> {
  return LabelModel.find({ runId, status: 'active' }, { seq: 1, stars: 1, validUntil: 1, kid: 1, sig: 1 })
    .sort({ seq: 1 })
    .lean<PrintedLabel[]>()
    .cursor() as AsyncIterable<PrintedLabel>;
}

/** Reading runs and labels, voiding labels and revoking runs: always scoped to the producer. */
export async function getRun(principal: Principal, runId: string): Promise<LabelRun> {
  const run = await existingRun(runId);
  assertMay(principal, 'label_run.read', run);
  return run;
}

/** A run by id (404 when there is none); the caller asks the policy. */
export async function existingRun(runId: string): Promise<LabelRun> {
  const run = await findLabelRun(runId);
  if (!run) throw notFound('run/not_found', `No label run ${runId}.`);
  return run;
}

/** A label by serial (404 when there is none); the caller asks the policy. */
export async function existingLabel(serial: string): Promise<Label> {
  const label = await findLabel(serial);
  if (!label) throw notFound('label/not_found', `No label ${serial}.`);
  return label;
}

/** A batch's runs, newest first. */
export async function listRunsOfBatch(principal: Principal, batchId: string, paging: Paging): Promise<Page<LabelRun>> {
  const batch = await findBatch(batchId);
  if (!batch) throw notFound('batch/not_found', `No batch ${batchId}.`);
  assertMay(principal, 'label_run.read', batch);
  const [items, total] = await Promise.all([
    LabelRunModel.find({ batchId }).sort({ createdAt: -1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<LabelRun[]>(),
    LabelRunModel.countDocuments({ batchId }),
  ]);
  return { items, page: { ...paging, total } };
}

export async function getLabel(principal: Principal, serial: string): Promise<Label> {
  const label = await existingLabel(serial);
  assertMay(principal, 'label.read', label);
  return label;
}

/** A spoiled or lost label: from now on it reads as void (the rest of its run stays valid). */
export async function voidLabel(principal: Principal, serial: string, reason: string | undefined): Promise<Label> {
  const label = await existingLabel(serial);
  assertMay(principal, 'label.void', label);
  if (label.status !== 'active') throw conflict('label/not_active', `Label ${serial} is already ${label.status}.`);
  const updated = await LabelModel.findOneAndUpdate(
    { _id: serial, status: 'active' },
    { $set: { status: 'void', statusChangedAt: new Date(), statusReason: reason ?? null } },
    { returnDocument: 'after' },
  ).lean<Label>();
  if (!updated) throw conflict('label/not_active', `Label ${serial} is no longer active.`);
  if (!(await claimChange(`label.void:${serial}`, principal))) throw conflict('label/not_active', `Label ${serial} was voided by another request just now.`);
  await recordAudit(principal, 'label.void', { type: 'label', id: serial }, { runId: label.runId, reason: reason ?? null });
  return updated;
}

/**
 * Revokes a whole run (a stolen roll of labels, a misprint): every label of it reads
 * as revoked. The labels themselves are not rewritten — the run's state decides, so
 * revoking 100,000 labels is one update.
 */
export async function revokeRun(principal: Principal, runId: string, reason: string): Promise<LabelRun> {
  const run = await existingRun(runId);
  assertMay(principal, 'label_run.revoke', run);
  if (run.state === 'revoked') throw conflict('run/already_revoked', `Run ${runId} was already revoked.`);
  const updated = await LabelRunModel.findOneAndUpdate(
    { _id: runId, state: { $ne: 'revoked' } },
    { $set: { state: 'revoked', revokedAt: new Date(), revokedReason: reason } },
    { returnDocument: 'after' },
  ).lean<LabelRun>();
  if (!updated) throw conflict('run/already_revoked', `Run ${runId} was already revoked.`);
  if (!(await claimChange(`label_run.revoke:${runId}`, principal))) throw conflict('run/already_revoked', `Run ${runId} was revoked by another request just now.`);
  await recordAudit(principal, 'label_run.revoke', { type: 'label_run', id: runId }, { reason, previousState: run.state, count: run.count });
  return updated;
}

/**
 * Of concurrent requests making the same one-time change, the one that records it: true
 * for the first, false for the others (see status-change.model.ts). Called after the
 * status update, so a crash in between leaves the change made and later requests see
 * it done (409); only that request's audit entry is lost.
 */
async function claimChange(change: string, principal: Principal): Promise<boolean> {
  try {
    await StatusChangeModel.create({ _id: change, at: new Date(), by: principal.keyId });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
