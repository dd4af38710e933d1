import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { ageSession, batchInput, buildProduct, buildProducer, buildUser, formToken, logIn } from '../support/kit.js';
import { SessionModel } from '../../src/accounts/user.model.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { setUserDisabled } from '../../src/accounts/user.service.js';
import { sweepEndedSessions } from '../../src/accounts/session.js';
import { systemPrincipal } from '../../src/policy/principal.js';

/** The token with its first character changed: always another token (a changed last character may carry no bits). */
const forgedToken = (token: string) => `${token[0] === '0' ? '1' : '0'}${token.slice(1)}`;

describe('accounts: sessions end, and act exactly as a key of the same role', () => {
  const app = buildTestApp({ SESSION_IDLE_SEC: '600', SESSION_ABSOLUTE_SEC: '3600' });

  it('when a session is unused longer than the idle timeout, then it ends: the API sees an anonymous caller and the session is deleted', async () => {
    const { browser, sessionId } = await logIn(app, await buildUser('admin'));
    await ageSession(sessionId, { sinceSeenSec: 599 });
    await browser.get('/api/v1/me').expect(200);
    await ageSession(sessionId, { sinceSeenSec: 601 });
    const res = await browser.get('/api/v1/me');
    expect([res.status, res.body.error?.code]).to.deep.equal([401, 'auth/unauthorized']);
    expect(await SessionModel.exists({ _id: sessionId })).to.equal(null);
  });

  it('when a busy session is older than the absolute timeout, then it ends all the same, and its account page shows the login form', async () => {
    const { browser, sessionId } = await logIn(app, await buildUser('admin'));
    await ageSession(sessionId, { sinceLoginSec: 3601, sinceSeenSec: 1 });
    const page = await browser.get('/account').set('Accept', 'text/html');
    expect(page.status).to.equal(401);
    expect(page.text).to.include('action="/login').and.include('value="/account"');
  });

  it('when a browser whose session has ended sends the login form it still shows, then the user is logged in again', async () => {
    const user = await buildUser('admin');
    const { browser, sessionId } = await logIn(app, user);
    const page = await browser.get('/account').expect(200);
    await ageSession(sessionId, { sinceSeenSec: 601 });
    const res = await browser.post('/login').type('form').send({ _csrf: formToken(page.text), email: user.email, password: user.password });
    expect(res.status).to.equal(303);
    await browser.get('/api/v1/me').expect(200);
    expect(await SessionModel.exists({ _id: sessionId })).to.equal(null);
  });

  it('when a user changes their password, then this session goes on, the others end, and the new password logs in', async () => {
    const user = await buildUser('producer', { producerId: (await buildProducer())._id });
    const other = await logIn(app, user);
    const { browser } = await logIn(app, user);
    const page = await browser.get('/account').expect(200);
    const wrong = await browser.post('/account/password').type('form').send({ _csrf: formToken(page.text), current: 'not the password', password: 'a brand new password' });
    expect(wrong.status).to.equal(400);
    const changed = await browser.post('/account/password').type('form').send({ _csrf: formToken(page.text), current: user.password, password: 'a brand new password' });
    expect(changed.status).to.equal(200);
    expect(changed.text).to.include('Đã đổi mật khẩu');
    await browser.get('/api/v1/me').expect(200);
    await other.browser.get('/api/v1/me').expect(401);
    await logIn(app, { email: user.email, password: 'a brand new password' });
  });

  it('when the sweep runs, then sessions past their stored expiry are deleted from the database and live ones stay (FerretDB has no TTL index)', async () => {
    const live = await logIn(app, await buildUser('admin'));
    const old = await logIn(app, await buildUser('admin'));
    await SessionModel.updateOne({ _id: old.sessionId }, { $set: { expires: new Date(Date.now() - 1000) } });
    await old.browser.get('/api/v1/me').expect(401); // connect-mongo reads past an expired document already
    expect(await SessionModel.exists({ _id: old.sessionId }), 'still stored until swept').to.exist;
    // Ten minutes and a second on: the sweep, which runs at most every 10 minutes, is due.
    await sweepEndedSessions(Date.now() + 10 * 60_000 + 1000);
    expect(await SessionModel.exists({ _id: old.sessionId })).to.equal(null);
    expect(await SessionModel.exists({ _id: live.sessionId })).to.exist;
    await live.browser.get('/api/v1/me').expect(200);
  });

  it('when a user logs out everywhere, then their other session ends too', async () => {
    const user = await buildUser('inspector');
    const phone = await logIn(app, user);
    const desk = await logIn(app, user);
    const page = await desk.browser.get('/account').expect(200);
    await desk.browser.post('/account/logout-everywhere').type('form').send({ _csrf: formToken(page.text) }).expect(303).expect('Location', '/login');
    await phone.browser.get('/api/v1/me').expect(401);
    await desk.browser.get('/api/v1/me').expect(401);
    const again = await logIn(app, user);
    await again.browser.get('/api/v1/me').expect(200);
  });

  it('when a cookie-authenticated API write comes without the CSRF token, then 403 auth/csrf; with it, the write goes through', async () => {
    const producer = await buildProducer();
    const product = await buildProduct({ producerId: producer._id });
    const { browser, csrfToken } = await logIn(app, await buildUser('producer', { producerId: producer._id }));
    const refused = await browser.post(`/api/v1/products/${product._id}/batches`).send(batchInput());
    expect([refused.status, refused.body.error?.code]).to.deep.equal([403, 'auth/csrf']);
    const forged = await browser.post(`/api/v1/products/${product._id}/batches`).set('X-CSRF-Token', forgedToken(csrfToken)).send(batchInput());
    expect(forged.status).to.equal(403);
    await browser.post(`/api/v1/products/${product._id}/batches`).set('X-CSRF-Token', csrfToken).send(batchInput()).expect(201);
  });

  it('when an account form is sent without its CSRF token, then 403 auth/csrf and nothing changes', async () => {
    const { browser } = await logIn(app, await buildUser('admin'));
    const res = await browser.post('/account/keys').type('form').send({ label: 'no token' });
    expect(res.status).to.equal(403);
    expect(res.text).to.include('auth/csrf');
    expect((await browser.get('/account').expect(200)).text).not.to.include('no token');
  });

  it('when a request carries both an API key and a session cookie, then it acts as the key and needs no CSRF token', async () => {
    const producer = await buildProducer();
    const product = await buildProduct({ producerId: producer._id });
    const { browser } = await logIn(app, await buildUser('inspector'));
    const key = await apiKeyFor('producer', producer._id);
    const me = await browser.get('/api/v1/me').set(bearer(key)).expect(200);
    expect(me.body).to.include({ role: 'producer', userId: null, csrfToken: null });
    await browser.post(`/api/v1/products/${product._id}/batches`).set(bearer(key)).send(batchInput()).expect(201);
  });

  it('when a producer user works through the API, then it gets what a key of its producer gets: its own batches, 403 for another producer', async () => {
    const producer = await buildProducer();
    const mine = await buildProduct({ producerId: producer._id });
    const theirs = await buildProduct();
    const { browser, csrfToken } = await logIn(app, await buildUser('producer', { producerId: producer._id }));
    const key = await apiKeyFor('producer', producer._id);
    const bySession = (path: string) => browser.post(path).set('X-CSRF-Token', csrfToken);
    const byKey = (path: string) => request(app).post(path).set(bearer(key));
    for (const send of [bySession, byKey]) {
      await send(`/api/v1/products/${mine._id}/batches`).send(batchInput()).expect(201);
      const other = await send(`/api/v1/products/${theirs._id}/batches`).send(batchInput());
      expect([other.status, other.body.error?.code]).to.deep.equal([403, 'auth/forbidden']);
    }
    const listed = await browser.get(`/api/v1/batches?producer=${producer._id}`).expect(200);
    expect(listed.body.items).to.have.length(2);
  });

  it('when an inspector user tries to write, then every write is refused, and reads are open to them', async () => {
    const producer = await buildProducer();
    const product = await buildProduct({ producerId: producer._id });
    const { browser, csrfToken } = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    const writes = [
      browser.post(`/api/v1/products/${product._id}/batches`).send(batchInput()),
      browser.post('/api/v1/producers').send({}),
      browser.post('/api/v1/api-keys').send({ role: 'admin', label: 'x' }),
    ];
    for (const res of await Promise.all(writes.map((w) => w.set('X-CSRF-Token', csrfToken)))) {
      expect([res.status, res.body.error?.code]).to.deep.equal([403, 'auth/forbidden']);
    }
    await browser.get(`/api/v1/batches?producer=${producer._id}`).expect(200);
  });

  it('when a user makes a key on /account, then it acts as the user; once the user is disabled, neither the key nor the session works', async () => {
    const user = await buildUser('admin', { province: '01' });
    const { browser } = await logIn(app, user);
    const page = await browser.get('/account').expect(200);
    const made = await browser.post('/account/keys').type('form').send({ _csrf: formToken(page.text), label: 'laptop script' }).expect(201);
    const key = /id="new-key">([^<]+)</.exec(made.text)?.[1] ?? '';
    const me = await request(app).get('/api/v1/me').set(bearer(key)).expect(200);
    expect(me.body).to.include({ role: 'admin', userId: user.id, csrfToken: null });
    expect(me.body.scope).to.deep.equal({ province: '01' });
    expect(await AuditModel.findOne({ action: 'api_key.create', userId: user.id }).lean(), 'the key made by the session user is audited with the user').to.exist;

    await setUserDisabled(systemPrincipal, user.id, true);
    await request(app).get('/api/v1/me').set(bearer(key)).expect(401);
    await browser.get('/api/v1/me').expect(401);
  });

  it('when a user revokes their own key on /account, then the key stops working', async () => {
    const user = await buildUser('inspector');
    const { browser } = await logIn(app, user);
    let page = await browser.get('/account').expect(200);
    const made = await browser.post('/account/keys').type('form').send({ _csrf: formToken(page.text), label: 'old phone' }).expect(201);
    const key = /id="new-key">([^<]+)</.exec(made.text)![1]!;
    const id = key.split('_')[1]!;
    page = await browser.get('/account').expect(200);
    await browser.post(`/account/keys/${id}/revoke`).type('form').send({ _csrf: formToken(page.text) }).expect(303);
    await request(app).get('/api/v1/me').set(bearer(key)).expect(401);
    expect((await browser.get('/account').expect(200)).text).to.include('đã thu hồi');
  });
});
