import { isIPv6 } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.js';
import { AppError } from '../errors/app-error.js';
import type { CodeWithStatus } from '../errors/catalogue.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../policy/principal.js';
import { Limiter, type LimitRule, type Refusal, type SharedStore } from './limiter.js';

/**
 * The rate limits as middleware: 429 `request/rate_limited` with `Retry-After` (seconds).
 * The counts come from config (RATE_LIMIT_*); the windows are fixed here. See
 * docs/operations.md "Rate limits".
 *
 * - the API (`/api`): per API key when the request carries a valid one, else per client
 *   address; writes have a smaller budget than reads. Requests with an invalid key are
 *   counted per address too, and past that limit the address's keyed requests are refused
 *   before the key is even looked up;
 * - label URLs (the verification page, the resolver): per client address, in memory only;
 * - anything else (login, a report form): `rateLimit(config, {name, points, windowSec})`,
 *   one line in front of the route's handler.
 */
export const API_WINDOW_SEC = 60;
export const AUTH_FAILURE_WINDOW_SEC = 600;
export const PAGE_WINDOW_SEC = 60;

/**
 * The client a count is kept for: its address as Express sees it (`trust proxy` decides
 * whether X-Forwarded-For counts), an IPv6 address by its /64 — one host or home
 * network usually holds a whole /64, and would otherwise get a budget per address.
 */
export function clientAddress(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::/64`;
}

/** The store every limit made from this config uses for its shared count (none: this process only). */
function storeOf(config: Config, logger?: Logger): SharedStore | null {
  if (!config.rateLimits.shared) return null;
  let lastWarned = 0;
  return {
    timeoutMs: config.rateLimits.storeTimeoutMs,
    onError(err) {
      // One line a minute is enough to notice; each instance's own count keeps limiting meanwhile.
      if (!logger || Date.now() - lastWarned < 60_000) return;
      lastWarned = Date.now();
      logger.warn({ err }, 'shared rate-limit count unavailable: this instance counts alone');
    },
  };
}

type RateLimitCode = CodeWithStatus<429>;

/** Refuses the request: Retry-After, and the catalogued error through the error handler. */
function refuse(res: Response, next: NextFunction, refusal: Refusal, what: string, code: RateLimitCode = 'request/rate_limited'): void {
  res.setHeader('Retry-After', String(refusal.retryAfterSec));
  next(
    new AppError(code, `${what}: try again in ${refusal.retryAfterSec} s.`, {
      retryAfterSeconds: refusal.retryAfterSec,
      limit: refusal.limit,
      windowSeconds: refusal.windowSec,
    }),
  );
}

export type RateLimitOptions = LimitRule & {
  /** What is counted, in the 429's message, e.g. "Too many login attempts from this address". */
  what?: string;
  /** Whose count a request adds to (default: the client address). */
  keyOf?: (req: Request) => string;
  /** The catalogued 429 code to answer, when people read it in a form (default request/rate_limited). */
  code?: RateLimitCode;
};

/**
 * A limit in front of one route, for login or a report form:
 * `router.post('/login', rateLimit(config, { name: 'login', points: 10, windowSec: 600 }), handler)`.
 * Counted per client address unless `keyOf` says otherwise, shared between instances
 * when the API's counts are (RATE_LIMIT_STORE).
 */
export function rateLimit(config: Config, options: RateLimitOptions, logger?: Logger): RequestHandler {
  const limiter = new Limiter(options, storeOf(config, logger));
  const keyOf = options.keyOf ?? clientAddress;
  const what = options.what ?? 'Too many requests from this address';
  return async function rateLimit(req, res, next) {
    const refusal = await limiter.consume(keyOf(req));
    if (refusal) refuse(res, next, refusal, what, options.code);
    else next();
  };
}

/** How the API limit learns who calls: the policy's reading of the request (src/policy/principal-of-request.ts). */
export type Callers = {
  /** The caller, null when anonymous; throws 401 auth/unauthorized for a credential that is not valid. */
  principal(req: Request): Promise<Principal | null>;
  /** Whether the request sends a credential at all, without looking it up. */
  carriesCredential(req: Request): boolean;
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The API's limits, mounted on `/api` in front of the body parser (a refused request's body is never read). */
export function apiRateLimit(config: Config, callers: Callers, logger?: Logger): RequestHandler {
  const limits = config.rateLimits;
  const store = storeOf(config, logger);
  const limiter = (name: string, points: number, windowSec = API_WINDOW_SEC) => new Limiter({ name, points, windowSec }, store);
  const keyReads = limiter('api_key_reads', limits.keyReads);
  const keyWrites = limiter('api_key_writes', limits.keyWrites);
  const ipReads = limiter('api_ip_reads', limits.ipReads);
  const ipWrites = limiter('api_ip_writes', limits.ipWrites);
  const authFailures = limiter('api_auth_failures', limits.authFailures, AUTH_FAILURE_WINDOW_SEC);

  return async function apiRateLimit(req, res, next) {
    const address = clientAddress(req);
    const read = READ_METHODS.has(req.method);
    let caller: Principal | null = null;
    if (callers.carriesCredential(req)) {
      const guessing = await authFailures.refused(address);
      if (guessing) {
        refuse(res, next, guessing, 'Too many requests with an invalid API key from this address; check the key');
        return;
      }
      try {
        caller = await callers.principal(req);
      } catch (err) {
        const failed = err instanceof AppError && err.code === 'auth/unauthorized' ? await authFailures.consume(address) : null;
        if (failed) refuse(res, next, failed, 'Too many requests with an invalid API key from this address; check the key');
        else next(err);
        return;
      }
    }
    const refusal = caller
      ? await (read ? keyReads : keyWrites).consume(`key:${caller.keyId}`)
      : await (read ? ipReads : ipWrites).consume(`ip:${address}`);
    if (!refusal) {
      next();
      return;
    }
    const whose = caller ? 'this API key' : 'this address without an API key';
    refuse(res, next, refusal, `Too many API ${read ? 'reads' : 'writes'} from ${whose} (at most ${refusal.limit} a minute)`);
  };
}

/**
 * The limit on label URLs, per client address and in memory only: the page never waits
 * for the database because of it. Null when RATE_LIMIT_PAGE is 0.
 */
export function pageRateLimit(config: Config): RequestHandler | null {
  const limiter = new Limiter({ name: 'page', points: config.rateLimits.page, windowSec: PAGE_WINDOW_SEC }, null);
  if (!limiter.enabled) return null;
  return function pageRateLimit(req, res, next) {
    limiter.consume(clientAddress(req)).then((refusal) => {
      if (refusal) refuse(res, next, refusal, 'Too many label checks from this address', 'verify/rate_limited');
      else next();
    }, next);
  };
}
