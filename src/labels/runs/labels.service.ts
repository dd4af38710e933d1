import type { Principal } from '../../policy/principal.js';
import { recordAudit } from '../../audit/audit.service.js';
import { findBatch } from '../../batches/batch.service.js';
import { assertMay } from '../../policy/policy.js';
import { producerResource } from '../../registry/producers/producer.service.js';
import { conflict, notFound } from '../../errors/app-error.js';
import type { Page, Paging } from '../../paging.js';
import { LabelModel, type LabelDoc } from './label.model.js';
import { LabelRunModel, type LabelRun } from './label-run.model.js';
import { guardedById, isDuplicateKeyError } from '../../db.js';
import { StatusChangeModel, type StatusChangeDoc } from './status-change.model.js';
import { LabelRunPageModel, RUN_PAGE_SIZE, batchRuns, runPageId, runVoids, type LabelRunPageDoc } from './label-run-page.model.js';
import { appendSlot, readSlots } from '../../slots.js';
import { recordChange } from '../../changes/changes.service.js';

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
export const PRINTED_FIELDS = { seq: 1, stars: 1, validUntil: 1, kid: 1, sig: 1 } as const;

/**
 * A run's active labels in print order, a page (RUN_PAGE_SIZE labels) at a time: the
 * run's print pages by `_id`, less its voided labels (see label-run-page.model.ts). A
 * run without pages (issued before they existed) is read with a query on its id once,
 * and its pages are written on the way.
 */
export async function* activeLabelsOfRun(run: Pick<LabelRun, '_id' | 'count'>): AsyncIterable<PrintedLabel> {
  const voided = new Set((await readSlots(runVoids, run._id)).values);
  const pages = Math.ceil(run.count / RUN_PAGE_SIZE);
  for (let page = 0; page < pages; page++) {
    const labels = parsePage(await LabelRunPageModel.findById(runPageId(run._id, page)).lean<LabelRunPageDoc>());
    if (!labels) {
      yield* queriedLabels(run, page * RUN_PAGE_SIZE);
      return;
    }
    for (const l of labels) if (!voided.has(l._id)) yield l;
  }
}

function parsePage(doc: LabelRunPageDoc | null): PrintedLabel[] | null {
  if (!doc) return null;
  try {
    const list: unknown = JSON.parse(doc.labels);
    return Array.isArray(list) ? (list as PrintedLabel[]) : null;
  } catch {
    return null;
  }
}

/** The run's labels after position `after` by a query on its id, with a cursor; writes the pages it completes. */
async function* queriedLabels(run: Pick<LabelRun, '_id' | 'count'>, after: number): AsyncIterable<PrintedLabel> {
  const printed: Array<PrintedLabel | undefined> = new Array<PrintedLabel | undefined>(run.count + 1);
  const cursor = LabelModel.find({ runId: run._id, seq: { $gt: after } }, { ...PRINTED_FIELDS, status: 1 })
    .sort({ seq: 1 })
    .lean<Array<PrintedLabel & { status: string }>>()
    .cursor() as AsyncIterable<PrintedLabel & { status: string }>;
  for await (const { status, ...label } of cursor) {
    printed[label.seq] = label;
    if (status === 'active') yield label;
    else if (status === 'void') await appendSlot(runVoids, run._id, label._id);
  }
  await writeRunPages(run, printed).catch(() => undefined); // the next print tries again
}

/**
 * Writes the print pages whose every position is known (`printed`, index = seq; a position
 * not read is a hole, which `includes` sees and `every` would skip); a page already there is kept.
 */
export async function writeRunPages(run: Pick<LabelRun, '_id' | 'count'>, printed: ReadonlyArray<PrintedLabel | undefined>): Promise<void> {
  for (let page = 0; page * RUN_PAGE_SIZE < run.count; page++) {
    const labels = printed.slice(page * RUN_PAGE_SIZE + 1, Math.min(run.count, (page + 1) * RUN_PAGE_SIZE) + 1);
    if (labels.length === Math.min(RUN_PAGE_SIZE, run.count - page * RUN_PAGE_SIZE) && !labels.includes(undefined)) {
      await writeRunPage(run._id, page, labels as PrintedLabel[]);
    }
  }
}

