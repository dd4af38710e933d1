import type { Logger } from '../logger.js';
import type { Principal } from '../policy/principal.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { issueLabelRun, type LabelRun } from '../labels/runs/issue-run.service.js';

/**
 * Issuing a run from a screen. A run of up to WAIT_UP_TO labels is written within the
 * request (a couple of seconds), so the person lands on an issued run. A larger one (up
 * to 100,000 labels, a minute or two) is written on in the background once it is stored:
 * the person is sent to the run's page, which shows how far it is and can be left and
 * opened again. Should the process stop half-way, the run stays pending with the labels
 * written so far, and "continue" on its page resumes it with the run's own
 * Idempotency-Key (issue-run.service.ts keeps what exists and writes the rest).
 */
export const WAIT_UP_TO = 2000;

/** The runs this process is writing now, by id (a page tells "being made" from "stopped" with it). */
const writing = new Map<string, Promise<unknown>>();

export const isBeingWritten = (runId: string): boolean => writing.has(runId);

/** The background work of a run, for a test that waits for it to end (resolves when none). */
export function runWork(runId: string): Promise<unknown> {
  return writing.get(runId) ?? Promise.resolve();
}

export type ScreenIssue = { batchId: string; count: number; idempotencyKey: string };

/**
 * Issues (or resumes) a run through the run service: the run once it is complete, or,
 * for a large run, once it is stored and being written. Refusals before the run is
 * stored (allowance, certification, no signing key) are thrown to the caller.
 */
export async function issueFromScreen(principal: Principal, input: ScreenIssue, deps: { keyring: Keyring; logger?: Logger | undefined }): Promise<{ run: LabelRun; finished: boolean }> {
  let stored!: (run: LabelRun) => void;
  const storedRun = new Promise<LabelRun>((resolve) => (stored = resolve));
  const work = issueLabelRun(principal, input, { keyring: deps.keyring, onStored: (run) => stored(run) });
  const first = await Promise.race([work.then((done) => ({ done })), storedRun.then((run) => ({ run }))]);
  if ('done' in first) return { run: first.done.run, finished: true };
  if (first.run.count <= WAIT_UP_TO) return { run: (await work).run, finished: true };

  const runId = first.run._id;
  const tracked = work
    .catch((err: unknown) => deps.logger?.error({ err, runId }, 'label run stopped before it was complete; its page offers to continue'))
    .finally(() => writing.delete(runId));
  writing.set(runId, tracked);
  return { run: first.run, finished: false };
}
