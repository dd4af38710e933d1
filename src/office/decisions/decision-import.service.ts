import { DecisionDraftModel } from './decision-draft.model.js';
import { DecisionImportModel, type DecisionImportDoc } from './decision-import.model.js';
import { importKey, readDecisionFile, type Decision, type ReadFile, type ReadRow } from './decision-csv.js';
import { checkAgainstRegistry, figuresOf, planOf, type Figures, type Plan } from './decision-plan.js';
import { createProducer, findProducer } from '../../registry/producers/producer.service.js';
import { createProduct, findProduct } from '../../registry/products/product.service.js';
import { createCertification, findCertification } from '../../registry/certifications/certification.service.js';
import { recordAudit } from '../../audit/audit.service.js';
import { publishImport } from '../../registry/import-publish.js';
import { assertMay } from '../../policy/policy.js';
import type { Principal } from '../../policy/principal.js';
import { isDuplicateKeyError } from '../../db.js';
import { newId } from '../../ids.js';
import { AppError, notFound, unprocessable } from '../../errors/app-error.js';

/**
 * Importing one certification decision of a People's Committee (or of the ministry) from
 * a CSV file, all or nothing, without transactions:
 *
 * 1. Preview: the file is read and every row checked (decision-csv.ts), then (decision-plan.ts) against the
 *    registry (producers and products named by id exist, a new GTIN or registration number
 *    is not taken, the product is not already certified by this decision, the province
 *    may decide it). A file without a problem is kept as a draft for its commit.
 * 2. Commit: the draft is checked again; with one problem nothing is written. Then the
 *    decision is claimed: a record whose `_id` is the decision's key, holding the plan
 *    (every record to create, each with an id derived from the decision and what it is).
 *    A decision claimed before is not imported again: its earlier result is answered.
 * 3. The plan's steps run in order (new producers, new products, then the
 *    certifications), each through the registry's services (policy-checked, audited),
 *    skipping a record whose derived id already exists (a few of one kind at once). Progress
 *    is written every few steps; the import reads `done` only once the last step is written.
 * 4. A commit that stopped (a crash, the database gone) leaves the claim `committing`:
 *    the decision's page says so, and a retry (resume, or the same file again) runs the
 *    stored plan from its progress. Derived ids make a step that was written but not
 *    counted a skip, never a second record, so a retry ends with one of everything.
 *
 * 5. Every record is written hidden (carrying the import's key, src/registry/
 *    import-visibility.ts): public reads (the registry's lists and index, the figures, the
 *    current certification the verification page reads) do not see it. After the last
 *    step the import publishes them (import-publish.ts), and only then reads `done`. A
 *    stop while publishing is resumed like any other: publishing again is harmless.
 *
 * The decision counts as imported, with its figures, only once its records are public.
 */

/** Progress is written after this many steps (a resumed commit re-checks at most these). */
const PROGRESS_EVERY = 20;
/** Steps of one kind written at once. */
const PARALLEL = 8;
/** Drafts older than this are removed when a new one is stored. */
const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;

export type { Figures } from './decision-plan.js';

export type DecisionImport = Omit<DecisionImportDoc, 'plan'> & { running: boolean };

export type Preview =
  | { kind: 'unreadable'; problem: Extract<ReadFile, { ok: false }> }
  | { kind: 'imported'; existing: DecisionImport }
  | { kind: 'rows'; decision: Decision | null; rows: ReadRow[]; problemRows: number; figures: Figures; draftId: string | null };

/**
 * Test-only: `afterStep(n)` is called after step n is written and awaited (a test throws
 * there to stop a commit half-way, or holds it there to look at its progress);
 * `beforePublish` once every step is written, before the records are made public.
 */
export type CommitHooks = { afterStep?: (stepsWritten: number) => void | Promise<void>; beforePublish?: () => void | Promise<void> };

const running = new Map<string, Promise<void>>();
/** Steps written by the commits running here, ahead of the progress stored every PROGRESS_EVERY steps. */
const progress = new Map<string, number>();

const view = (doc: DecisionImportDoc): DecisionImport => {
  const { plan: _plan, ...rest } = doc;
  return { ...rest, stepsDone: Math.max(doc.stepsDone, progress.get(doc._id) ?? 0), running: running.has(doc._id) };
};

export async function findDecisionImport(id: string): Promise<DecisionImport | null> {
  const doc = await DecisionImportModel.findById(id).lean<DecisionImportDoc>();
  return doc ? view(doc) : null;
}

export async function getDecisionImport(id: string): Promise<DecisionImport> {
  const found = await findDecisionImport(id);
  if (!found) throw notFound('decision/not_found', `No imported decision ${id}.`);
  return found;
}