/** Writes one print page (its labels in any order); a page already there is kept (the same labels). */
export async function writeRunPage(runId: string, page: number, labels: readonly PrintedLabel[]): Promise<void> {
  const sorted = [...labels].sort((a, b) => a.seq - b.seq).map((l) => ({ _id: l._id, seq: l.seq, stars: l.stars, validUntil: l.validUntil, kid: l.kid, sig: l.sig }));
  try {
    await LabelRunPageModel.create({ _id: runPageId(runId, page), labels: JSON.stringify(sorted) });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // written by a concurrent resume or print
  }
}

/**
 * Writes the print pages and void lists of every issued run that has none (runs issued
 * before they existed), reading every label once, in the order stored (a run's labels
 * are together, so few runs are held in memory at once). Idempotent; run once at start.
 */
export async function backfillRunPages(): Promise<number> {
  const runs = new Map<string, { count: number; printed: Array<PrintedLabel | undefined>; seen: number }>();
  for await (const run of LabelRunModel.find({}, { count: 1, state: 1 }).lean<LabelRun[]>().cursor() as AsyncIterable<LabelRun>) {
    if (run.state !== 'issued' || (await LabelRunPageModel.exists({ _id: runPageId(run._id, 0) }))) continue;
    runs.set(run._id, { count: run.count, printed: [], seen: 0 });
  }
  let written = 0;
  const cursor = LabelModel.find({}, { ...PRINTED_FIELDS, runId: 1, status: 1 }).lean<Array<PrintedLabel & { runId: string; status: string }>>().cursor() as AsyncIterable<PrintedLabel & { runId: string; status: string }>;
  for await (const { runId, status, ...label } of cursor) {
    const run = runs.get(runId);
    if (!run) continue;
    run.printed[label.seq] = label;
    run.seen++;
    if (status === 'void') await appendSlot(runVoids, runId, label._id);
    if (run.seen === run.count) {
      await writeRunPages({ _id: runId, count: run.count }, run.printed);
      written += Math.ceil(run.count / RUN_PAGE_SIZE);
      runs.delete(runId);
    }
  }
  return written;
}

/**
 * How many of a run's labels are written: all of an issued run's; of a pending one, the
 * labels of its print pages that exist (a run writes them in order, RUN_PAGE_SIZE labels
 * each, after their labels), by `_id` lookups: a screen shows a large run's progress.
 */
export async function labelsWrittenOfRun(run: Pick<LabelRun, '_id' | 'count' | 'state'>): Promise<number> {
  if (run.state === 'issued') return run.count;
  const pages = Math.ceil(run.count / RUN_PAGE_SIZE);
  const written = await Promise.all(Array.from({ length: pages }, (_, page) => LabelRunPageModel.exists({ _id: runPageId(run._id, page) })));
  return written.reduce((sum, found, page) => (found ? sum + Math.min(RUN_PAGE_SIZE, run.count - page * RUN_PAGE_SIZE) : sum), 0);
}

/** Reading runs and labels, voiding labels and revoking runs: always scoped to the producer. */
export async function getRun(principal: Principal, runId: string): Promise<LabelRun> {
  const run = await existingRun(runId);
  assertMay(principal, 'label_run.read', await producerResource(principal, run.producerId));
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
  assertMay(principal, 'label_run.read', await producerResource(principal, batch.producerId));
  // The batch's list of runs by _id (label-run-page.model.ts), sorted here: a batch has tens of runs, not thousands.
  const { values } = await readSlots(batchRuns, batchId);
  const runs = (await Promise.all(values.map((id) => findLabelRun(id)))).filter((r): r is LabelRun => r !== null && r.batchId === batchId);
  runs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a._id < b._id ? -1 : 1));
  return { items: runs.slice(paging.offset, paging.offset + paging.limit), page: { ...paging, total: runs.length } };
}

export async function getLabel(principal: Principal, serial: string): Promise<Label> {
  const label = await existingLabel(serial);
  assertMay(principal, 'label.read', await producerResource(principal, label.producerId));
  return label;
}

/**
 * A spoiled or lost label: from now on it reads as void (the rest of its run stays valid).
 * Of concurrent voids, the status-change claim decides which one answers 200 (on
 * FerretDB the update is by `_id` alone: see guardedById).
 */
