import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { DashboardSnapshots } from '../../src/dashboard/dashboard.service.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { provinces } from '../../src/reference/admin-units.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { revokeCertification } from '../../src/registry/certifications/certification.service.js';
import { buildBatch, buildCertification, buildProducer, buildProduct, daysAgo, issueLabel, monthsAgo, registerKey, signLabel, storeRun, strangerKey } from '../support/kit.js';
import { testConfig } from '../support/app.js';

/**
 * The public statistics page against records the test makes in a province of its own
 * (the run shares one database, so every figure is compared as the change between a
 * snapshot before and one after, in that province).
 */
describe('statistics dashboard', function () {
  this.timeout(60_000);
  // A province with enough communes for a label scanned from four places; not Hà Nội, where the kit puts its producers.
  const province = provinces.find((p) => p.code !== '01' && p.communes.length >= 6 && p.code === '92') ?? provinces.find((p) => p.code !== '01' && p.communes.length >= 6)!;
  const communes = province.communes.map((c) => c.code);
  const config = testConfig();
  const keyring = Keyring.open(config);
  const scans = new ScanRecorder({ flushMs: 60_000 });
  const statistics = new DashboardSnapshots({ refreshMs: 10 * 60_000 });
  const app = createApp({ config, logger: createLogger('silent'), keyring, scans, statistics });
  const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);

  /** A figure's table on the page: row key → numbers. */
  async function table(figure: string, query = `?province=${province.code}`): Promise<Map<string, number[]>> {
    const res = await request(app).get(`/statistics${query}`).set('Accept-Language', 'en').expect(200);
    const section = new RegExp(`<section class="card figure" id="figure-${figure}"[\\s\\S]*?</section>`).exec(res.text)?.[0] ?? '';
    const rows = new Map<string, number[]>();
    for (const m of section.matchAll(/<tr data-key="([^"]*)">([\s\S]*?)<\/tr>/g)) {
      rows.set(m[1]!, [...m[2]!.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => Number(c[1]!.replace(/,/g, ''))));
    }
    return rows;
  }

  async function csv(figure: string, query = `?province=${province.code}`): Promise<Map<string, number[]>> {
    const res = await request(app).get(`/statistics/${figure}.csv${query}`).set('Accept-Language', 'en').buffer(true).parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => done(null, text));
    }).expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    const records = parse(res.body as string, { bom: true }) as string[][];
    return new Map(records.slice(1).map((r) => [r[0]!, r.slice(2).map(Number)]));
  }

  const first = (rows: Map<string, number[]>, key: string) => rows.get(key)?.[0] ?? 0;

  let earlier: Record<string, Map<string, number[]>>;
  const FIGURES = ['stars', 'groups', 'kinds', 'provinces', 'years', 'expiring', 'labels', 'scans', 'signals'];
  const expected = {
    stars: new Map<string, number>(),
    groups: new Map<string, number>(),
    kinds: new Map<string, number>(),
    years: new Map<string, number>(),
    expiring: 0,
    labels: 0,
    scans: 0,
    forged: 0,
    clones: 0,
  };
  const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  const yearOf = (isoDate: string) => isoDate.slice(0, 4);

  before(async () => {
    await statistics.refresh();
    earlier = Object.fromEntries(await Promise.all(FIGURES.map(async (f) => [f, await table(f)] as const)));

    const address = (i: number) => ({ provinceCode: province.code, communeCode: communes[i % communes.length]! });
    const enterprise = await buildProducer({ kind: 'enterprise', address: address(0) });
    const cooperative = await buildProducer({ kind: 'cooperative', address: address(1) });
    const household = await buildProducer({ kind: 'household', address: address(2) });

    // In force: what the registry figures count.
    const certified = [
      { producer: enterprise, group: 'food', stars: 5, decisionDate: monthsAgo(2) },
      { producer: enterprise, group: 'beverage', stars: 4, decisionDate: monthsAgo(13) },
      { producer: cooperative, group: 'food', stars: 4, decisionDate: monthsAgo(1) },
      { producer: household, group: 'handicraft', stars: 3, decisionDate: monthsAgo(1) },
      // Expires within 90 days: 36 months of validity, decided 35 months ago.
      { producer: household, group: 'food', stars: 3, decisionDate: monthsAgo(35) },
    ];
    for (const c of certified) {
      const product = await buildProduct({ producerId: c.producer._id, group: c.group });
      await buildCertification({ productId: product._id, stars: c.stars, decisionDate: c.decisionDate });
      bump(expected.stars, String(c.stars));
      bump(expected.groups, c.group);
      bump(expected.kinds, c.producer.kind);
      bump(expected.years, yearOf(c.decisionDate));
    }
    expected.expiring = 1;
    await buildCertification(); // a product elsewhere (Hà Nội): the whole country lists more than our province
    // Not in force, but decisions of their year all the same.
    const expired = await buildProduct({ producerId: cooperative._id, group: 'herbal' });
    await buildCertification({ productId: expired._id, stars: 4, decisionDate: monthsAgo(37) });
    bump(expected.years, yearOf(monthsAgo(37)));
    const revokedProduct = await buildProduct({ producerId: cooperative._id, group: 'herbal' });
    const revoked = await buildCertification({ productId: revokedProduct._id, stars: 3, decisionDate: daysAgo(10) });
    await revokeCertification(revoked._id, 'failed inspection', systemPrincipal);
    bump(expected.years, yearOf(daysAgo(10)));

    // A run of three labels, issued now, and scans of them.
    const product = await buildProduct({ producerId: enterprise._id, group: 'food' });
    const certification = await buildCertification({ productId: product._id, stars: 4 });
    bump(expected.stars, '4');
    bump(expected.groups, 'food');
    bump(expected.kinds, 'enterprise');
    bump(expected.years, yearOf(monthsAgo(1)));
    const batch = await buildBatch(product);
    const fixture = { producer: enterprise, product, certification, batch };
    const run = await storeRun(fixture, { count: 3 });
    expected.labels = 3;
    const key = await registerKey('active');
    await keyring.refresh();
    const world = { ...fixture, run };
    // Positions 1–3 of the run, as an issued run numbers them (the start-up upgrade reads runs by position).
    const labels = [await issueLabel(world, key, { seq: 1 }), await issueLabel(world, key, { seq: 2 }), await issueLabel(world, key, { seq: 3 })];

    const scan = (path: string, ip: string) => request(app).get(path).set('X-Forwarded-For', ip).expect(200);
    await scan(labels[0]!.path, '10.9.0.1');
    await scan(labels[1]!.path, '10.9.0.2');
    expected.scans += 2;
    // One label scanned from five communes of the province, each from a network of its own: copied.
    for (let i = 0; i < 5; i += 1) {
      const res = await scan(`${labels[2]!.path}&place=${communes[i]}`, `10.9.1.${i + 1}`);
      if (i >= 3) {
        expect(res.text, 'past three places a label is said to be copied').to.match(/cop/i);
        expected.clones += 1;
      }
    }
    expected.scans += 5;
    // A counterfeiter's label, scanned in the province: forged, counted where it was scanned.
    const forged = signLabel(world, strangerKey());
    await scan(`${forged.path}&place=${communes[1]}`, '10.9.2.1');
    await scan(`${forged.path}&place=${communes[2]}`, '10.9.2.2');
    expected.forged = 2;
    expected.scans += 2;
    await scans.flush();
    await statistics.refresh();
  });

  const delta = async (figure: string, key: string) => first(await table(figure), key) - first(earlier[figure]!, key);

  it('when products are certified in a province, then its figures by stars, group and kind of producer rise by what was certified', async () => {
    for (const [stars, n] of expected.stars) expect(await delta('stars', stars), `${stars}★`).to.equal(n);
    for (const [group, n] of expected.groups) expect(await delta('groups', group), group).to.equal(n);
    for (const [kind, n] of expected.kinds) expect(await delta('kinds', kind), kind).to.equal(n);
    expect(await delta('stars', '2')).to.equal(0);
    const total = [...expected.stars.values()].reduce((a, b) => a + b, 0);
    expect(await delta('provinces', province.code)).to.equal(total);
  });

  it('when certifications expire, are revoked or soon expire, then only decisions in force count, every decision counts in its year, and one expires within 90 days', async () => {
    for (const [year, n] of expected.years) expect(await delta('years', year), year).to.equal(n);
    const expiringNow = [...(await table('expiring')).values()].reduce((s, v) => s + (v[0] ?? 0), 0);
    const expiringBefore = [...earlier.expiring!.values()].reduce((s, v) => s + (v[0] ?? 0), 0);
    expect(expiringNow - expiringBefore).to.equal(expected.expiring);
  });

  it('when labels are issued and scanned, then this month counts them, with the forged scans and the copied-label warnings under the province', async () => {
    expect(await delta('labels', month)).to.equal(expected.labels);
    expect(await delta('scans', month)).to.equal(expected.scans);
    const signals = await table('signals');
    const was = earlier.signals!.get(province.code) ?? [0, 0, 0];
    const now = signals.get(province.code) ?? [0, 0, 0];
    expect(now[0]! - was[0]!, 'forged').to.equal(expected.forged);
    expect(now[2]! - was[2]!, 'copied-label warnings').to.equal(expected.clones);
  });

  it('when a figure is downloaded as CSV, then it parses back to the numbers of its table', async () => {
    for (const figure of FIGURES) {
      const [page, file] = await Promise.all([table(figure), csv(figure)]);
      expect(file, figure).to.deep.equal(page);
    }
    const national = await csv('provinces', '');
    expect(national.get(province.code)).to.deep.equal((await table('provinces')).get(province.code));
  });

  it('when the page is opened, then it says how fresh its figures are, in Vietnamese by default and in English on request', async () => {
    const vi = await request(app).get('/statistics').expect(200);
    expect(vi.text).to.contain('Thống kê sản phẩm OCOP').and.to.match(/Số liệu lúc \d\d:\d\d \d\d\/\d\d\/\d{4}/);
    expect(vi.headers['content-security-policy']).to.contain("default-src 'none'");
    expect(vi.text).not.to.match(/<script|style=/);
    const en = await request(app).get(`/statistics?province=${province.code}&lang=en`).expect(200);
    expect(en.text).to.match(/Figures as of \d{1,2} \w{3} \d{4}, \d\d:\d\d/).and.to.contain(`Scope: ${province.name}`);
    expect(en.text.match(/<svg class="chart"[^>]*role="img"/g)?.length).to.be.greaterThan(5);
  });

  it('when the province filter names a province, then the by-province figure shows that province alone; an unknown code is refused', async () => {
    const rows = await table('provinces');
    expect([...rows.keys()]).to.deep.equal([province.code]);
    const all = await table('provinces', '');
    expect(all.size).to.be.greaterThan(1);
    expect(all.get(province.code)).to.deep.equal(rows.get(province.code));
    const res = await request(app).get('/statistics?province=99').set('Accept', 'application/json').expect(400);
    expect(res.text).to.contain('province');
  });

  it('when another instance computed a snapshot, then a fresh process serves that one without computing again', async () => {
    const other = new DashboardSnapshots({ refreshMs: 10 * 60_000 });
    const held = await statistics.current();
    const served = await other.current();
    expect(served.computedAt).to.equal(held.computedAt);
  });
});