/** Settles when this process has no commit of the decision running (at once when none runs). */
export async function decisionImportSettled(id: string): Promise<void> {
  await running.get(id)?.catch(() => undefined);
}

/** The decisions imported or being imported, newest first. */
export async function listDecisionImports(limit = 50): Promise<DecisionImport[]> {
  const docs = await DecisionImportModel.find({}, { plan: 0 }).sort({ startedAt: -1 }).limit(limit).lean<DecisionImportDoc[]>();
  return docs.map((d) => view({ ...d, plan: '' }));
}

/** Step 1: reads and checks the file; keeps it as a draft when every row can be imported. */
export async function previewDecision(actor: Principal, bytes: Buffer, fileName: string | null): Promise<Preview> {
  assertMay(actor, 'decision.import');
  const read = readDecisionFile(bytes);
  if (!read.ok) return { kind: 'unreadable', problem: read };
  if (read.decision) {
    const existing = await findDecisionImport(importKey(read.decision));
    if (existing) return { kind: 'imported', existing };
  }
  await checkAgainstRegistry(actor, read.decision, read.rows);
  const problemRows = read.rows.filter((r) => r.problems.length > 0).length;
  const figures = read.decision && problemRows === 0 ? figuresOf(planOf(read.decision, read.rows)) : { producers: 0, products: 0, certifications: 0 };
  let draftId: string | null = null;
  if (problemRows === 0 && read.decision) {
    draftId = newId();
    await DecisionDraftModel.deleteMany({ uploadedAt: { $lt: new Date(Date.now() - DRAFT_LIFETIME_MS) } });
    await DecisionDraftModel.create({ _id: draftId, text: bytes.toString('utf8'), fileName, uploadedBy: actor.keyId, uploadedAt: new Date() });
  }
  return { kind: 'rows', decision: read.decision, rows: read.rows, problemRows, figures, draftId };
}

/**
 * How a commit is run: it is waited for when at most `waitUpTo` steps are left (all of
 * them by default); a larger one runs on after the answer and its page shows the progress.
 */
export type CommitOptions = { waitUpTo?: number; hooks?: CommitHooks };

/** Steps 2–3: checks the draft again, claims the decision and runs the plan. */
export async function commitDraft(actor: Principal, draftId: string, opts: CommitOptions = {}): Promise<{ importId: string; earlier: boolean }> {
  assertMay(actor, 'decision.import');
  const draft = /^[0-9a-z]{10}$/.test(draftId) ? await DecisionDraftModel.findById(draftId).lean() : null;
  if (!draft) throw notFound('decision/draft_not_found', `No uploaded file ${draftId}: upload the decision again.`);
  const read = readDecisionFile(Buffer.from(draft.text, 'utf8'));
  if (!read.ok || !read.decision) throw unprocessable('decision/invalid_rows', 'The file cannot be read any more: upload it again.');
  const key = importKey(read.decision);
  const earlier = await findDecisionImport(key);
  if (earlier) {
    if (earlier.state === 'committing') await runOrJoin(actor, key, opts);
    return { importId: key, earlier: true };
  }
  await checkAgainstRegistry(actor, read.decision, read.rows);
  const bad = read.rows.filter((r) => r.problems.length > 0);
  if (bad.length) {
    throw unprocessable('decision/invalid_rows', `${bad.length} row(s) of the file cannot be imported now (lines ${bad.slice(0, 10).map((r) => r.line).join(', ')}): nothing was written.`);
  }
  const plan = planOf(read.decision, read.rows);
  const claimed = await claim(actor, key, plan, read.rows.length);
  if (!claimed) {
    // A concurrent commit of the same decision claimed it first: this one joins it.
    await runOrJoin(actor, key, opts);
    return { importId: key, earlier: true };
  }
  await runOrJoin(actor, key, opts);
  return { importId: key, earlier: false };
}

/** Step 4: goes on with a decision whose commit stopped. */
export async function resumeDecisionImport(actor: Principal, importId: string, opts: CommitOptions = {}): Promise<DecisionImport> {
  assertMay(actor, 'decision.import');
  const found = await getDecisionImport(importId);
  if (found.state === 'committing') await runOrJoin(actor, importId, opts);
  return getDecisionImport(importId);
}

