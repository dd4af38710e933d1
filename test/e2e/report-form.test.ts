import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { verificationApp } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildIssuedRun, issueLabel, registerKey } from '../support/kit.js';

/**
 * A shopper holding a package whose label reads revoked follows "report this product"
 * on a 360×740 phone (Debian chromium), fills the form with a photo and gets a receipt
 * number. axe-core finds no violation on the form, on the form with problems, and on the
 * receipt. Screenshots land in test-artifacts/report-form/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'report-form');

describe('report this product on a phone (chromium, axe-core)', function () {
  this.timeout(120_000);
  const { keyring, app } = verificationApp();
  let browsing: Browsing;
  let labelPath = '';

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const key = await registerKey('active');
    await keyring.refresh();
    labelPath = (await issueLabel(await buildIssuedRun(), key, { status: 'revoked' })).path;
    // bypassCSP only lets the test inject axe-core; the pages themselves run no inline script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
  });
  after(() => browsing?.close());

  for (const lang of ['vi', 'en'] as const) {
    it(`when a shopper follows the report link of a revoked label (${lang}), fills the form with a photo and sends it, then they read a receipt number, and axe finds no violation on either page`, async () => {
      const page = await browsing.context.newPage();
      await page.goto(`${browsing.origin}${labelPath}${labelPath.includes('?') ? '&' : '?'}lang=${lang}`);
      await page.click('a[href^="/report?"]');
      await page.waitForSelector('form[action^="/report"]');
      expect(await page.inputValue('input[name="label"]'), 'the scanned label travels with the report').to.equal(labelPath.replace(/&lang=\w+$/, '') || labelPath);
      expect(await axeViolations(page), 'axe on the form').to.deep.equal([]);

      // Sent without choosing what is wrong (the browser's own check switched off, as an old
      // browser has none): the server's answer is the form again, typed text kept.
      await page.$eval('form[action^="/report"]', (form) => ((form as HTMLFormElement).noValidate = true));
      await page.selectOption('select[name="province"]', '01');
      await page.fill('textarea[name="details"]', lang === 'vi' ? 'Tem bị thu hồi vẫn bán' : 'Revoked label still on sale');
      await page.click('button[type="submit"]');
      await page.waitForSelector('.problems');
      expect(await page.inputValue('textarea[name="details"]')).to.contain(lang === 'vi' ? 'Tem bị thu hồi' : 'Revoked label');
      expect(await axeViolations(page), 'axe on the form with problems').to.deep.equal([]);

      await page.check('input[name="kind"][value="mark_misused"]');
      await page.fill('input[name="commune"]', 'Phường Ba Đình');
      await page.fill('input[name="place"]', 'Chợ Đồng Xuân');
      const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#2a6' } }).jpeg().toBuffer();
      await page.setInputFiles('input[name="photo"]', { name: 'goi-hang.jpg', mimeType: 'image/jpeg', buffer: photo });
      await page.click('button[type="submit"]');
      await page.waitForSelector('#receipt');
      expect(await page.textContent('#receipt')).to.match(/^BC-[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
      const receiptBox = await page.locator('#receipt').boundingBox();
      expect(receiptBox && receiptBox.y + receiptBox.height, 'the receipt number is on the first screen').to.be.below(740);
      expect(await axeViolations(page), 'axe on the receipt').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `receipt-${lang}.png`) });
      await page.close();
    });
  }
});
