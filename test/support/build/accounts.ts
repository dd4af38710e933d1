import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { systemPrincipal, type Role } from '../../../src/policy/principal.js';
import { createUser, type NewUser, type UserView } from '../../../src/accounts/user.service.js';
import { SessionModel } from '../../../src/accounts/user.model.js';

/**
 * People's accounts and their browsers: a user made through the service with a known
 * password, and a logged-in browser (a supertest agent keeps its cookies) that went
 * through the login form as a person does.
 */

export const PASSWORD = 'a long enough password';

export async function buildUser(role: Role = 'admin', overrides: Partial<NewUser> = {}): Promise<UserView & { password: string }> {
  const user = await createUser(systemPrincipal, {
    email: `user-${randomUUID().slice(0, 12)}@example.vn`,
    name: `Người dùng ${role}`,
    role,
    password: PASSWORD,
    ...overrides,
  });
  return { ...user, password: overrides.password ?? PASSWORD };
}

/** The CSRF token of the first form on a page. */
export function formToken(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

export type Browser = ReturnType<typeof request.agent>;

/** A browser that opened /login and sent the form: the answer, and the browser to go on with. */
export async function submitLogin(app: Express, email: string, password: string, browser: Browser = request.agent(app), headers: Record<string, string> = {}) {
  const form = await browser.get('/login').set(headers).expect(200);
  const res = await browser.post('/login').set(headers).type('form').send({ _csrf: formToken(form.text), email, password });
  return { res, browser };
}

/** A logged-in browser, and the CSRF token its API writes send (from GET /api/v1/me). */
export async function logIn(app: Express, user: { email: string; password: string }) {
  const { res, browser } = await submitLogin(app, user.email, user.password);
  if (res.status !== 303) throw new Error(`login of ${user.email} answered ${res.status}`);
  const me = await browser.get('/api/v1/me').expect(200);
  return { browser, csrfToken: me.body.csrfToken as string, sessionId: sessionIdOf(res.headers['set-cookie']) };
}

/** The session id in a Set-Cookie answer (express-session signs it: s:<id>.<signature>). */
export function sessionIdOf(setCookie: string | string[] | undefined): string {
  const line = [setCookie ?? []].flat().find((c) => /^(__Host-)?ocop\.sid=/.test(c));
  const value = line ? decodeURIComponent(line.split(';')[0]!.split('=')[1]!) : '';
  const id = /^s:([^.]+)\./.exec(value)?.[1];
  if (!id) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return id;
}

/** Moves a session's clock back by changing its stored times (never a sleep). */
export async function ageSession(sessionId: string, by: { sinceLoginSec?: number; sinceSeenSec?: number }): Promise<void> {
  const now = Date.now();
  const set: Record<string, number> = {};
  if (by.sinceLoginSec !== undefined) set['session.auth.loginAt'] = now - by.sinceLoginSec * 1000;
  if (by.sinceSeenSec !== undefined) set['session.auth.seenAt'] = now - by.sinceSeenSec * 1000;
  const { matchedCount } = await SessionModel.updateOne({ _id: sessionId }, { $set: set });
  if (matchedCount !== 1) throw new Error(`no stored session ${sessionId}`);
}
