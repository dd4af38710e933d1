import type { Request, RequestHandler } from 'express';
import { authenticateApiKey } from '../accounts/api-key.service.js';
import { sessionAuthOf, sessionPrincipal } from '../accounts/session.js';
import { unauthorized } from '../errors/app-error.js';
import { assertMay } from './policy.js';
import { POLICY, type Action } from './policy-table.js';
import type { Principal } from './principal.js';

/**
 * The policy's web edge: who the request acts as, and the `allow(action)` middleware
 * every route starts with. Only routes and app.ts use this file; services get the
 * principal as plain data and ask policy.ts.
 */

/**
 * One way in per credential type, in order: an API key, then a session. The first
 * reader that finds a credential decides, so a request with both a key and a session
 * cookie acts as the key (a script run from a logged-in browser acts as its key, and
 * needs no CSRF token: src/accounts/csrf.ts).
 */
type CredentialReader = {
  /** The credential's text, '' for one sent but unreadable (a non-Bearer Authorization), undefined for none. */
  read(req: Request): string | undefined;
  /**
   * The principal, null for a credential that is not valid (401), or `ended` for one
   * that was valid and has run out (a session past its timeout): the request goes on
   * as anonymous, so the login page and public reads still open.
   */
  authenticate(credential: string, req: Request): Promise<Principal | null | 'ended'>;
};

const apiKey: CredentialReader = {
  read(req) {
    const header = req.get('authorization');
    if (header !== undefined) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
    return req.get('x-api-key');
  },
  authenticate: authenticateApiKey,
};

/** The session cookie: read only where the session layer is mounted (the API and the account pages). */
const session: CredentialReader = {
  read: (req) => (sessionAuthOf(req) ? req.sessionID : undefined),
  authenticate: async (_id, req) => (await sessionPrincipal(req)) ?? 'ended',
};

const READERS: readonly CredentialReader[] = [apiKey, session];

export const INVALID_CREDENTIAL = 'This API key is not valid or has been revoked: send a valid key, or none to read public data.';

const parsed = new WeakMap<Request, Principal | null>();

/**
 * Who the request acts as: null when it carries no credential (anonymous). A credential
 * that is sent must be valid (401 otherwise), so a client learns its key is wrong
 * instead of silently getting the public view. Parsed once per request.
 */
export async function principal(req: Request): Promise<Principal | null> {
  if (parsed.has(req)) return parsed.get(req) ?? null;
  let found: Principal | null = null;
  for (const reader of READERS) {
    const credential = reader.read(req);
    if (credential === undefined) continue;
    const answer = credential ? await reader.authenticate(credential, req) : null;
    if (answer === 'ended') break;
    if (!answer) throw unauthorized(INVALID_CREDENTIAL);
    found = answer;
    break;
  }
  parsed.set(req, found);
  return found;
}

/** Whether the request sends an API key, valid or not (a request with one is not authenticated by its cookies). */
export const carriesApiKey = (req: Request): boolean => apiKey.read(req) !== undefined;

/** Whether the request sends a credential, valid or not, without looking it up (the rate limit on guessing asks). */
export function carriesCredential(req: Request): boolean {
  return READERS.some((reader) => reader.read(req) !== undefined);
}

const actions = new WeakMap<object, Action>();

/**
 * The middleware a route starts with: parses the principal and answers the table's
 * role-level question (401/403 before the handler runs). Ownership is the service's
 * to check once it has the record.
 */
export function allow(action: Action): RequestHandler {
  if (POLICY[action].inline) throw new Error(`${action} is checked inline: mount its handler with openRoute('${action}', handler)`);
  const handler: RequestHandler = async (req, _res, next) => {
    assertMay(await principal(req), action);
    next();
  };
  actions.set(handler, action);
  return handler;
}

/** Whether the request carries a credential at all, readable or not (no I/O). */
function sendsCredential(req: Request): boolean {
  for (const reader of READERS) if (reader.read(req) !== undefined) return true;
  return false;
}

/**
 * A route open to everyone whose action is `inline` (the verification page, probes,
 * static files, resolver documents): the handler, tagged with its action, with no
 * middleware layer in front of it (a layer costs every scan a few microseconds of
 * router dispatch). A request without a credential goes straight to the handler; one
 * that sends a credential has it checked first like anywhere else, so a bad key is a
 * 401 here too, never read as no key.
 */
export function openRoute(action: Action, handler: RequestHandler): RequestHandler {
  if (!POLICY[action].inline) throw new Error(`${action} is asked of the policy: use allow('${action}') in front of the handler`);
  const route: RequestHandler = (req, res, next) => {
    if (!sendsCredential(req)) return handler(req, res, next);
    return principal(req).then(() => handler(req, res, next));
  };
  actions.set(route, action);
  return route;
}

/** The action an `allow()` middleware or an `openRoute()` handler stands for (the route table test reads it). */
export const actionOf = (handler: unknown): Action | undefined =>
  typeof handler === 'function' ? actions.get(handler) : undefined;

/** The caller `allow()` found, null when anonymous. */
export function callerOf(req: Request): Principal | null {
  if (!parsed.has(req)) throw new Error(`${req.method} ${req.path}: the route reads its caller without allow() before it`);
  return parsed.get(req) ?? null;
}

/** The caller of a route whose action needs a key (allow() has refused anonymous callers). */
export function actorOf(req: Request): Principal {
  const caller = callerOf(req);
  if (!caller) throw unauthorized();
  return caller;
}
