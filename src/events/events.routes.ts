import { Router } from 'express';

/** Value-chain events API (EPCIS 2.0 capture, query, export, chain check). */
export function eventsRouter(): Router {
  const router = Router();
  return router;
}
