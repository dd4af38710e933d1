import { Router } from 'express';
import { parseInput } from '../errors/validate.js';
import { pagingOf } from '../paging.js';
import { listProvinces } from '../policy/policy.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { auditListSchema } from './audit.schema.js';
import { listAudit } from './audit.service.js';

/**
 * The audit log for programs, newest first. A provincial admin reads the entries of its
 * province's records (naming another province: 403); the national office every entry.
 * No total (the log only grows): `page.hasMore` says whether another page follows.
 */
export function auditApiRouter(): Router {
  const router = Router();
  router.get('/audit', allow('audit.read'), async (req, res) => {
    const q = parseInput(auditListSchema, req.query);
    const paging = pagingOf(q);
    const list = await listAudit(
      {
        userId: q.user,
        actor: q.actor,
        action: q.action,
        targetId: q.record,
        provinces: listProvinces(actorOf(req), 'audit.read', q.province),
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      paging,
    );
    res.json({ items: list.items, page: { ...paging, hasMore: list.hasMore } });
  });
  return router;
}
