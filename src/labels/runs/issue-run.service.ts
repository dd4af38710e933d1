import type { Principal } from '../../policy/principal.js';
import { recordAudit } from '../../audit/audit.service.js';
import { findBatch, lockBatch, lockBatches, type BatchRecord } from '../../batches/batch.service.js';
import { assertMay } from '../../policy/policy.js';
import { producerResource } from '../../registry/producers/producer.service.js';
import { conflict, notFound, unprocessable } from '../../errors/app-error.js';
import { guardedById, isDuplicateKeyError } from '../../db.js';
import { newId } from '../../ids.js';
import { assertClientWaiting } from '../../create-options.js';
import {
  currentCertificationFor,
  findCertification,
  latestRevokedCertificationFor,
  type CertificationRecord,
} from '../../registry/certifications/certification.reads.js';
import { certificationStatus } from '../../registry/certifications/certification-status.js';
import { findProduct, lockProductKey, lockProductKeys } from '../../registry/products/product.service.js';
import type { Keyring } from '../signing/keyring.js';
import type { ProductKey } from '../format/label-url.js';
import { LabelRunModel, type LabelRun } from './label-run.model.js';
import { RunKeyModel, runKeyId, type RunKeyDoc } from './run-key.model.js';
import { LabelRunPageModel, RUN_PAGE_SIZE, batchRuns, runPageId } from './label-run-page.model.js';
import { appendSlot, readSlots } from '../../slots.js';
import { newSerial as defaultNewSerial } from '../format/serial.js';
import { assertWithinAllowance } from './run-allowance.js';
import { findLabelRun, revocationDuringIssue, writeRunPage } from './labels.service.js';
import { insertLabels, labelMaker } from './label-writer.js';
import { recordChange } from '../../changes/changes.service.js';
import { labelRuns, labelRunsInProgress } from '../../metrics/metrics.js';

export type { LabelRun } from './label-run.model.js';

export type IssueDeps = {
  keyring: Keyring;
  /** Serial source; tests inject one that collides on purpose. */
  newSerial?: () => string;
  /** Aborted when the client has gone: a new run is then not started (see src/create-options.ts). */
  signal?: AbortSignal | undefined;
  /**
   * Told the run once it is stored (pending) and before its labels are written, so a
   * screen can send the person to the run's page while a large run is being written.
   */
  onStored?: (run: LabelRun) => void;
};

/**
 * Issues a run of `count` signed labels for a batch, idempotently:
 * - a new Idempotency-Key inserts the run as `pending`, writes its labels, then marks it `issued`;
 * - the same key and body again returns the same run (created: false);
 * - the same key with another batch or count is a conflict;
 * - the same key on a run left `pending` (a crash, a timeout) resumes it: labels that
 *   exist are kept, the missing positions are made, then the run is marked `issued`.
 * Labels of a run that is not `issued` do not verify, so a half-written run is never
 * half-valid. See docs/label-format.md, "Operations".
 */
