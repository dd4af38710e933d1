import { Router } from 'express';
import type { Config } from '../config.js';
import type { Keyring } from './keyring.js';

/** Label runs, label rendering (SVG, PNG, PDF sheet, CSV), signing key admin, JWKS. */
export function labelsRouter(_deps: { config: Config; keyring: Keyring }): Router {
  const router = Router();
  return router;
}
