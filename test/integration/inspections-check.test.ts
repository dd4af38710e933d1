import { expect } from 'chai';
import request from 'supertest';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { escapeHtml } from '../../src/templates.js';
import { apiKeyFor, bearer, verificationApp } from '../support/app.js';
import { buildIssuedRun, buildUser, issueLabel, logIn, registerKey } from '../support/kit.js';

/**
 * GET /api/v1/inspect/check: the scan page's online verdict for an inspector. It answers
 * what the label URL answers, and an inspector's check is not a shopper's scan: it adds
 * nothing to the label's scan count (which feeds the clone signals), nor to the scan log.
 */
describe('an inspector\u2019s check of a label (GET /api/v1/inspect/check)', function () {
  this.timeout(60_000);
  const { keyring, scans, app } = verificationApp();
  let key: Awaited<ReturnType<typeof registerKey>>;

  before(async () => {
    key = await registerKey('active');
    await keyring.refresh();
  });

  const publicCount = async (path: string) => {
    const res = await request(app).get(path).set('Accept', 'application/json').expect(200);
    expect(res.body.verdict).to.equal('genuine');
    return res.body.scans.count as number;
  };

  it('when an inspector checks a label (session or key) between two shoppers\u2019 scans, then the verdict is the resolver\u2019s and only the shoppers\u2019 scans are counted and logged', async () => {
    const world = await buildIssuedRun({ gtin: true, stars: 4 });
    const label = await issueLabel(world, key);
    expect(await publicCount(label.path), 'a shopper\u2019s scan counts').to.equal(1);

    const { browser } = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    const bySession = await browser.get('/api/v1/inspect/check').query({ label: label.url, lang: 'en' }).expect(200);
    expect(bySession.headers['cache-control']).to.equal('no-store');
    expect(bySession.body).to.include({ verdict: 'genuine' });
    expect(bySession.body.label).to.include({ serial: label.serial, printedStars: 4 });
    expect(bySession.body.certification.stars).to.equal(4);
    expect(bySession.body.scans.count, 'the shopper\u2019s scan is shown, the check adds none').to.equal(1);
    const byKey = await request(app).get('/api/v1/inspect/check').query({ label: label.path }).set(bearer(await apiKeyFor('inspector'))).expect(200);
    expect(byKey.body.scans.count, 'an inspector key neither').to.equal(1);

    expect(await publicCount(label.path), 'the next shopper\u2019s scan is the second').to.equal(2);
    await scans.flush();
    expect(await ScanModel.countDocuments({ serial: label.serial }), 'the scan log holds the shoppers\u2019 scans only').to.equal(2);
  });

  it('when an inspector sends a label link through the scan page\u2019s form without JavaScript, then the page shows the check in large type (verdict, certified and printed stars, product) and no scan is counted', async () => {
    const world = await buildIssuedRun({ gtin: true, stars: 4 });
    const label = await issueLabel(world, key);
    expect(await publicCount(label.path)).to.equal(1);

    const { browser } = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    for (const [lang, verdict, stars] of [['vi', 'Tem thật', 'Số sao được công nhận'], ['en', 'Genuine', 'Certified stars']] as const) {
      const page = await browser.get('/inspect').query({ lang, label: label.url }).expect(200);
      const section = /<section class="card inspect-result verdict-ok" id="inspect-checked-result"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
      expect(section, lang).to.contain(`>${verdict}</h2>`).and.contain(stars).and.contain('★★★★ 4').and.contain(escapeHtml(world.product.name[lang] ?? world.product.name.vi)).and.contain(label.serial);
    }
    expect(await publicCount(label.path), 'the next shopper\u2019s scan is the second: the two checks added none').to.equal(2);
    await scans.flush();
    expect(await ScanModel.countDocuments({ serial: label.serial })).to.equal(2);
  });

  it('when the link is not a label\u2019s, then 400 label/malformed_uri; without a session 401; a producer 403', async () => {
    const inspector = bearer(await apiKeyFor('inspector'));
    for (const bad of ['https://example.com/not-a-label', 'not a link']) {
      const res = await request(app).get('/api/v1/inspect/check').query({ label: bad }).set(inspector).expect(400);
      expect(res.body.error.code).to.equal('label/malformed_uri');
    }
    const missing = await request(app).get('/api/v1/inspect/check').set(inspector).expect(400);
    expect(missing.body.error.code).to.equal('request/invalid');
    await request(app).get('/api/v1/inspect/check').query({ label: '/p/x' }).expect(401);
    const world = await buildIssuedRun();
    await request(app).get('/api/v1/inspect/check').query({ label: '/p/x' }).set(bearer(await apiKeyFor('producer', world.producer._id))).expect(403);
  });
});
