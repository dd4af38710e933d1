import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../config.js';
import { AppError } from '../errors/app-error.js';
import { translator, type Lang } from '../i18n.js';
import { pickLang } from '../http/language.js';
import { renderPage } from '../http/views.js';
import { clientAddress } from '../limits/rate-limit.js';
import { carriesApiKey, openRoute, principal } from '../policy/principal-of-request.js';
import { accountMessages } from './account.messages.js';
import type { Csrf } from './csrf.js';
import type { LoginGate } from './login.service.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';
import { resetLinkUser, useResetLink } from './password-reset.service.js';
import { endSession, sessionAuthOf, sessionLayer, startSession } from './session.js';
import type session from 'express-session';

/**
 * The account pages' shared plumbing (the session, form bodies, CSRF, rendering) and
 * the pages open to everyone: log in, log out, set a password from a reset link.
 * /account is account.routes.ts, /office/users office.routes.ts.
 */

export type AccountWeb = { config: Config; csrf: Csrf; gate: LoginGate; secret: string; store: session.Store };

/**
 * The screens people log in to: their account, the programme office's (src/office/),
 * a producer's own (src/producer-screens/) and the market inspector's app (src/inspect/).
 */
export const SCREENS = ['/account', '/office', '/producer', '/inspect'];

/** Where the session layer is mounted for pages (the API has its own, app.ts). */
export const ACCOUNT_PAGES = ['/login', '/logout', '/reset', ...SCREENS];

const translators = { vi: translator(accountMessages, 'vi'), en: translator(accountMessages, 'en') };
export const accountT = (lang: Lang) => translators[lang];

/** The session, form bodies and the CSRF check, in front of every account page. */
export function accountPagesLayer(web: AccountWeb): RequestHandler {
  const steps: RequestHandler[] = [
    sessionLayer(web.config, web.secret, web.store),
    express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 }),
    web.csrf.guard((req) => !carriesApiKey(req)),
  ];
  return function accountPages(req, res, next) {
    let i = 0;
    const step = (err?: unknown): void => {
      if (err) return next(err);
      const handler = steps[i++];
      if (!handler) return next();
      handler(req, res, step);
    };
    step();
  };
}

/**
 * The session on the API, for requests that carry its cookie (a key-only client skips
 * it at the cost of one header check), and the CSRF check of writes it authenticates.
 */
export function apiSessionLayer(web: AccountWeb): RequestHandler {
  const sessions = sessionLayer(web.config, web.secret, web.store, { onlyWithCookie: true });
  const guard = web.csrf.guard((req) => !carriesApiKey(req) && Boolean(sessionAuthOf(req)));
  return function accountSession(req, res, next) {
    sessions(req, res, (err?: unknown) => (err ? next(err) : guard(req, res, next)));
  };
}

/** Renders views/accounts/<view>.eta with the page's language, messages and a CSRF token for its forms. */
export function showAccountPage(web: AccountWeb, req: Request, res: Response, view: string, data: { title: string } & Record<string, unknown>, status = 200): void {
  showScreen(web, req, res, `accounts/${view}`, { t: translators[pickLang(req)], ...data }, status);
}

/**
 * Renders a logged-in screen (views/<view>.eta): never cached, with the page's language,
 * a CSRF token for its forms (`_csrf`), and the data, which brings its own messages (`t`).
 */
export function showScreen(web: AccountWeb, req: Request, res: Response, view: string, data: { title: string; t: unknown } & Record<string, unknown>, status = 200): void {
  res.setHeader('Cache-Control', 'no-store');
  renderPage(req, res, view, { lang: pickLang(req), csrfToken: web.csrf.tokenFor(req, res), ...data }, status);
}