async function claim(actor: Principal, key: string, plan: Plan, rows: number): Promise<boolean> {
  try {
    await DecisionImportModel.create({
      _id: key,
      decisionNumber: plan.decision.number,
      decisionDate: plan.decision.date,
      province: plan.decision.province,
      state: 'committing',
      plan: JSON.stringify(plan),
      rows,
      steps: plan.producers.length + plan.products.length + plan.certifications.length,
      stepsDone: 0,
      figures: figuresOf(plan),
      startedBy: actor.keyId,
      startedAt: new Date(),
    });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Runs the stored plan, unless this process runs it already (then joins that run). */
async function runOrJoin(actor: Principal, key: string, opts: CommitOptions): Promise<void> {
  let run = running.get(key);
  if (!run) {
    run = runPlan(actor, key, opts.hooks).finally(() => {
      running.delete(key);
      progress.delete(key);
    });
    running.set(key, run);
    run.catch(() => undefined); // unwaited, the failure is stored on the import (lastError) and shown on its page
  }
  const now = await DecisionImportModel.findById(key, { steps: 1, stepsDone: 1 }).lean();
  const left = now ? now.steps - now.stepsDone : 0;
  if (left <= (opts.waitUpTo ?? Infinity)) await run;
}

async function runPlan(actor: Principal, key: string, hooks: CommitHooks | undefined): Promise<void> {
  const doc = await DecisionImportModel.findById(key).lean<DecisionImportDoc>();
  if (!doc || doc.state === 'done') return;
  const plan = JSON.parse(doc.plan) as Plan;
  const steps = stepsOf(key, plan, actor);
  // Steps of one kind are independent (no two rows name one product or one new producer):
  // up to PARALLEL of them at once, never across kinds (a product needs its producer).
  const stageEnds = [plan.producers.length, plan.producers.length + plan.products.length, steps.length];
  let stored = doc.stepsDone;
  try {
    for (let i = doc.stepsDone; i < steps.length; ) {
      const end = Math.min(i + PARALLEL, stageEnds.find((e) => e > i)!);
      await Promise.all(steps.slice(i, end).map((step) => step()));
      for (let n = i + 1; n <= end; n++) {
        progress.set(key, n);
        await hooks?.afterStep?.(n);
      }
      i = end;
      if (i - stored >= PROGRESS_EVERY) {
        await DecisionImportModel.updateOne({ _id: key }, { $set: { stepsDone: i, lastError: null } });
        stored = i;
      }
    }
    await hooks?.beforePublish?.();
    await publishImport(key, plan.certifications.map((c) => c.id), actor);
  } catch (err) {
    const message = err instanceof AppError ? `${err.code}: ${err.message}` : 'the commit stopped (the database did not answer)';
    await DecisionImportModel.updateOne({ _id: key }, { $set: { lastError: message.slice(0, 500) } }).catch(() => undefined);
    throw err;
  }
  await DecisionImportModel.updateOne({ _id: key }, { $set: { state: 'done', stepsDone: steps.length, finishedAt: new Date(), lastError: null } });
  await recordAudit(actor, 'decision.import', { type: 'decision', id: key, provinces: [plan.decision.province] }, { decisionNumber: plan.decision.number, ...figuresOf(plan) });
}

/** Each step creates one record unless its derived id exists already (written by an earlier attempt). */
function stepsOf(key: string, plan: Plan, actor: Principal): Array<() => Promise<void>> {
  const d = plan.decision;
  // Each record is written hidden, under the import's key, until the import publishes it.
  const hidden = (id: string) => ({ id, importing: key });
  const once = async (exists: () => Promise<unknown>, create: () => Promise<unknown>) => {
    if (await exists()) return;
    try {
      await create();
    } catch (err) {
      // A concurrent attempt wrote it between the look and the write.
      if ((isDuplicateKeyError(err) || (err instanceof AppError && err.status === 409)) && (await exists())) return;
      throw err;
    }
  };
  return [
    ...plan.producers.map((p) => () =>
      once(() => findProducer(p.id), () =>
        createProducer(
          { name: p.input.name, kind: p.input.kind, registrationNumber: p.input.registrationNumber, address: { provinceCode: p.input.provinceCode, communeCode: p.input.communeCode, street: null, legacyDistrict: null } },
          actor,
          hidden(p.id),
        ),
      ),
    ),
    ...plan.products.map((p) => () =>
      once(() => findProduct(p.id), () => createProduct({ producerId: p.producerId, name: p.input.name, group: p.input.group, gtin: p.input.gtin }, actor, hidden(p.id))),
    ),
    ...plan.certifications.map((c) => () =>
      once(() => findCertification(c.id), () =>
        createCertification(
          c.productId,
          { stars: c.stars, score: c.score, decisionNumber: d.number, decisionDate: d.date, authority: { level: d.level, ...(d.authorityName ? { name: d.authorityName } : {}) } },
          actor,
          hidden(c.id),
        ),
      ),
    ),
  ];
}
