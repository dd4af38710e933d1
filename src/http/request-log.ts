import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: the caller's X-Request-Id, or one made here. Sent back and logged. */
    id: string;
  }
}

/**
 * One short log line per request, carrying the request id. Lighter than a child
 * logger per request: the verification page is a hot path and most of its cost
 * would otherwise be logging machinery. Headers never reach the log (they may carry keys),
 * nor the CSRF token a file upload form sends in its address (src/accounts/csrf.ts).
 */
export function requestLog(logger: Logger) {
  // A random per-process prefix and a counter: unique, and far cheaper than a UUID per request.
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : `${prefix}-${(counter += 1).toString(36)}`;
    res.setHeader('x-request-id', req.id);
    if (logger.isLevelEnabled('info')) {
      const start = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        logger.info({ reqId: req.id, method: req.method, url: withoutCsrfToken(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      });
    }
    next();
  };
}

const withoutCsrfToken = (url: string) => (url.includes('_csrf=') ? url.replace(/([?&]_csrf=)[^&]*/g, '$1-') : url);
