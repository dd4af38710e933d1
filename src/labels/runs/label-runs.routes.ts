import { Router } from 'express';
import { badRequest } from '../../errors/app-error.js';
import { actorOf, allow } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import type { Keyring } from '../signing/keyring.js';
import { getRun, listRunsOfBatch, revokeRun } from './labels.service.js';
import { issueLabelRun } from './issue-run.service.js';
import { issueRunBody, reasonBody, recordIdParam, runListQuery } from './label-run.schema.js';
import { REPLAYED_HEADER, createOptionsOf, idempotencyKeyOf } from '../../http/idempotency.js';
import { presentRun } from './label.presenter.js';
import { pagingOf } from '../../paging.js';

/** Issuing, reading and revoking label runs. */
export function labelRunsRouter(deps: { keyring: Keyring }): Router {
  const router = Router();
  router.post('/batches/:batchId/label-runs', allow('label_run.issue'), async (req, res) => {
    const batchId = parseInput(recordIdParam, req.params.batchId);
    // The run itself holds its key (no expiry, resumable): see issue-run.service.ts.
    const idempotencyKey = idempotencyKeyOf(req);
    if (idempotencyKey === undefined) {
      throw badRequest(
        'run/idempotency_key_required',
        'Send an Idempotency-Key header (e.g. a UUID) so that a retried request does not print a second run.',
      );
    }
    const { count } = parseInput(issueRunBody, req.body);
    const { signal } = createOptionsOf(req);
    const { run, created } = await issueLabelRun(actorOf(req), { batchId, count, idempotencyKey }, { keyring: deps.keyring, signal });
    if (!created) res.set(REPLAYED_HEADER, 'true');
    res.status(created ? 201 : 200).location(`/api/v1/label-runs/${run._id}`).json(presentRun(run));
  });

  router.get('/batches/:batchId/label-runs', allow('label_run.read'), async (req, res) => {
    const batchId = parseInput(recordIdParam, req.params.batchId);
    const paging = pagingOf(parseInput(runListQuery, req.query));
    const runs = await listRunsOfBatch(actorOf(req), batchId, paging);
    res.json({ ...runs, items: runs.items.map(presentRun) });
  });

  router.get('/label-runs/:id', allow('label_run.read'), async (req, res) => {
    const id = parseInput(recordIdParam, req.params.id);
    res.json(presentRun(await getRun(actorOf(req), id)));
  });

  router.post('/label-runs/:id/revoke', allow('label_run.revoke'), async (req, res) => {
    const id = parseInput(recordIdParam, req.params.id);
    const { reason } = parseInput(reasonBody, req.body);
    res.json(presentRun(await revokeRun(actorOf(req), id, reason)));
  });

  return router;
}
