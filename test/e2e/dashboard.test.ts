import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { DashboardSnapshots } from '../../src/dashboard/dashboard.service.js';
import { testConfig } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildCertification, buildProducer, buildProduct, monthsAgo } from '../support/kit.js';

/**
 * The statistics page on a 360×740 phone (Debian chromium): every chart fits the screen
 * width with its numbers readable, and axe-core finds no violation, in both languages,
 * for the whole country and for one province. Screenshots land in test-artifacts/dashboard/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'dashboard');

describe('statistics page on a phone (chromium, axe-core)', function () {
  this.timeout(120_000);
  const statistics = new DashboardSnapshots({ refreshMs: 10 * 60_000 });
  const app = createApp({ config: testConfig(), logger: createLogger('silent'), statistics });
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const producer = await buildProducer({ kind: 'enterprise', name: 'Công ty TNHH Nông sản sạch Hà Nội' });
    for (const [stars, group, months] of [[5, 'food', 2], [4, 'tourism', 14], [4, 'food', 26], [3, 'herbal', 35]] as const) {
      const product = await buildProduct({ producerId: producer._id, group });
      await buildCertification({ productId: product._id, stars, decisionDate: monthsAgo(months) });
    }
    await statistics.refresh();
    // bypassCSP only lets the test inject axe-core; the page itself runs no script at all.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
  });
  after(() => browsing?.close());

  for (const [lang, query] of [['vi', ''], ['en', '?province=01&lang=en']] as const) {
    it(`when the page opens on a 360 px phone (${lang}${query ? ', one province' : ''}), then every chart fits the screen with readable numbers and axe finds no violation`, async () => {
      const page = await browsing.context.newPage();
      await page.goto(`${browsing.origin}/statistics${query || '?lang=vi'}`);
      await page.waitForSelector('svg.chart');
      expect(await page.textContent('#as-of')).to.match(lang === 'vi' ? /Số liệu lúc/ : /Figures as of/);
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        charts: Array.from(document.querySelectorAll('svg.chart')).map((svg) => {
          const box = svg.getBoundingClientRect();
          const numbers = Array.from(svg.querySelectorAll('text.chart-value')).map((t) => t.getBoundingClientRect());
          return { width: box.width, right: box.right, smallestText: Math.min(...numbers.map((n) => n.height)), rightmostNumber: Math.max(...numbers.map((n) => n.right)) };
        }),
      }));
      expect(layout.scrollWidth, 'no sideways scrolling').to.be.at.most(360);
      expect(layout.charts.length).to.be.greaterThan(5);
      for (const c of layout.charts) {
        expect(c.right, 'the chart fits the screen').to.be.at.most(360);
        expect(c.rightmostNumber, 'every number inside the screen').to.be.at.most(360);
        expect(c.smallestText, 'numbers drawn at a readable size').to.be.at.least(11);
      }
      expect(await axeViolations(page), 'axe on the page').to.deep.equal([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `statistics-${lang}${query ? '-province' : ''}-360x740.png`) });
      await page.screenshot({ path: path.join(ARTIFACTS, `statistics-${lang}${query ? '-province' : ''}-full.png`), fullPage: true });
      await page.close();
    });
  }
});
