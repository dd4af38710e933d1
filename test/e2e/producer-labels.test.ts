import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { buildTestApp } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildLabelledBatch, buildUser, daysAgo, uniqueLot } from '../support/kit.js';

/**
 * A producer's user on a phone (chromium, 360×740): logs in, opens their product,
 * records a batch, issues a label run, downloads its A4 sheet and reads the run's
 * serials back out of the PDF (poppler's pdftotext), then voids one label. axe-core
 * finds no violation on any screen, in Vietnamese and in English. Screenshots land in
 * test-artifacts/producer-labels/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'producer-labels');
const run = promisify(execFile);

describe('a producer issues and prints labels through its screens (chromium, axe-core)', function () {
  this.timeout(180_000);
  const app = buildTestApp();
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // bypassCSP only lets the test inject axe-core; the pages themselves run no inline script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true, acceptDownloads: true });
  });
  after(() => browsing?.close());

  for (const lang of ['vi', 'en'] as const) {
    it(`when a producer (${lang}) logs in, records a batch, issues a run, downloads its sheet and voids a label, then the PDF holds the run's serials, the label reads as void, and axe finds no violation`, async () => {
      const { producer, product } = await buildLabelledBatch();
      const user = await buildUser('producer', { producerId: producer._id });
      await browsing.context.clearCookies(); // a new person on this phone: no session of the one before
      const page = await browsing.context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
      const checkScreen = async (name: string) => {
        expect(await axeViolations(page), `axe on ${name}`).to.deep.equal([]);
        await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${lang}.png`), fullPage: true });
      };

      await page.goto(`${browsing.origin}/producer?lang=${lang}`);
      await page.fill('input[name="email"]', user.email);
      await page.fill('input[name="password"]', user.password);
      await page.click('button[type="submit"]');
      await page.waitForSelector(`#product-${product._id}`);
      expect(new URL(page.url()).pathname).to.equal('/producer');
      await checkScreen('home');

      await page.click(`#product-${product._id} h3 a`);
      await page.waitForSelector('.button-link');
      await checkScreen('product');
      await page.click('.button-link');
      await page.waitForSelector('#b-lot');
      await checkScreen('batch-new');

      // A mistake first: the form says what to correct and keeps what was typed.
      const lot = uniqueLot();
      await page.fill('#b-lot', lot);
      await page.fill('#b-made', daysAgo(5));
      await page.fill('#b-quantity', '40');
      await page.selectOption('#b-unit', 'jar');
      await page.fill('#b-commune', '99999');
      await page.click('form button[type="submit"]');
      await page.waitForSelector('#form-problems');
      expect(await page.inputValue('#b-lot')).to.equal(lot);
      await checkScreen('batch-problems');
      await page.fill('#b-commune', '00577');
      await page.fill('#b-place', 'Vườn ong đồi Đá Chông');
      await page.click('form button[type="submit"]');
      await page.waitForSelector('#batch-lot');
      expect(await page.textContent('#batch-lot')).to.equal(lot);
      await checkScreen('batch');

      await page.fill('#r-count', '30');
      await page.click(`form[action$="/runs"] button[type="submit"]`);
      await page.waitForSelector('#run-downloads');
      expect(await page.getAttribute('#run-state', 'data-state')).to.equal('issued');
      const runId = /\/producer\/runs\/([0-9a-z]{10})/.exec(page.url())![1]!;
      await checkScreen('run');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-sheet')]);
      const pdfPath = path.join(ARTIFACTS, `labels-${lang}.pdf`);
      await download.saveAs(pdfPath);
      const { stdout: text } = await run('pdftotext', ['-enc', 'UTF-8', pdfPath, '-']);
      const serials = (await LabelModel.find({ runId }, { _id: 1 }).lean()).map((l) => l._id);
      expect(serials).to.have.length(30);
      expect(serials.filter((s) => !text.includes(s)), "the run's serials missing from the sheet").to.deep.equal([]);
      expect(text).to.contain(lot);

      const spoiled = serials[0]!;
      await page.fill('#v-serial', spoiled);
      await page.fill('#v-reason', lang === 'vi' ? 'in hỏng' : 'misprinted');
      await page.click('form[action="/producer/labels/void"] button[type="submit"]');
      await page.waitForSelector('#run-notice');
      expect(await page.textContent('#run-notice')).to.contain(spoiled);
      expect((await LabelModel.findById(spoiled).lean())!.status).to.equal('void');
      await checkScreen('run-voided');

      await page.goto(`${browsing.origin}/producer/labels/void`);
      await page.waitForSelector('#v-serial');
      await checkScreen('void');
      expect(errors, 'no console errors (a CSP refusal would show here)').to.deep.equal([]);
      await page.close();
    });
  }

  it("when a large run is issued, then its page shows the progress and, by its script, the downloads once the run is issued, without the person reloading", async () => {
    const { producer, batch } = await buildLabelledBatch({ batch: { quantity: 12_000 } });
    const user = await buildUser('producer', { producerId: producer._id });
    await browsing.context.clearCookies();
    const page = await browsing.context.newPage();
    await page.goto(`${browsing.origin}/producer/batches/${batch._id}?lang=en`);
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', user.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#r-count');
    await page.fill('#r-count', '11000');
    await page.click(`form[action$="/runs"] button[type="submit"]`);
    await page.waitForSelector('#run-progress progress');
    expect(await page.textContent('#run-progress-text')).to.match(/^\d+ of 11000 labels made\.$/);
    expect(await axeViolations(page), 'axe on a run being made').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'run-progress-en.png'), fullPage: true });
    // The page's script reads it again until the run is issued, then shows it whole.
    await page.waitForSelector('#run-downloads', { timeout: 120_000 });
    expect(await page.getAttribute('#run-state', 'data-state')).to.equal('issued');
    await page.close();
  });
});