export async function issueLabelRun(
  principal: Principal,
  input: { batchId: string; count: number; idempotencyKey: string },
  deps: IssueDeps,
): Promise<{ run: LabelRun; created: boolean }> {
  const found = await findBatch(input.batchId);
  if (!found) throw notFound('batch/not_found', `No batch ${input.batchId}.`);
  assertMay(principal, 'label_run.issue', await producerResource(principal, found.producerId));
  let batch: BatchRecord = found;

  let run = await findByIdempotencyKey(batch.producerId, input.idempotencyKey);
  let created = false;
  if (!run) run = await sameKeyIfRefused(() => assertWithinAllowance(batch, input.count), batch.producerId, input.idempotencyKey);
  if (!run) {
    const certification = await usableCertification(batch.productId);
    await deps.keyring.signingKey(); // refuse now, before anything is stored, when no key can sign
    assertClientWaiting(deps);
    // Before any label exists: from here on the product's printed key (its GTIN) is fixed.
    await lockProductKey(batch.productId);
    // And the batch's lot code and dates (updateBatch refuses from now on), read again
    // after the lock: a change that landed before it is what the labels carry.
    await lockBatch(batch._id);
    batch = (await findBatch(batch._id)) ?? batch;
    // Listed first, so no run exists outside its batch's list (one not created after all
    // leaves a position that reads as nothing).
    const runId = newId();
    await appendSlot(batchRuns, batch._id, runId);
    try {
      const doc = await LabelRunModel.create({
        _id: runId,
        batchId: batch._id,
        productId: batch.productId,
        producerId: batch.producerId,
        certificationId: certification._id,
        count: input.count,
        requestedBy: principal.keyId,
        idempotencyKey: input.idempotencyKey,
        state: 'pending',
      });
      run = doc.toObject() as LabelRun;
      created = true;
    } catch (err) {
      // A concurrent request with the same key won the insert: continue with its run
      // (its key document may not be written yet: ask the unique index's fields).
      if (!isDuplicateKeyError(err)) throw err;
      run = await LabelRunModel.findOne({ producerId: batch.producerId, idempotencyKey: input.idempotencyKey }).lean<LabelRun>();
      if (!run) throw err;
    }
    await rememberIdempotencyKey(run);
  }

  if (run.batchId !== batch._id || run.count !== input.count) {
    throw conflict(
      'run/idempotency_conflict',
      `Idempotency-Key ${input.idempotencyKey} was already used for a run of ${run.count} labels on batch ${run.batchId}; use a new key for a different request.`,
      { runId: run._id },
    );
  }
  if (run.state === 'issued') return { run, created: false };
  if (run.state === 'revoked') throw conflict('run/revoked', `Run ${run._id} was revoked before it was complete.`);
  await recheckAllowance(run, batch, created);
  deps.onStored?.(run);

  labelRunsInProgress.inc();
  try {
    await fillRun(run, batch, deps, !created);
  } catch (err) {
    labelRuns.inc({ outcome: 'failed' });
    throw err;
  } finally {
    labelRunsInProgress.dec();
  }
  const revokedMeanwhile = () => conflict('run/revoked', `Run ${run._id} was revoked while it was being issued.`);
  const before = await findLabelRun(run._id);
  if (!before || before.state === 'revoked') throw revokedMeanwhile();
  if (before.state === 'pending') {
    await LabelRunModel.updateOne(guardedById(run._id, { state: 'pending' }), { $set: { state: 'issued', issuedAt: new Date() } });
  }
  // On FerretDB that write may have replaced a revocation made meanwhile: it is put back.
  if (await revocationDuringIssue(run._id)) throw revokedMeanwhile();
  const finished = await findLabelRun(run._id);
  if (!finished || finished.state !== 'issued') throw revokedMeanwhile();
  // Instances that read the run while it was pending do not keep it; this tells them it is done, at once.
  await recordChange({ kind: 'run', id: run._id });
  labelRuns.inc({ outcome: 'issued' });
  await recordAudit(principal, created ? 'label_run.issue' : 'label_run.resume', { type: 'label_run', id: run._id, producerId: run.producerId }, {
    batchId: run.batchId,
    count: run.count,
  });
  return { run: finished, created: true };
}

/**
 * The allowance again, now that the run is stored: two runs of one batch checked at
 * the same moment each passed before the other was stored. Each now counts every run
 * it can see, so at least the later of the two sees both and is refused (both may be:
 * never too many labels, at worst a retry). A run stored by this request has no label
 * yet and is removed; a run found by its key (a resume) stays, to be revoked or
 * retried.
 */
async function recheckAllowance(run: LabelRun, batch: BatchRecord, created: boolean): Promise<void> {
  try {
    await assertWithinAllowance(batch, run.count, run._id);
  } catch (err) {
    if (created) await LabelRunModel.deleteOne({ _id: run._id, state: 'pending' });
    throw err;
  }
}

/**
 * Runs a check that may refuse a new run; when it does, a request with the same key may
 * have stored its run meanwhile (it counted against the allowance): that run is the answer.
 */
async function sameKeyIfRefused(check: () => Promise<void>, producerId: string, idempotencyKey: string): Promise<LabelRun | null> {
  try {
    await check();
    return null;
  } catch (err) {
    const same = await findByIdempotencyKey(producerId, idempotencyKey);
    if (same) return same;
    throw err;
  }
}

/** Two `_id` lookups: the key document, then the run. */
async function findByIdempotencyKey(producerId: string, idempotencyKey: string): Promise<LabelRun | null> {
  const key = await RunKeyModel.findById(runKeyId(producerId, idempotencyKey)).lean<RunKeyDoc>();
  return key ? findLabelRun(key.runId) : null;
}

async function rememberIdempotencyKey(run: LabelRun): Promise<void> {
  try {
    await RunKeyModel.create({ _id: runKeyId(run.producerId, run.idempotencyKey), runId: run._id });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // written by a concurrent request for the same run
  }
}

/**
 * Writes the key document of every run that has none (runs issued before they were
 * kept), so a retried request finds its run with one lookup, and lists every run in
 * its batch's list. Idempotent; run once at start.
 */
