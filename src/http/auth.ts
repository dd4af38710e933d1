import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../policy/principal.js';
import { authenticateApiKey } from '../accounts/api-key.service.js';
import { type Principal } from '../policy/principal.js';
import { forbidden, unauthorized } from '../errors/app-error.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

function keyFromRequest(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m?.[1];
  }
  return req.get('x-api-key') ?? undefined;
}

/**
 * Requires an API key of one of the roles. Usage: router.post('/x', requireRole('admin'), handler).
 * The principal is on req.principal for the handler (use `principalOf(req)`).
 */
export function requireRole(...roles: Role[]) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const key = keyFromRequest(req);
    if (!key) throw unauthorized();
    const principal = await authenticateApiKey(key);
    if (!principal) throw unauthorized('This API key is not valid or has been revoked.');
    if (!roles.includes(principal.role)) throw forbidden(`This needs a key with role ${roles.join(' or ')}.`);
    req.principal = principal;
    next();
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}
