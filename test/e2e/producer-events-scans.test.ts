import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { bearer, verificationApp } from '../support/app.js';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { buildUser, issueRunThroughApi } from '../support/kit.js';

/**
 * A producer on a 360 px phone in chromium: logs in, records a harvest and a shipping
 * step through the forms, opens the public page of a label of the batch and finds both
 * steps in its timeline; that visit is a scan, which then shows in the producer's scan
 * chart and table. axe-core finds no violation on either screen in Vietnamese and
 * English. Screenshots land in test-artifacts/producer-screens/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'producer-screens');

describe('producer screens in a phone browser (chromium, axe-core)', function () {
  this.timeout(180_000);
  const { app, scans } = verificationApp();
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // bypassCSP only lets the test inject axe-core; the pages themselves run no inline script.
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
  });
  after(() => browsing?.close());

  it("when a producer records a harvest and a shipping step through the forms, then the label's public page shows them, its scan shows in the scan chart and table, and axe finds no violation in vi and en", async () => {
    const world = await issueRunThroughApi(app, 2, { gtin: true });
    const user = await buildUser('producer', { producerId: world.producer._id });
    const page = await browsing.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));

    await page.goto(`${browsing.origin}/producer/events?lang=vi`);
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', user.password);
    await Promise.all([page.waitForURL(/\/producer\/events/), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).to.equal('Ghi nhận công đoạn');
    expect(await axeViolations(page), 'axe on the harvest form (vi)').to.deep.equal([]);

    // Harvest: the batch, time and commune are filled in already.
    await page.selectOption('#ev-batch', world.batch._id);
    await page.fill('#ev-quantity', '40');
    await Promise.all([page.waitForURL(/recorded=harvest/), page.click('form[action^="/producer/events"] button[type="submit"]')]);
    expect(await page.textContent('.notice')).to.contain('Thu hoạch');
    expect(await page.textContent('.timeline')).to.contain('Thu hoạch, sản xuất');
    expect(await axeViolations(page), 'axe on the journey after a harvest (vi)').to.deep.equal([]);

    // Shipping, with the receiving party and a delivery note; first a try without the party.
    await Promise.all([page.waitForURL(/step=shipping/), page.click('.step-nav a[href*="step=shipping"]')]);
    await page.click('form[action^="/producer/events"] button[type="submit"]');
    await page.waitForSelector('#form-problems');
    expect(await page.textContent('#ev-party-problem')).to.equal('Hãy nhập bên giao hoặc nhận hàng (tối đa 200 ký tự).');
    expect(await axeViolations(page), 'axe on the shipping form with a problem (vi)').to.deep.equal([]);
    await page.fill('#ev-party', 'Cửa hàng OCOP Hoàn Kiếm');
    await page.fill('#ev-document', 'PXK-0012');
    await Promise.all([page.waitForURL(/recorded=shipping/), page.click('form[action^="/producer/events"] button[type="submit"]')]);
    expect(await page.textContent('.timeline')).to.contain('Xuất hàng, vận chuyển');
    await page.screenshot({ path: path.join(ARTIFACTS, 'events-vi.png'), fullPage: true });

    // The public page of a label of the batch shows both steps.
    await Promise.all([page.waitForURL(/\/01\//), page.click('#journey a[href^="/01/"]')]);
    const timeline = await page.textContent('.timeline');
    expect(timeline).to.contain('Thu hoạch, sản xuất').and.contain('Xuất hàng, vận chuyển');
    await scans.flush();

    await page.goto(`${browsing.origin}/producer/scans?lang=vi`);
    expect(await page.textContent('#scan-totals')).to.contain('1 lượt quét');
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const row = await page.locator(`#table-days tr:has(time[datetime="${today}"]) td`).first().textContent();
    expect(row).to.equal('1');
    expect(await page.locator('#chart-days rect.bar').count(), 'one column drawn: the day of the scan').to.equal(2); // the legend swatch and the column
    expect(await axeViolations(page), 'axe on the scans page (vi)').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'scans-vi.png'), fullPage: true });

    // The same screens in English.
    await page.goto(`${browsing.origin}/producer/events?batch=${world.batch._id}&lang=en`);
    expect(await page.textContent('h1')).to.equal('Record a step');
    expect(await page.textContent('.timeline')).to.contain('Harvest, production').and.contain('Shipped');
    expect(await axeViolations(page), 'axe on the forms (en)').to.deep.equal([]);
    await page.goto(`${browsing.origin}/producer/scans?days=90&lang=en`);
    expect(await page.textContent('#scan-totals')).to.contain('Last 90 days: 1 scans');
    expect(await axeViolations(page), 'axe on the scans page (en)').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'scans-en.png'), fullPage: true });

    // The CSV the page links says the same.
    const csvHref = await page.getAttribute('a[href^="/producer/scans/days.csv"]', 'href');
    const cookies = await browsing.context.cookies();
    const csv = await request(app).get(csvHref!).set('Cookie', cookies.map((c) => `${c.name}=${c.value}`).join('; ')).expect(200);
    expect(csv.text).to.contain(`${today},1,0,0,0`);
    // The API agrees about the batch's chain.
    const check = await request(app).get(`/api/v1/batches/${world.batch._id}/events/verify`).set(bearer(world.key)).expect(200);
    expect(check.body).to.include({ ok: true, count: 2 });
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});
