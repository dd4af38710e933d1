import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors/app-error.js';
import { pickLang } from '../http/language.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { ROLES, type Role } from '../policy/principal.js';
import { findProvince } from '../reference/admin-units.js';
import { accountT, loginInsteadOf401, showAccountPage, type AccountWeb } from './login.routes.js';
import { issueResetLink } from './password-reset.service.js';
import { createUser, getUser, listUsers, setUserDisabled, type NewUser } from './user.service.js';

/**
 * /office/users, for the programme office (admins): the users, a form to create one,
 * and per user a one-time password link (shown once) and disable/enable. A new user
 * has no password: the office hands them the link made with the account.
 */

type Values = { email: string; name: string; role: string; producerId: string; province: string; provinces: string };
const blank = (): Values => ({ email: '', name: '', role: '', producerId: '', province: '', provinces: '' });

export function officePagesRouter(web: AccountWeb): Router {
  const router = Router();
  const lifetimeSec = web.config.accounts.resetLinkSec;

  router.get('/office/users', allow('user.read'), async (req, res) => {
    await showUsers(web, req, res, blank(), []);
  });

  router.post('/office/users', allow('user.create'), async (req, res) => {
    const t = accountT(pickLang(req));
    const body = req.body as Record<string, unknown>;
    const text = (k: keyof Values) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    const values: Values = { email: text('email'), name: text('name'), role: text('role'), producerId: text('producerId'), province: text('province'), provinces: text('provinces') };
    const problems: string[] = [];
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email) || values.email.length > 254) problems.push(t('problem.email'));
    if (!values.name || values.name.length > 200) problems.push(t('problem.name'));
    if (!(ROLES as readonly string[]).includes(values.role)) problems.push(t('problem.role'));
    if (values.role === 'producer' && !/^[0-9a-z]{10}$/.test(values.producerId)) problems.push(t('problem.producerId'));
    if (values.role === 'admin' && values.province && !findProvince(values.province)) problems.push(t('problem.province'));
    const provinces = values.provinces ? values.provinces.split(/[\s,]+/).filter(Boolean) : [];
    if (values.role === 'inspector' && provinces.some((p) => !findProvince(p))) problems.push(t('problem.provinces'));
    if (problems.length) return showUsers(web, req, res, values, problems, 400);

    const input: NewUser = { email: values.email, name: values.name, role: values.role as Role, producerId: values.producerId || null, province: values.province || null, provinces };
    const actor = actorOf(req);
    let userId: string;
    try {
      userId = (await createUser(actor, input)).id;
    } catch (err) {
      if (err instanceof AppError && err.code === 'user/email_taken') return showUsers(web, req, res, values, [t('problem.taken')], 409);
      if (err instanceof AppError && err.code === 'producer/not_found') return showUsers(web, req, res, values, [t('problem.producerId')], 400);
      // Outside the office's province: on the form for a person, as the error for a client asking JSON.
      if (err instanceof AppError && err.code === 'auth/forbidden' && req.accepts(['html', 'json']) === 'html') return showUsers(web, req, res, values, [t('problem.outOfScope')], 403);
      throw err;
    }
    await showLink(web, req, res, await issueResetLink(actor, userId, lifetimeSec), 201);
  });

  router.post('/office/users/:id/reset', allow('user.reset_password'), async (req, res) => {
    await showLink(web, req, res, await issueResetLink(actorOf(req), String(req.params.id), lifetimeSec), 201);
  });

  router.post('/office/users/:id/disable', allow('user.disable'), async (req, res) => {
    await setUserDisabled(actorOf(req), (await getUser(String(req.params.id))).id, true);
    res.redirect(303, '/office/users');
  });

  router.post('/office/users/:id/enable', allow('user.disable'), async (req, res) => {
    await setUserDisabled(actorOf(req), (await getUser(String(req.params.id))).id, false);
    res.redirect(303, '/office/users');
  });

  router.use(loginInsteadOf401(web));
  return router;
}

async function showUsers(web: AccountWeb, req: Request, res: Response, values: Values, problems: string[], status = 200): Promise<void> {
  const t = accountT(pickLang(req));
  const page = await listUsers({ limit: 100, offset: 0 }, actorOf(req));
  showAccountPage(web, req, res, 'users', { title: t('usersTitle'), users: page.items, total: page.page.total, values, problems, roles: ROLES }, status);
}

async function showLink(web: AccountWeb, req: Request, res: Response, link: Awaited<ReturnType<typeof issueResetLink>>, status: number): Promise<void> {
  const t = accountT(pickLang(req));
  const url = `${web.config.publicBaseUrl}/reset/${link.token}`;
  showAccountPage(web, req, res, 'reset-link', { title: t('resetLinkTitle'), url, user: link.user, expiresAt: link.expiresAt }, status);
}
