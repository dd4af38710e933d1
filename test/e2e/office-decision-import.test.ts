import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { testConfig } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildIssuedRun, buildUser, decisionCsv, decisionRow, newDecision, newProducerColumns, signLabel, strangerKey } from '../support/kit.js';
import { findProductByGtin } from '../../src/registry/products/product.service.js';
import { findProducerByRegistration } from '../../src/registry/producers/producer.service.js';
import { findDecisionImport } from '../../src/office/decisions/decision-import.service.js';
import { importKey } from '../../src/office/decisions/decision-csv.js';
import { parseDecisionNumber } from '../../src/registry/certifications/certification-rules.js';

/**
 * The programme office imports a decision in chromium at phone width: logs in, uploads
 * a file with one bad row, sees that row's problem and that nothing was imported, uploads
 * the corrected file and commits it, and sees the figures of what was created. axe-core
 * finds no violation on any of these screens nor on the flagged scans list, in both
 * languages. Screenshots land in test-artifacts/office-decisions/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'office-decisions');

const gtin14 = (g: string) => g.padStart(14, '0');

describe('importing a certification decision in the browser (chromium, axe-core)', function () {
  this.timeout(120_000);
  const config = testConfig();
  const scans = new ScanRecorder({ flushMs: 60_000 });
  const app = createApp({ config, logger: createLogger('silent'), keyring: Keyring.open(config), scans });
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // bypassCSP only lets the test inject axe-core; the pages themselves run no inline script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
    // A counterfeit label scanned with this browser: the flagged scans list has a row to show.
    const forged = signLabel(await buildIssuedRun({ gtin: true }), strangerKey());
    const scanned = await browsing.context.newPage();
    await scanned.goto(`${browsing.origin}${forged.path}&place=00577`);
    await scanned.close();
    await scans.flush();
  });
  after(() => browsing?.close());

  for (const lang of ['vi', 'en'] as const) {
    it(`when an office admin (${lang}) uploads a decision with one bad row, then sees its problem and nothing imported, fixes the file and commits, then every row is created`, async () => {
      const admin = await buildUser('admin');
      await browsing.context.clearCookies(); // the other language's admin logs in on its own
      const page = await browsing.context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
      await page.goto(`${browsing.origin}/office/decisions?lang=${lang}`);
      await page.waitForSelector('form[action^="/login"]');
      await page.fill('input[name="email"]', admin.email);
      await page.fill('input[name="password"]', admin.password);
      await page.click('button[type="submit"]');
      await page.waitForSelector('input[type="file"]');
      expect(new URL(page.url()).pathname).to.equal('/office/decisions');
      expect(await axeViolations(page), 'axe on the upload page').to.deep.equal([]);

      const head = newDecision();
      const shared = newProducerColumns();
      const rows = [decisionRow(head, shared), decisionRow(head, shared), decisionRow(head, { stars: '3', score: '60' })];
      const bad = rows.map((r, i) => (i === 1 ? { ...r, commune: '99999' } : r));
      await page.setInputFiles('input[type="file"]', { name: 'quyet-dinh.csv', mimeType: 'text/csv', buffer: decisionCsv(bad, { delimiter: ';', bom: true }) });
      await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
      await page.waitForSelector('#preview-problems');
      const problem = await page.textContent('#row-3');
      expect(problem).to.include(lang === 'vi' ? 'Không có xã/phường với mã "99999"' : 'No commune with code "99999"');
      expect(await page.$('#commit'), 'no commit with a bad row').to.equal(null);
      expect(await axeViolations(page), 'axe on the preview with a problem').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `preview-problem-${lang}.png`), fullPage: true });
      const key = importKey({ number: parseDecisionNumber(head.decision_number)!.canonical, level: 'province', province: head.province });
      expect(await findDecisionImport(key), 'nothing imported').to.equal(null);
      expect(await findProducerByRegistration(shared.registration_number!)).to.equal(null);
      expect(await findProductByGtin(gtin14(rows[0]!.gtin!))).to.equal(null);

      await page.setInputFiles('input[type="file"]', { name: 'quyet-dinh.csv', mimeType: 'text/csv', buffer: decisionCsv(rows) });
      await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
      await page.waitForSelector('#commit');
      expect(await axeViolations(page), 'axe on the valid preview').to.deep.equal([]);
      await page.click('#commit');
      await page.waitForSelector('#decision-figures');
      expect(await page.textContent('#figure-producers')).to.equal('2');
      expect(await page.textContent('#figure-products')).to.equal('3');
      expect(await page.textContent('#figure-certifications')).to.equal('3');
      expect(await axeViolations(page), 'axe on the result').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `result-${lang}.png`), fullPage: true });
      for (const row of rows) expect(await findProductByGtin(gtin14(row.gtin!)), `product ${row.gtin}`).not.to.equal(null);
      expect((await findDecisionImport(key))?.state).to.equal('done');

      await page.goto(`${browsing.origin}/office/decisions?lang=${lang}`);
      await page.waitForSelector('#decision-imports');
      expect(await page.textContent('#decision-imports')).to.include(parseDecisionNumber(head.decision_number)!.canonical);
      expect(await axeViolations(page), 'axe on the upload page with imports').to.deep.equal([]);

      await page.goto(`${browsing.origin}/office/flagged?lang=${lang}`);
      await page.waitForSelector('#flagged-rows tr[data-kind="forged"]');
      expect(await axeViolations(page), 'axe on the flagged scans').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `flagged-${lang}.png`), fullPage: true });
      expect(errors, 'no console errors (a CSP refusal would show here)').to.deep.equal([]);
      await page.close();
    });
  }
});
