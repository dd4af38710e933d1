import { Router } from 'express';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { parseInput } from '../errors/validate.js';
import { createBatchInput, listBatchesQuery, recordIdParam } from './batch.schema.js';
import { createBatch, findBatch, getBatch, listBatches, updateBatch } from './batch.service.js';
import { createOptionsOf, idempotent } from '../http/idempotency.js';
import { newId } from '../ids.js';
import { presentBatch } from './batch.presenter.js';

/** Batches (lots) of a product: created, listed, read, and changed until labels are printed for them. */
export function batchesRouter(): Router {
  const router = Router();
  const recover = async (id: string) => {
    const batch = await findBatch(id);
    return batch && { status: 201, location: `/api/v1/batches/${batch._id}`, body: presentBatch(batch) };
  };
  router.post('/products/:productId/batches', allow('batch.create'), idempotent({ reserveId: newId, recover }), async (req, res) => {
    const productId = parseInput(recordIdParam, req.params.productId);
    const input = parseInput(createBatchInput, req.body);
    const batch = await createBatch(actorOf(req), productId, input, createOptionsOf(req));
    res.status(201).location(`/api/v1/batches/${batch._id}`).json(presentBatch(batch));
  });

  router.get('/batches', allow('batch.read'), async (req, res) => {
    const query = parseInput(listBatchesQuery, req.query);
    const page = await listBatches(actorOf(req), query);
    res.json({ ...page, items: page.items.map(presentBatch) });
  });

  router.get('/batches/:id', allow('batch.read'), async (req, res) => {
    const id = parseInput(recordIdParam, req.params.id);
    res.json(presentBatch(await getBatch(actorOf(req), id)));
  });

  // Every field again, as when it was created (the edit form's rule): until its first label run.
  router.put('/batches/:id', allow('batch.update'), async (req, res) => {
    const id = parseInput(recordIdParam, req.params.id);
    const input = parseInput(createBatchInput, req.body);
    res.json(presentBatch(await updateBatch(actorOf(req), id, input)));
  });

  return router;
}
