import { Router } from 'express';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { parseInput } from '../errors/validate.js';
import { pagingOf } from '../paging.js';
import { apiKeyCreateSchema, apiKeyListSchema } from './api-key.schema.js';
import { createOptionsOf, idempotent, replayAs } from '../http/idempotency.js';
import { createApiKeyFor, findApiKey, listApiKeys, newApiKeyId, revokeApiKey } from './api-key.service.js';
import { presentKeyReplay } from './api-key.presenter.js';

/** API keys, admin only: the key text is shown once, at creation. */
export function apiKeysRouter(): Router {
  const router = Router();
  router.post('/api-keys', allow('api_key.create'), idempotent({ reserveId: newApiKeyId, recover: recoverKey }), async (req, res) => {
    const input = parseInput(apiKeyCreateSchema, req.body);
    const created = await createApiKeyFor(actorOf(req), input, createOptionsOf(req));
    const { key: _secret, ...view } = created;
    replayAs(res, presentKeyReplay(view)); // a repeat learns that the key exists, never its secret
    res.status(201).json(created);
  });

  router.get('/api-keys', allow('api_key.read'), async (req, res) => {
    res.json(await listApiKeys(pagingOf(parseInput(apiKeyListSchema, req.query)), actorOf(req)));
  });

  router.post('/api-keys/:id/revoke', allow('api_key.revoke'), async (req, res) => {
    res.json(await revokeApiKey(actorOf(req), String(req.params.id)));
  });

  return router;
}

async function recoverKey(id: string) {
  const view = await findApiKey(id);
  return view ? { status: 201, body: presentKeyReplay(view) } : null;
}