/** A path of this site to go on to after login, never another site's. */
const nextPath = (value: unknown) => (typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/account');

const field = (req: Request, name: string) => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

function showLogin(web: AccountWeb, req: Request, res: Response, data: { email?: string; problem?: string; next?: string }, status = 200) {
  const lang = pickLang(req);
  showAccountPage(web, req, res, 'login', { title: translators[lang]('loginTitle'), email: data.email ?? '', problem: data.problem ?? null, next: data.next ?? '/account' }, status);
}

/**
 * A page that needs an account, opened without one by a browser: the login form, which
 * comes back to the page. Machines (asking for JSON) get the 401 as everywhere.
 */
export function loginInsteadOf401(web: AccountWeb) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    // Mounted at the root, this sees the errors of routers mounted before it too: only its own pages' count.
    const ours = SCREENS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`));
    if (!ours || !(err instanceof AppError && err.code === 'auth/unauthorized') || req.method !== 'GET' || req.accepts(['html', 'json']) !== 'html') return next(err);
    showLogin(web, req, res, { next: req.originalUrl }, 401);
  };
}

export function loginPagesRouter(web: AccountWeb): Router {
  const router = Router();
  const settings = web.config.accounts;

  router.get('/login', openRoute('account.login', async (req, res) => {
    if ((await principal(req))?.userId) return res.redirect(303, nextPath(req.query.next));
    showLogin(web, req, res, { next: nextPath(req.query.next) });
  }));

  router.post('/login', openRoute('account.login', async (req, res) => {
    const t = translators[pickLang(req)];
    const email = field(req, 'email').trim().slice(0, 254);
    const password = field(req, 'password').slice(0, PASSWORD_MAX);
    const next = nextPath(field(req, 'next'));
    if (!email || !password) return showLogin(web, req, res, { email, next, problem: t('loginMissing') }, 400);
    const outcome = await web.gate.logIn({ email, password, address: clientAddress(req) });
    if (outcome.ok) {
      await startSession(req, { userId: outcome.user.id, gen: outcome.user.generation });
      return res.redirect(303, next);
    }
    if (outcome.reason === 'locked') {
      res.setHeader('Retry-After', String(outcome.retryAfterSec));
      return showLogin(web, req, res, { email, next, problem: t('loginLocked', { minutes: Math.max(1, Math.ceil(outcome.retryAfterSec / 60)) }) }, 429);
    }
    showLogin(web, req, res, { email, next, problem: t('loginWrong') }, 401);
  }));

  router.post('/logout', openRoute('account.login', async (req, res) => {
    await endSession(req, res, settings);
    res.redirect(303, '/login');
  }));

  router.get('/reset/:token', openRoute('account.login', async (req, res) => {
    const t = translators[pickLang(req)];
    const user = await resetLinkUser(String(req.params.token));
    if (!user) return showAccountPage(web, req, res, 'reset', { title: t('resetTitle'), gone: true }, 410);
    showAccountPage(web, req, res, 'reset', { title: t('resetTitle'), gone: false, email: user.email, problem: null, action: req.path });
  }));

  router.post('/reset/:token', openRoute('account.login', async (req, res) => {
    const t = translators[pickLang(req)];
    const token = String(req.params.token);
    const password = field(req, 'password');
    const problem = passwordProblem(password, t);
    if (problem) {
      const user = await resetLinkUser(token);
      if (!user) return showAccountPage(web, req, res, 'reset', { title: t('resetTitle'), gone: true }, 410);
      return showAccountPage(web, req, res, 'reset', { title: t('resetTitle'), gone: false, email: user.email, problem, action: req.path }, 400);
    }
    try {
      await useResetLink(token, password);
    } catch (err) {
      if (err instanceof AppError && err.code === 'user/reset_link_invalid') return showAccountPage(web, req, res, 'reset', { title: t('resetTitle'), gone: true }, 410);
      throw err;
    }
    // Whoever was logged in on this browser is not the person who just set a password.
    await endSession(req, res, settings);
    showAccountPage(web, req, res, 'reset', { title: t('resetTitle'), gone: false, done: true }, 200);
  }));

  return router;
}

export function passwordProblem(password: string, t: (typeof translators)['vi']): string | null {
  if (password.length < PASSWORD_MIN) return t('passwordTooShort', { min: PASSWORD_MIN });
  if (password.length > PASSWORD_MAX) return t('passwordTooLong', { max: PASSWORD_MAX });
  return null;
}
