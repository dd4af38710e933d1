import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { buildTestApp } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildBatch, buildCertification, buildProducer, buildProduct } from '../support/kit.js';

/**
 * A newcomer on a 360×740 phone (Debian chromium) types "gom bat trang" on the home page,
 * without diacritics, and reaches the product page of "Gốm Bát Tràng", then its
 * producer's page. axe-core finds no violation on the home, search, product and producer
 * pages, in either language. Screenshots land in test-artifacts/registry-search/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'registry-search');

describe('searching the public registry on a phone (chromium, axe-core)', function () {
  this.timeout(120_000);
  const app = buildTestApp({ CACHE_TTL_MS: '0' });
  const Tag = `Lam${randomInt(1e6)}`;
  let browsing: Browsing;
  let productName = '';

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const producer = await buildProducer({ name: `HTX Gốm sứ ${Tag}`, kind: 'cooperative', publicContact: { phone: '02438740000' } });
    productName = `Gốm Bát Tràng men ${Tag}`;
    const product = await buildProduct({ producerId: producer._id, name: { vi: productName, en: `Bat Trang glazed ceramics ${Tag}` }, gtin: true });
    await buildCertification({ productId: product._id, stars: 4 });
    await buildBatch(product);
    // bypassCSP only lets the test inject axe-core; the pages themselves run no script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true, javaScriptEnabled: true });
  });
  after(() => browsing?.close());

  for (const lang of ['vi', 'en'] as const) {
    it(`when a newcomer types "gom bat trang" on the home page (${lang}) and follows the result, then they read its stars and producer, and axe finds no violation on any page`, async () => {
      const page = await browsing.context.newPage();
      await page.goto(`${browsing.origin}/?lang=${lang}`);
      expect(await axeViolations(page), 'axe on the home page').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `home-${lang}.png`) });

      await page.fill('input[name="q"]', 'gom bat trang');
      await page.click('form.search .search-row button[type="submit"]');
      await page.waitForSelector('.results');
      expect(await axeViolations(page), 'axe on the search results').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `search-${lang}.png`), fullPage: true });

      const shown = lang === 'en' ? `Bat Trang glazed ceramics ${Tag}` : productName;
      await page.click(`a.result-name:text-is("${shown}")`);
      await page.waitForSelector('h1.product-name');
      expect(await page.textContent('h1.product-name')).to.equal(shown);
      expect(await page.textContent('.rating')).to.contain(lang === 'en' ? '4 stars' : '4 sao');
      expect(await axeViolations(page), 'axe on the product page').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `product-${lang}.png`), fullPage: true });

      await page.click('p.producer a');
      await page.waitForSelector('h1');
      expect(await page.textContent('h1')).to.equal(`HTX Gốm sứ ${Tag}`);
      expect(await page.textContent('main')).to.contain('02438740000');
      expect(await axeViolations(page), 'axe on the producer page').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `producer-${lang}.png`), fullPage: true });
      await page.close();
    });
  }

  it('when a shopper opens every filter on the search page, then axe finds no violation there either', async () => {
    const page = await browsing.context.newPage();
    await page.goto(`${browsing.origin}/products?province=01&stars=4&q=${encodeURIComponent(Tag)}`);
    expect(await page.isVisible('select[name="commune"]'), 'a chosen province offers its communes').to.equal(true);
    expect(await axeViolations(page)).to.deep.equal([]);
    await page.close();
  });
});
