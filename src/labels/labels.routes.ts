import { Router } from 'express';
import type { Config } from '../config.js';
import type { Keyring } from './signing/keyring.js';
import { keysRouter } from './signing/signing-keys.routes.js';
import { labelOutputsRouter } from './print/label-prints.routes.js';
import { labelRunsRouter } from './runs/label-runs.routes.js';

/** Label runs, label rendering (SVG, PNG, PDF sheet, CSV) and signing key admin. */
export function labelsRouter(deps: { config: Config; keyring: Keyring }): Router {
  const router = Router();
  router.use(labelRunsRouter(deps));
  router.use(labelOutputsRouter(deps));
  router.use(keysRouter(deps));
  return router;
}