export async function backfillRunKeys(): Promise<number> {
  let written = 0;
  const byBatch = new Map<string, string[]>();
  for await (const run of LabelRunModel.find({}, { producerId: 1, idempotencyKey: 1, batchId: 1 }).lean<LabelRun[]>().cursor() as AsyncIterable<LabelRun>) {
    byBatch.set(run.batchId, [...(byBatch.get(run.batchId) ?? []), run._id]);
    if (await RunKeyModel.exists({ _id: runKeyId(run.producerId, run.idempotencyKey) })) continue;
    await rememberIdempotencyKey(run);
    written++;
  }
  // And each batch's list of runs.
  for (const [batchId, ids] of byBatch) {
    const { values } = await readSlots(batchRuns, batchId);
    for (const id of ids.filter((i) => !values.includes(i))) {
      await appendSlot(batchRuns, batchId, id);
      written++;
    }
  }
  return written;
}

/**
 * The product's current certification, if labels may carry it now: labels print its
 * stars and validity, so none, an expired one or a revoked one refuses the run.
 */
export async function usableCertification(productId: string): Promise<CertificationRecord> {
  const current = await currentCertificationFor(productId);
  if (current) {
    if (certificationStatus(current) === 'expired') {
      throw unprocessable(
        'run/certification_expired',
        `The product's OCOP certification (${current.decisionNumber}) expired on ${current.validUntil.toISOString().slice(0, 10)}: labels may no longer carry it. Record the new rating decision first.`,
      );
    }
    return current;
  }
  const revoked = await latestRevokedCertificationFor(productId);
  if (revoked) {
    throw unprocessable(
      'run/certification_revoked',
      `The product's OCOP certification (${revoked.decisionNumber}) was revoked: no labels can be issued for it.`,
    );
  }
  throw unprocessable('run/no_certification', 'The product has no OCOP certification: labels can be issued only for certified products.');
}

/**
 * Writes the run's labels a print page at a time (RUN_PAGE_SIZE positions), and each
 * page's document once its labels are in (label-run-page.model.ts). A resume (the run
 * was left pending) skips the pages whose document exists: what was written before
 * is learnt by `_id` lookups, not by a query on the run's id, which on FerretDB's
 * SQLite backend reads every label of every run.
 */
async function fillRun(run: LabelRun, batch: BatchRecord, deps: IssueDeps, resuming: boolean): Promise<void> {
  const certification = await findCertification(run.certificationId);
  const status = certification ? certificationStatus(certification) : 'revoked';
  if (!certification || status !== 'active') {
    throw unprocessable(`run/certification_${status === 'expired' ? 'expired' : 'revoked'}`, `The certification this run was started under is ${status}: the run cannot be completed.`);
  }
  const product = await findProduct(run.productId);
  if (!product) throw notFound('product/not_found', `No product ${run.productId}.`);
  const key = await deps.keyring.signingKey();
  const productKey: ProductKey = product.gtin ? { kind: 'gtin', gtin: product.gtin } : { kind: 'product', productId: product._id };
  const make = labelMaker(run, batch, productKey, certification, key, deps.newSerial ?? defaultNewSerial);

  for (let page = 0; page * RUN_PAGE_SIZE < run.count; page++) {
    if (resuming && (await LabelRunPageModel.exists({ _id: runPageId(run._id, page) }))) continue;
    const first = page * RUN_PAGE_SIZE + 1;
    const seqs = Array.from({ length: Math.min(RUN_PAGE_SIZE, run.count - first + 1) }, (_, i) => first + i);
    // Every position of the page now holds a label: insertLabels returns only once each
    // one was written by it or, as the unique (runId, seq) index showed, before (a
    // crash, a concurrent resume). (No count of the run's labels afterwards: on SQLite
    // that reads every label of every run.)
    const labels = await insertLabels(run._id, seqs.map(make), make);
    await writeRunPage(run._id, page, labels);
  }
}

/**
 * Locks the printed key of every product that already has label runs: runs started
 * before products recorded it (labelledSince) left it unset. Idempotent; run once at
 * start (upgrades.service.ts).
 */
export async function lockKeysOfLabelledProducts(): Promise<void> {
  await lockProductKeys((await LabelRunModel.distinct('productId')) as string[]);
}

/** The same for batches: every batch with a label run is marked labelled (batches marked before the lock existed). */
export async function lockBatchesOfLabelledRuns(): Promise<void> {
  await lockBatches((await LabelRunModel.distinct('batchId')) as string[]);
}