export async function voidLabel(principal: Principal, serial: string, reason: string | undefined): Promise<Label> {
  const label = await existingLabel(serial);
  assertMay(principal, 'label.void', await producerResource(principal, label.producerId));
  if (label.status !== 'active') throw conflict('label/not_active', `Label ${serial} is already ${label.status}.`);
  // Listed first: a crash before the status update leaves a label left off sheets, never a void one printed.
  await appendSlot(runVoids, label.runId, serial);
  const updated = await LabelModel.findOneAndUpdate(
    guardedById(serial, { status: 'active' }),
    { $set: { status: 'void', statusChangedAt: new Date(), statusReason: reason ?? null } },
    { returnDocument: 'after' },
  ).lean<Label>();
  if (!updated) throw conflict('label/not_active', `Label ${serial} is no longer active.`);
  if (!(await claimChange(`label.void:${serial}`, principal, reason ?? null))) throw conflict('label/not_active', `Label ${serial} was voided by another request just now.`);
  await recordChange({ kind: 'label', id: serial });
  await recordAudit(principal, 'label.void', { type: 'label', id: serial, producerId: label.producerId }, { runId: label.runId, reason: reason ?? null });
  return updated;
}

/**
 * Revokes a whole run (a stolen roll of labels, a misprint): every label of it reads
 * as revoked. The labels themselves are not rewritten — the run's state decides, so
 * revoking 100,000 labels is one update. A run still being issued may be revoked: on
 * FerretDB, whose conditional updates are not atomic, the issuer checks for this
 * revocation after its own last write and puts it back (revocationDuringIssue), and
 * this side checks again after its claim, so neither write undoes the other for good.
 */
export async function revokeRun(principal: Principal, runId: string, reason: string): Promise<LabelRun> {
  const run = await existingRun(runId);
  assertMay(principal, 'label_run.revoke', await producerResource(principal, run.producerId));
  if (run.state === 'revoked') throw conflict('run/already_revoked', `Run ${runId} was already revoked.`);
  const revokedAt = new Date();
  if (!(await markRunRevoked(runId, revokedAt, reason, { state: { $ne: 'revoked' } }))) throw conflict('run/already_revoked', `Run ${runId} was already revoked.`);
  if (!(await claimChange(runRevocation(runId), principal, reason, revokedAt))) throw conflict('run/already_revoked', `Run ${runId} was revoked by another request just now.`);
  let updated = await findLabelRun(runId);
  if (updated && updated.state !== 'revoked') {
    // The issuer's last write landed after ours: revoke again.
    await markRunRevoked(runId, revokedAt, reason);
    updated = await findLabelRun(runId);
  }
  if (!updated) throw notFound('run/not_found', `No label run ${runId}.`);
  await recordChange({ kind: 'run', id: runId });
  await recordAudit(principal, 'label_run.revoke', { type: 'label_run', id: runId, producerId: run.producerId }, { reason, previousState: run.state, count: run.count });
  return updated;
}

const runRevocation = (runId: string) => `label_run.revoke:${runId}`;

/** False when the guard (MongoDB only, see guardedById) refused the update. */
async function markRunRevoked(runId: string, revokedAt: Date, reason: string | null, guard: Record<string, unknown> = {}): Promise<boolean> {
  const res = await LabelRunModel.updateOne(guardedById(runId, guard), { $set: { state: 'revoked', revokedAt, revokedReason: reason } });
  return res.matchedCount > 0;
}

/**
 * For the issuer of a run, after it marked the run issued: when the run was revoked
 * meanwhile (its claim exists), writes the revocation again in case the issuer's write
 * replaced it, and returns the run as it now stands; else null.
 */
export async function revocationDuringIssue(runId: string): Promise<LabelRun | null> {
  const claim = await StatusChangeModel.findById(runRevocation(runId)).lean<StatusChangeDoc>();
  if (!claim) return null;
  const run = await findLabelRun(runId);
  if (run && run.state === 'revoked') return run;
  await markRunRevoked(runId, claim.at, claim.reason ?? null);
  return findLabelRun(runId);
}

/**
 * Of concurrent requests making the same one-time change, the one that records it: true
 * for the first, false for the others (see status-change.model.ts). Called after the
 * status update, so a crash in between leaves the change made and later requests see
 * it done (409); only that request's audit entry is lost.
 */
async function claimChange(change: string, principal: Principal, reason: string | null, at = new Date()): Promise<boolean> {
  try {
    await StatusChangeModel.create({ _id: change, at, by: principal.keyId, reason });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
