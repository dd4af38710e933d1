import { Router } from 'express';
import { actorOf, allow } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import type { Keyring } from './keyring.js';
import { listKeys, revokeKey, rotateKey } from './signing-keys.service.js';
import { kidParam, reasonBody } from '../runs/label-run.schema.js';
import { createOptionsOf, idempotent } from '../../http/idempotency.js';
import { assertClientWaiting } from '../../create-options.js';

/** Signing keys: list, rotate, revoke (admin only). The public JWKS is served by the verifier. */
export function keysRouter(deps: { keyring: Keyring }): Router {
  const router = Router();
  router.get('/keys', allow('signing_key.read'), async (_req, res) => {
    res.json({ items: await listKeys(deps.keyring) });
  });

  // A rotation creates a key but reserves no id (a kid is the key's thumbprint): a repeat replays the first answer.
  router.post('/keys/rotate', allow('signing_key.rotate'), idempotent(), async (req, res) => {
    assertClientWaiting(createOptionsOf(req));
    const { kid } = await rotateKey(deps.keyring, actorOf(req));
    const items = await listKeys(deps.keyring);
    res.status(201).json({ kid, items });
  });

  router.post('/keys/:kid/revoke', allow('signing_key.revoke'), async (req, res) => {
    const kid = parseInput(kidParam, req.params.kid);
    const { reason } = parseInput(reasonBody, req.body);
    await revokeKey(deps.keyring, actorOf(req), kid, reason);
    res.json({ items: await listKeys(deps.keyring) });
  });

  return router;
}
