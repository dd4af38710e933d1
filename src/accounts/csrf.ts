import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { AccountSettings } from '../config.js';
import { AppError } from '../errors/app-error.js';

/**
 * CSRF protection for everything a browser sends with its cookies (csrf-csrf, the
 * signed double-submit cookie): every form of the account pages, the login form
 * included, and every API write authenticated by the session cookie. A request with an
 * API key is not authenticated by a cookie and is never asked for a token.
 *
 * The token is an HMAC of a random value and the session id (of a logged-in session;
 * '' before login), kept in a cookie (httpOnly, SameSite=Strict, `__Host-` behind
 * https) and sent back in the form field `_csrf` or the `X-CSRF-Token` header (a file
 * upload form, whose body is read later, in its action's `?_csrf=`). Logging
 * in changes the session id, which voids the tokens made before it.
 */

const IGNORED = new Set(['GET', 'HEAD', 'OPTIONS']);

export type Csrf = {
  /** A token for the page's forms (sets the cookie when it has none that fits this session). */
  tokenFor(req: Request, res: Response): string;
  /** Refuses a write without a valid token: 403 auth/csrf. `when` says which writes need one. */
  guard(when: (req: Request) => boolean): RequestHandler;
};

export function csrfProtection(settings: AccountSettings, secret: string): Csrf {
  // Its own key, derived from the session secret: a session signature never doubles as a CSRF token.
  const csrfSecret = createHash('sha256').update(`csrf:${secret}`).digest('base64url');
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => csrfSecret,
    getSessionIdentifier: (req) => (req.session?.auth ? req.sessionID : ''),
    cookieName: settings.cookieSecure ? '__Host-ocop.csrf' : 'ocop.csrf',
    cookieOptions: { sameSite: 'strict', secure: settings.cookieSecure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string') return header;
      const field = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof field === 'string') return field;
      // A file upload's body is read only after this check (by its route, with its size
      // limit): its form carries the token in its action's query instead.
      const query = (req.query as Record<string, unknown> | undefined)?._csrf;
      return req.is('multipart/form-data') && typeof query === 'string' ? query : undefined;
    },
  });
  return {
    tokenFor: (req, res) => generateCsrfToken(req, res),
    guard(when) {
      return function csrfGuard(req, _res, next) {
        if (IGNORED.has(req.method) || !when(req) || validateRequest(req)) return next();
        next(new AppError('auth/csrf', 'This form or request carries no valid CSRF token: reload the page and send it again (API clients: send the X-CSRF-Token from GET /api/v1/me, or use an API key).'));
      };
    },
  };
}
