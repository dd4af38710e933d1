import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { buildTestApp } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildUser } from '../support/kit.js';

/**
 * A programme-office admin logs in through the form in chromium, lands on their
 * account page, sees who they are, makes themselves an API key, and logs out. axe-core
 * finds no violation on /login (blank, and with a wrong password) nor on /account.
 * Screenshots land in test-artifacts/login/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'login');

describe('logging in through the form (chromium, axe-core)', function () {
  this.timeout(120_000);
  const app = buildTestApp();
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // bypassCSP only lets the test inject axe-core; the pages themselves run no inline script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
  });
  after(() => browsing?.close());

  for (const lang of ['vi', 'en'] as const) {
    it(`when an admin opens their account page (${lang}) without a session, logs in through the form and makes a key, then they see who they are and the key once, and axe finds no violation`, async () => {
      const admin = await buildUser('admin', { province: '79', name: lang === 'vi' ? 'Chị Hoa' : 'Ms Hoa' });
      const page = await browsing.context.newPage();
      const errors: string[] = [];
      // The 401 answers (the login form in place of /account, a wrong password) are logged as failed loads: not what this looks for.
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
      await page.goto(`${browsing.origin}/account?lang=${lang}`);
      await page.waitForSelector('form[action^="/login"]');
      expect(await axeViolations(page), 'axe on /login').to.deep.equal([]);

      await page.fill('input[name="email"]', admin.email);
      await page.fill('input[name="password"]', 'not my password');
      await page.click('button[type="submit"]');
      await page.waitForSelector('#login-problem');
      expect(await page.textContent('#login-problem')).to.equal(lang === 'vi' ? 'Email hoặc mật khẩu không đúng.' : 'The email or the password is not right.');
      expect(await page.inputValue('input[name="email"]'), 'the email typed is kept').to.equal(admin.email);
      expect(await axeViolations(page), 'axe on /login with a problem').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `login-problem-${lang}.png`) });

      await page.fill('input[name="password"]', admin.password);
      await page.click('button[type="submit"]');
      await page.waitForSelector('#account-name');
      expect(new URL(page.url()).pathname, 'back on the page first asked for').to.equal('/account');
      expect(await page.textContent('#account-name')).to.equal(admin.name);
      expect(await page.textContent('#account-scope')).to.contain('79');
      const cookies = await browsing.context.cookies();
      expect(cookies.find((c) => c.name === 'ocop.sid')).to.include({ httpOnly: true, sameSite: 'Lax' });
      expect(await axeViolations(page), 'axe on /account').to.deep.equal([]);

      await page.fill('input[name="label"]', 'laptop');
      await page.click('form[action="/account/keys"] button[type="submit"]');
      await page.waitForSelector('#new-key');
      expect(await page.textContent('#new-key')).to.match(/^ok_[0-9A-Za-z]{12}_[0-9A-Za-z]{40}$/);
      expect(await axeViolations(page), 'axe on /account with a new key').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `account-${lang}.png`), fullPage: true });

      await page.click('form[action="/logout"] button[type="submit"]');
      await page.waitForSelector('form[action^="/login"]');
      expect(new URL(page.url()).pathname).to.equal('/login');
      expect(errors, 'no console errors (a CSP refusal would show here)').to.deep.equal([]);
      await page.close();
    });
  }
});
