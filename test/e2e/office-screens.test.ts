import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { buildTestApp } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildUser, monthsAgo, uniqueDecisionNumber, uniqueGtin13 } from '../support/kit.js';
import { findCertification } from '../../src/registry/certifications/certification.reads.js';

/**
 * A programme-office admin on a 360×740 phone (Debian chromium) logs in, registers a
 * producer through the form (after a first try the form refuses), adds its product,
 * records a certification, and revokes it with a reason. axe-core finds no violation on
 * any office screen, in Vietnamese and in English, and no screen is wider than the
 * phone. Screenshots land in test-artifacts/office-screens/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'office-screens');

/** The page is no wider than the phone: nothing to scroll sideways. */
const widthOf = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('the programme office registry screens on a phone (chromium, axe-core)', function () {
  this.timeout(180_000);
  const app = buildTestApp({ CACHE_TTL_MS: '0' });
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // bypassCSP only lets the test inject axe-core; the pages themselves run no inline script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
  });
  after(() => browsing?.close());

  async function check(page: Page, name: string) {
    expect(await axeViolations(page), `axe on ${name}`).to.deep.equal([]);
    expect(await widthOf(page), `${name} fits a 360 px phone`).to.be.at.most(360);
  }

  for (const lang of ['vi', 'en'] as const) {
    it(`when an admin (${lang}) registers a producer, a product and a certification through the forms and revokes it with a reason, then each is stored and every screen passes axe`, async () => {
      const admin = await buildUser('admin');
      await browsing.context.clearCookies(); // each language's admin logs in afresh
      const page = await browsing.context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
      const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}-${lang}.png`), fullPage: true });

      await page.goto(`${browsing.origin}/office?lang=${lang}`);
      await page.fill('input[name="email"]', admin.email);
      await page.fill('input[name="password"]', admin.password);
      await page.click('button[type="submit"]');
      await page.waitForSelector('#office-areas');
      await check(page, '/office');
      await shot('home');

      await page.click('a[href="/office/producers"]');
      await page.waitForSelector('#producers-total');
      await check(page, '/office/producers');
      await page.click('#producer-new');
      await page.waitForSelector('#producer-form');
      await check(page, '/office/producers/new');

      const tag = randomInt(1e6);
      const name = `HTX Mật ong ${tag}`;
      await page.fill('#f-name', name);
      await page.fill('#f-registrationNumber', `01${String(Date.now()).slice(-8)}`);
      await page.fill('#f-provinceCode', '01');
      await page.fill('#f-communeCode', '00577');
      await page.fill('#f-contactPhone', '12345');
      await page.click('#producer-form button[type="submit"]');
      await page.waitForSelector('#f-contactPhone-problem');
      expect(await page.textContent('#f-contactPhone-problem')).to.contain(lang === 'vi' ? 'Số điện thoại Việt Nam chưa đúng' : 'Not a Vietnamese phone number');
      expect(await page.inputValue('#f-name'), 'what was typed is kept').to.equal(name);
      await check(page, 'the producer form with a problem');
      await shot('producer-problem');
      await page.fill('#f-contactPhone', '0912 345 678');
      await page.click('#producer-form button[type="submit"]');
      await page.waitForSelector('#product-new');
      expect(new URL(page.url()).pathname).to.match(/^\/office\/producers\/[0-9a-z]{10}$/);
      await check(page, "a producer's page");

      await page.click('#product-new');
      await page.waitForSelector('#product-form');
      await check(page, 'the product form');
      await page.fill('#f-nameVi', `Mật ong rừng ${tag}`);
      await page.selectOption('#f-group', 'food');
      await page.fill('#f-gtin', uniqueGtin13());
      await page.click('#product-form button[type="submit"]');
      await page.waitForSelector('#cert-form');
      await check(page, "a product's page");

      await page.selectOption('#c-stars', '4');
      await page.fill('#c-score', '75');
      await page.fill('#c-decisionNumber', uniqueDecisionNumber());
      await page.fill('#c-decisionDate', monthsAgo(3));
      await page.click('#cert-form button[type="submit"]');
      await page.waitForSelector('#cert-current a');
      await check(page, "a product's page with its certification");
      await shot('product');

      await page.click('#cert-current a');
      await page.waitForSelector('#revoke-form');
      const certId = new URL(page.url()).pathname.split('/').pop()!;
      await page.click('#revoke-form button[type="submit"]');
      await page.waitForSelector('#f-reason-problem');
      await check(page, 'the revoke form with a problem');
      await page.fill('#f-reason', 'Sản phẩm không còn đạt tiêu chuẩn');
      await page.click('#revoke-form button[type="submit"]');
      await page.waitForSelector('#cert-history');
      expect(await findCertification(certId)).to.include({ status: 'revoked', statusReason: 'Sản phẩm không còn đạt tiêu chuẩn' });
      expect(await page.textContent('#cert-history')).to.contain(lang === 'vi' ? 'Đã thu hồi' : 'Revoked');

      for (const screen of ['/office/certifications', `/office/certifications/${certId}`, '/office/keys', '/office/api-keys', `/office/audit?record=${certId}`]) {
        await page.goto(`${browsing.origin}${screen}`);
        await page.waitForSelector('h1');
        await check(page, screen);
      }
      expect(await page.textContent('#audit-rows')).to.contain('certification.revoke');
      await shot('audit');
      expect(errors, 'no console errors (a CSP refusal would show here)').to.deep.equal([]);
      await page.close();
    });
  }
});
