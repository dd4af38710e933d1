import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../support/app.js';
import { buildProducer, buildUser, formToken, logIn, sessionIdOf, submitLogin } from '../support/kit.js';
import { SessionModel } from '../../src/accounts/user.model.js';

describe('accounts: logging in through the form', () => {
  const app = buildTestApp();

  it('when a user logs in with the right password, then a session cookie is set (httpOnly, SameSite=Lax) and the API knows them', async () => {
    const user = await buildUser('inspector', { provinces: ['01', '79'] });
    const { res, browser } = await submitLogin(app, user.email, user.password);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/account');
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('ocop.sid='))!;
    expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i).and.match(/Path=\//);
    expect(cookie, 'the server decides when a session ends').not.to.match(/Max-Age|Expires/i);
    const me = await browser.get('/api/v1/me').expect(200);
    expect(me.body).to.include({ role: 'inspector', userId: user.id, keyId: `user:${user.id}` });
    expect(me.body.scope).to.deep.equal({ provinces: ['01', '79'] });
    expect(me.body.csrfToken).to.be.a('string');
    const page = await browser.get('/account').expect(200);
    expect(page.text).to.include(user.name).and.include('01, 79');
  });

  it('when a logged-in browser logs in again, then it gets a new session id and the old one no longer works', async () => {
    const user = await buildUser('admin');
    const first = await logIn(app, user);
    // Logged in, /login goes on to the account; the login form is still there to send (another tab).
    await first.browser.get('/login').expect(303).expect('Location', '/account');
    const page = await first.browser.get('/account').expect(200);
    const again = await first.browser.post('/login').type('form').send({ _csrf: formToken(page.text), email: user.email, password: user.password });
    expect(again.status).to.equal(303);
    const second = sessionIdOf(again.headers['set-cookie']);
    expect(second).not.to.equal(first.sessionId);
    expect(await SessionModel.exists({ _id: first.sessionId }), 'the session before the login is deleted').to.equal(null);
    const stale = await request(app).get('/api/v1/me').set('Cookie', `ocop.sid=${encodeURIComponent(`s:${first.sessionId}.x`)}`);
    expect(stale.status).to.equal(401);
  });

  it('when the password is wrong or the account unknown, then both get the same 401 and message, with the email kept in the form', async () => {
    const user = await buildUser('admin');
    const wrong = (await submitLogin(app, user.email, 'not the password at all')).res;
    const unknown = (await submitLogin(app, `nobody-${user.id}@example.vn`, 'not the password at all')).res;
    expect([wrong.status, unknown.status]).to.deep.equal([401, 401]);
    const problem = (html: string) => /id="login-problem">([^<]+)</.exec(html)?.[1];
    expect(problem(wrong.text)).to.equal('Email hoặc mật khẩu không đúng.');
    expect(problem(unknown.text)).to.equal(problem(wrong.text));
    expect(wrong.text).to.include(`value="${user.email}"`);
    expect(wrong.headers['set-cookie'] ?? []).not.to.satisfy((cs: string[]) => cs.some((c) => c.startsWith('ocop.sid=')));
  });

  it('when an account fails 5 times, then the 5th answer is 429 with Retry-After, and even the right password is refused while it is locked', async () => {
    const user = await buildUser('producer', { producerId: (await buildProducer())._id });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await submitLogin(app, user.email, `wrong password ${i}`)).res.status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 429]);
    const right = (await submitLogin(app, user.email, user.password, undefined, { 'Accept-Language': 'en' })).res;
    expect(right.status).to.equal(429);
    expect(Number(right.headers['retry-after'])).to.be.within(1, 15 * 60);
    expect(right.text).to.include('Too many failed attempts');
    expect(right.headers['set-cookie'] ?? []).not.to.satisfy((cs: string[]) => cs.some((c) => c.startsWith('ocop.sid=')));
  });

  it('when one address fails on many accounts past its limit, then its logins are paused too', async () => {
    const strict = buildTestApp({ LOGIN_FAILURES_PER_ADDRESS: '3' });
    const from = { 'X-Forwarded-For': `203.0.113.${Math.floor(Math.random() * 200) + 1}` };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await submitLogin(strict, `someone-${i}-${Date.now()}@example.vn`, 'a wrong password', undefined, from)).res.status);
    expect(statuses).to.deep.equal([401, 401, 429]);
    const user = await buildUser('admin');
    expect((await submitLogin(strict, user.email, user.password, undefined, from)).res.status).to.equal(429);
  });

  it('when the login form is sent without its CSRF token, then 403 auth/csrf and nobody is logged in', async () => {
    const user = await buildUser('admin');
    const res = await request(app).post('/login').type('form').set('Accept', 'application/json').send({ email: user.email, password: user.password });
    expect([res.status, res.body.error?.code]).to.deep.equal([403, 'auth/csrf']);
  });

  it('when the service is behind https, then the session cookie is Secure and named __Host-', async () => {
    const secure = buildTestApp({ SESSION_COOKIE_SECURE: 'true' });
    const user = await buildUser('admin');
    const https = { 'X-Forwarded-Proto': 'https' };
    const form = await request(secure).get('/login').set(https).expect(200);
    const csrfCookie = [form.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-ocop.csrf='))!;
    expect(csrfCookie).to.match(/Secure/).and.match(/SameSite=Strict/i);
    const res = await request(secure).post('/login').set(https).set('Cookie', csrfCookie.split(';')[0]!).type('form')
      .send({ _csrf: formToken(form.text), email: user.email, password: user.password });
    expect(res.status).to.equal(303);
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-ocop.sid='));
    expect(cookie).to.match(/; Secure/).and.match(/HttpOnly/);
  });

  it('when a logged-in user logs out, then the session is deleted and the API sees an anonymous caller', async () => {
    const user = await buildUser('admin');
    const { browser, sessionId } = await logIn(app, user);
    const page = await browser.get('/account').expect(200);
    await browser.post('/logout').type('form').send({ _csrf: formToken(page.text) }).expect(303);
    expect(await SessionModel.exists({ _id: sessionId })).to.equal(null);
    await browser.get('/api/v1/me').expect(401);
  });
});
