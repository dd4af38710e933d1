import { Router } from 'express';

/** Admin API of the OCOP registry: producers, products, certifications. */
export function registryRouter(): Router {
  const router = Router();
  return router;
}
