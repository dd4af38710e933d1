import { Router } from 'express';

/** Batches (lots) of a product. */
export function batchesRouter(): Router {
  const router = Router();
  return router;
}
