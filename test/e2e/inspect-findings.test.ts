import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { createReport } from '../../src/reports/report.service.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildUser, issueRunThroughApi } from '../support/kit.js';

/**
 * The findings log's and the reports queue's screens in chromium at phone width, in
 * both languages: an inspector logs in, reads the findings list, records an inspection
 * without a label through the form (a problem first), and opens the reports queue; a
 * producer reads the findings about its products. axe-core finds no violation on any
 * of them. Screenshots land in test-artifacts/inspect-findings/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'inspect-findings');

describe('findings log and reports queue screens (chromium, axe-core)', function () {
  this.timeout(120_000);
  const app = buildTestApp();
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // bypassCSP only lets the test inject axe-core; the pages themselves run no inline script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
  });
  after(() => browsing?.close());

  async function logInThroughForm(page: Page, target: string, user: { email: string; password: string }) {
    await page.goto(`${browsing.origin}${target}`);
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', user.password);
    await Promise.all([page.waitForURL((u) => u.pathname === target.split('?')[0]), page.click('button[type="submit"]')]);
  }

  for (const lang of ['vi', 'en'] as const) {
    it(`when an inspector works the findings log and the reports queue (${lang}), then every screen reads at phone width and axe finds no violation`, async () => {
      await browsing.context.clearCookies();
      const labelled = await issueRunThroughApi(app, 1);
      const place = `Sạp ${randomBytes(4).toString('hex')}`;
      await request(app).post('/api/v1/inspections').set(bearer(await apiKeyFor('inspector'))).send({
        id: `e2e-${randomBytes(12).toString('base64url')}`, at: new Date(Date.now() - 3600_000).toISOString(), commune: '00070', place,
        finding: 'stars_above_certified', starsSeen: 5, notes: 'In 5 sao', label: { productId: labelled.product._id },
      }).expect(201);
      const { receipt } = await createReport({ label: null, kind: 'mark_misused', details: 'Tem hết hạn', provinceCode: '01', commune: '', place: 'Chợ Hôm', contact: null }, null);
      const inspector = await buildUser('inspector', { provinces: ['01'] });
      const page = await browsing.context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));

      await logInThroughForm(page, `/inspect/findings?lang=${lang}`, inspector);
      expect(await page.textContent('body')).to.contain(place);
      expect(await axeViolations(page), 'axe on /inspect/findings').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `findings-${lang}.png`), fullPage: true });

      await page.goto(`${browsing.origin}/inspect/findings/new?lang=${lang}`);
      await page.fill('#i-commune', '99999');
      await page.fill('#i-place', 'Ki-ốt 7');
      await page.check('input[name="finding"][value="no_label"]');
      await page.click('button[type="submit"]');
      await page.waitForSelector('.problems');
      expect(await axeViolations(page), 'axe on the form with a problem').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `finding-new-problem-${lang}.png`), fullPage: true });
      await page.fill('#i-commune', '00004');
      await Promise.all([page.waitForURL((u) => u.pathname === '/inspect/findings'), page.click('button[type="submit"]')]);
      expect(await page.textContent('.notice')).to.contain(lang === 'vi' ? 'Đã ghi lần kiểm tra' : 'The inspection is recorded');
      expect(await page.textContent('body')).to.contain('Ki-ốt 7');
      expect(await axeViolations(page), 'axe on the list after recording').to.deep.equal([]);

      await page.goto(`${browsing.origin}/inspect/reports?province=01&lang=${lang}`);
      expect(await page.textContent('body')).to.contain(receipt);
      expect(await axeViolations(page), 'axe on /inspect/reports').to.deep.equal([]);
      await page.check(`form[action^="/inspect/reports/${receipt}/"] input[value="checked"]`);
      await page.fill(`#n-${receipt}`, 'Đã kiểm tra tại chợ');
      await Promise.all([page.waitForURL((u) => u.searchParams.get('changed') === receipt), page.click(`form[action^="/inspect/reports/${receipt}/"] button[type="submit"]`)]);
      expect(await page.textContent('body')).to.contain('Đã kiểm tra tại chợ');
      expect(await axeViolations(page), 'axe on the queue after a change').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `reports-${lang}.png`), fullPage: true });

      await browsing.context.clearCookies();
      const producer = await buildUser('producer', { producerId: labelled.producer._id });
      await logInThroughForm(page, `/producer/findings?lang=${lang}`, producer);
      expect(await page.textContent('body')).to.contain(place);
      expect(await axeViolations(page), 'axe on /producer/findings').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `producer-findings-${lang}.png`), fullPage: true });
      expect(errors).to.deep.equal([]);
      await page.close();
    });
  }
});
