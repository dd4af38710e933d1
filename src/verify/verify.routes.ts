import { Router } from 'express';
import type { Config } from '../config.js';
import type { Keyring } from '../labels/keyring.js';

/** The resolver: label URLs (/01/…, /p/…), the verification page, JSON and linkset answers. */
export function verifyRouter(_deps: { config: Config; keyring: Keyring }): Router {
  const router = Router();
  return router;
}
