import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors/app-error.js';
import { pickLang } from '../http/language.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import type { Principal } from '../policy/principal.js';
import { createOwnApiKey, listOwnApiKeys, revokeOwnApiKey } from './api-key.service.js';
import { accountT, loginInsteadOf401, passwordProblem, showAccountPage, type AccountWeb } from './login.routes.js';
import { carryOn, endSession } from './session.js';
import { changeOwnPassword, endAllSessions, getUser } from './user.service.js';

/**
 * /account: who you are, your role and scope, your API keys, your password, and "log
 * out everywhere". For a logged-in user; an API key has no account page (login form).
 * Writes answer with the page itself, with what changed on it.
 */
export function accountPagesRouter(web: AccountWeb): Router {
  const router = Router();

  router.get('/account', allow('account.read_own'), async (req, res) => {
    await showAccount(web, req, res, {});
  });

  router.post('/account/password', allow('account.update_own'), async (req, res) => {
    const actor = actorOf(req);
    if (!actor.userId) return res.redirect(303, '/login');
    const t = accountT(pickLang(req));
    const body = req.body as Record<string, unknown>;
    const current = typeof body.current === 'string' ? body.current : '';
    const next = typeof body.password === 'string' ? body.password : '';
    const problem = passwordProblem(next, t);
    if (problem) return showAccount(web, req, res, { passwordProblem: problem }, 400);
    try {
      carryOn(req, await changeOwnPassword(actor, current, next));
    } catch (err) {
      if (err instanceof AppError && err.code === 'user/wrong_password') return showAccount(web, req, res, { passwordProblem: t('problem.currentPassword') }, 400);
      throw err;
    }
    await showAccount(web, req, res, { notice: t('passwordChanged') });
  });

  router.post('/account/logout-everywhere', allow('account.update_own'), async (req, res) => {
    const actor = actorOf(req);
    if (actor.userId) await endAllSessions(actor, actor.userId);
    await endSession(req, res, web.config.accounts);
    res.redirect(303, '/login');
  });

  router.post('/account/keys', allow('account.update_own'), async (req, res) => {
    const actor = actorOf(req);
    if (!actor.userId) return res.redirect(303, '/login');
    const raw = (req.body as Record<string, unknown>).label;
    const label = typeof raw === 'string' ? raw.trim() : '';
    if (!label || label.length > 200) return showAccount(web, req, res, { keyProblem: accountT(pickLang(req))('keyLabelMissing') }, 400);
    const created = await createOwnApiKey(actor, label);
    await showAccount(web, req, res, { newKey: created.key }, 201);
  });

  router.post('/account/keys/:id/revoke', allow('account.update_own'), async (req, res) => {
    const actor = actorOf(req);
    if (!actor.userId) return res.redirect(303, '/login');
    await revokeOwnApiKey(actor, String(req.params.id));
    res.redirect(303, '/account');
  });

  router.use(loginInsteadOf401(web));
  return router;
}

type Extras = { notice?: string; passwordProblem?: string; keyProblem?: string; newKey?: string };

async function showAccount(web: AccountWeb, req: Request, res: Response, extras: Extras, status = 200): Promise<void> {
  const actor = actorOf(req);
  if (!actor.userId) return res.redirect(303, '/login');
  const t = accountT(pickLang(req));
  const [user, keys] = await Promise.all([getUser(actor.userId), listOwnApiKeys(actor.userId)]);
  showAccountPage(web, req, res, 'account', { title: t('accountTitle'), user, keys, scopeText: scopeText(actor, t), ...extras }, status);
}

function scopeText(actor: Principal, t: ReturnType<typeof accountT>): string {
  const scope = actor.scope ?? {};
  if (actor.role === 'admin') return scope.province ? t('scope.province', { province: scope.province }) : t('scope.national');
  if (actor.role === 'inspector') return scope.provinces?.length ? t('scope.provinces', { provinces: scope.provinces.join(', ') }) : t('scope.none');
  return '';
}

/** GET /api/v1/me: who the caller is, and for a session the CSRF token its writes send (X-CSRF-Token). */
export function meApiRouter(web: AccountWeb): Router {
  const router = Router();
  router.get('/me', allow('account.read_own'), async (req, res) => {
    const actor = actorOf(req);
    const bySession = Boolean(actor.userId) && actor.keyId === `user:${actor.userId}`;
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      keyId: actor.keyId,
      role: actor.role,
      producerId: actor.producerId,
      userId: actor.userId ?? null,
      scope: actor.scope ?? null,
      user: actor.userId ? await getUser(actor.userId) : null,
      csrfToken: bySession ? web.csrf.tokenFor(req, res) : null,
    });
  });
  return router;
}
