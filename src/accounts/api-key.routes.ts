import { Router } from 'express';
import { z } from 'zod';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { parseInput } from '../errors/validate.js';
import { ROLES } from '../policy/principal.js';
import { listQuery, pagingOf } from '../paging.js';
import { createApiKeyFor, listApiKeys, revokeApiKey } from './api-key.service.js';

const createSchema = z
  .strictObject({
    role: z.enum(ROLES),
    label: z.string().trim().min(1).max(200),
    producerId: z.string().regex(/^[0-9a-z]{10}$/, 'not a producer id').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'producer' && !v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'a producer key needs its producerId' });
    if (v.role !== 'producer' && v.producerId) ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'only producer keys belong to a producer' });
  });

const listSchema = listQuery({});

/** API keys, admin only: the key text is shown once, at creation. */
export function apiKeysRouter(): Router {
  const router = Router();
  router.post('/api-keys', allow('api_key.create'), async (req, res) => {
    const input = parseInput(createSchema, req.body);
    res.status(201).json(await createApiKeyFor(actorOf(req), input));
  });

  router.get('/api-keys', allow('api_key.read'), async (req, res) => {
    res.json(await listApiKeys(pagingOf(parseInput(listSchema, req.query))));
  });

  router.post('/api-keys/:id/revoke', allow('api_key.revoke'), async (req, res) => {
    res.json(await revokeApiKey(actorOf(req), String(req.params.id)));
  });

  return router;
}
