import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../support/app.js';
import { buildProducer, buildUser, formToken, logIn, submitLogin } from '../support/kit.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { PasswordResetModel } from '../../src/accounts/user.model.js';
import { findUser } from '../../src/accounts/user.service.js';
import { testDatabaseUri } from '../hooks.js';

const run = promisify(execFile);
const linkOf = (html: string) => new URL(/id="reset-link">([^<]+)</.exec(html)![1]!).pathname;

describe('accounts: the programme office manages users', () => {
  const app = buildTestApp();

  async function officeBrowser() {
    const admin = await buildUser('admin');
    const { browser } = await logIn(app, admin);
    return { admin, browser };
  }

  it('when an admin creates a producer user, then a one-time link is shown, the user sets a password there and logs in as the producer', async () => {
    const { admin, browser } = await officeBrowser();
    const producer = await buildProducer();
    const page = await browser.get('/office/users').expect(200);
    const email = `new-${Date.now()}@example.vn`;
    const made = await browser.post('/office/users').type('form')
      .send({ _csrf: formToken(page.text), email, name: 'Chị Lan', role: 'producer', producerId: producer._id }).expect(201);
    const link = linkOf(made.text);
    expect(link).to.match(/^\/reset\/[A-Za-z0-9_-]{43}$/);
    const audit = await AuditModel.findOne({ action: 'user.create', userId: admin.id }).lean();
    expect(audit, 'the write is audited with the admin user').to.include({ actor: `user:${admin.id}` });

    const user = request.agent(app);
    const form = await user.get(link).expect(200);
    expect(form.text).to.include(email);
    const set = await user.post(link).type('form').send({ _csrf: formToken(form.text), password: 'my new password' }).expect(200);
    expect(set.text).to.include('id="reset-done"');
    const { browser: lan } = await logIn(app, { email, password: 'my new password' });
    const me = await lan.get('/api/v1/me').expect(200);
    expect(me.body).to.include({ role: 'producer', producerId: producer._id });
  });

  it('when a reset link is used a second time, then it is refused (410) and the password stays the one set first', async () => {
    const { browser } = await officeBrowser();
    const target = await buildUser('inspector');
    const list = await browser.get('/office/users').expect(200);
    const made = await browser.post(`/office/users/${target.id}/reset`).type('form').send({ _csrf: formToken(list.text) }).expect(201);
    const link = linkOf(made.text);
    const user = request.agent(app);
    const form = await user.get(link).expect(200);
    await user.post(link).type('form').send({ _csrf: formToken(form.text), password: 'first new password' }).expect(200);
    const again = await user.post(link).type('form').send({ _csrf: formToken(form.text), password: 'second new password' });
    expect(again.status).to.equal(410);
    expect(again.text).to.include('id="reset-gone"');
    await user.get(link).expect(410);
    expect((await submitLogin(app, target.email, 'second new password')).res.status).to.equal(401);
    expect((await submitLogin(app, target.email, 'first new password')).res.status).to.equal(303);
  });

  it('when a reset link is past its expiry, then it opens no form and sets nothing', async () => {
    const { browser } = await officeBrowser();
    const target = await buildUser('admin');
    const list = await browser.get('/office/users').expect(200);
    const link = linkOf((await browser.post(`/office/users/${target.id}/reset`).type('form').send({ _csrf: formToken(list.text) }).expect(201)).text);
    await PasswordResetModel.updateMany({ userId: target.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const user = request.agent(app);
    await user.get(link).expect(410);
    const login = await user.get('/login').expect(200); // a form token of this browser, as a form kept open would hold
    await user.post(link).type('form').send({ _csrf: formToken(login.text), password: 'too late a password' }).expect(410);
    expect((await findUser(target.id))?.hasPassword).to.equal(true);
    expect((await submitLogin(app, target.email, target.password)).res.status).to.equal(303);
  });

  it('when an admin disables a user, then the user is logged out and cannot log in; enabled again, they can', async () => {
    const { browser } = await officeBrowser();
    const target = await buildUser('inspector');
    const session = await logIn(app, target);
    let list = await browser.get('/office/users').expect(200);
    await browser.post(`/office/users/${target.id}/disable`).type('form').send({ _csrf: formToken(list.text) }).expect(303);
    await session.browser.get('/api/v1/me').expect(401);
    expect((await submitLogin(app, target.email, target.password)).res.status).to.equal(401);
    list = await browser.get('/office/users').expect(200);
    await browser.post(`/office/users/${target.id}/enable`).type('form').send({ _csrf: formToken(list.text) }).expect(303);
    expect((await submitLogin(app, target.email, target.password)).res.status).to.equal(303);
  });

  it('when a producer or inspector user opens the office, then 403; an anonymous browser gets the login form', async () => {
    const { browser } = await logIn(app, await buildUser('inspector'));
    expect((await browser.get('/office/users').set('Accept', 'application/json')).body.error.code).to.equal('auth/forbidden');
    const anonymous = await request(app).get('/office/users').set('Accept', 'text/html');
    expect(anonymous.status).to.equal(401);
    expect(anonymous.text).to.include('action="/login');
  });

  it('when the email is taken, then the form says so (409) and no second account is made', async () => {
    const { browser } = await officeBrowser();
    const existing = await buildUser('inspector');
    const page = await browser.get('/office/users').expect(200);
    const res = await browser.post('/office/users').type('form').send({ _csrf: formToken(page.text), email: existing.email.toUpperCase(), name: 'Trùng', role: 'inspector' });
    expect(res.status).to.equal(409);
    expect(res.text).to.include('Đã có tài khoản dùng email này.');
  });

  it('when the first admin is made with npm run admin and a password on stdin, then they can log in with it', async function () {
    this.timeout(60_000);
    const email = `first-${Date.now()}@example.vn`;
    const child = run('npx', ['tsx', 'scripts/admin.ts', 'create', '--email', email, '--name', 'Văn phòng OCOP', '--province', '01'], {
      env: { ...process.env, MONGODB_URI: testDatabaseUri(), NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    });
    child.child.stdin!.end('the first admin password\n');
    const { stdout } = await child;
    expect(stdout).to.include(`created admin ${email}`).and.not.include('shown once');
    const { browser } = await logIn(app, { email, password: 'the first admin password' });
    expect((await browser.get('/api/v1/me').expect(200)).body.scope).to.deep.equal({ province: '01' });
  });
});
