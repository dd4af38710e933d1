import { expect } from 'chai';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { provinces } from '../../src/reference/admin-units.js';
import { testConfig } from '../support/app.js';
import { buildIssuedRun, buildProducer, buildUser, issueLabel, logIn, registerKey, signLabel, strangerKey, type Browser, type IssuedRun } from '../support/kit.js';

/** Days in Vietnam (UTC+7), as the filters take them. */
const vietnamDay = (offsetDays = 0) => new Date(Date.now() + 7 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('office: scans flagged as forged or copied', () => {
  const config = testConfig();
  const keyring = Keyring.open(config);
  const scans = new ScanRecorder({ flushMs: 60_000 });
  const app = createApp({ config, logger: createLogger('silent'), keyring, scans });
  // A province other than Hà Nội, where the kit's producers are: the forged label is scanned there.
  const elsewhere = provinces.find((p) => p.code !== '01' && p.communes.length > 0)!;
  let office: Browser;
  let world: IssuedRun;
  let gtin: string;
  let forgedSerial: string;
  let clonedSerial: string;

  before(async function () {
    this.timeout(60_000);
    const key = await registerKey('active');
    await keyring.refresh();
    world = await buildIssuedRun({ gtin: true });
    gtin = world.product.gtin!;
    const genuine = await issueLabel(world, key);
    clonedSerial = genuine.serial;
    // Six phones on six networks within a day: the sixth scan is answered with the clone warning.
    for (let i = 0; i < 6; i += 1) {
      await request(app).get(genuine.path).set('User-Agent', `phone-${i}`).set('X-Forwarded-For', `198.51.100.${i + 20}`).set('Accept', 'application/json').expect(200);
    }
    const forged = signLabel(world, strangerKey());
    forgedSerial = forged.serial;
    await request(app).get(`${forged.path}&place=${elsewhere.communes[0]!.code}`).set('Accept', 'application/json').expect(200);
    await scans.flush();
    office = (await logIn(app, await buildUser('admin'))).browser;
  });

  const rowsOf = (html: string) => [...html.matchAll(/<tr data-kind="(\w+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ kind: m[1]!, html: m[2]! }));

  it('when the office filters by the product\'s GTIN, then it sees the clone and the forgery of its labels and no other scan', async () => {
    const res = await office.get(`/office/flagged?lang=en&product=${gtin}`).expect(200);
    const rows = rowsOf(res.text);
    expect(rows.map((r) => r.kind).sort()).to.deep.equal(['clone', 'forged']);
    expect(rows.find((r) => r.kind === 'clone')!.html).to.include(clonedSerial);
    expect(rows.find((r) => r.kind === 'forged')!.html).to.include(forgedSerial);
    expect(res.text).to.include('2 scans');
  });

  it('when the office filters by flag, product id, province or days, then only the matching scans are listed', async () => {
    const forgedOnly = rowsOf((await office.get(`/office/flagged?product=${gtin}&kind=forged`).expect(200)).text);
    expect(forgedOnly.map((r) => r.kind)).to.deep.equal(['forged']);
    const byId = rowsOf((await office.get(`/office/flagged?product=${world.product._id}`).expect(200)).text);
    expect(byId.map((r) => r.kind), 'only a scan of our own label names our product').to.deep.equal(['clone']);
    const there = rowsOf((await office.get(`/office/flagged?product=${gtin}&province=${elsewhere.code}`).expect(200)).text);
    expect(there.map((r) => r.kind), 'the forgery counts where it was scanned').to.deep.equal(['forged']);
    const home = rowsOf((await office.get(`/office/flagged?product=${gtin}&province=01`).expect(200)).text);
    expect(home.map((r) => r.kind), 'our label counts in its producer\'s province').to.deep.equal(['clone']);
    const today = rowsOf((await office.get(`/office/flagged?product=${gtin}&from=${vietnamDay(-1)}&to=${vietnamDay(0)}`).expect(200)).text);
    expect(today).to.have.length(2);
    const later = await office.get(`/office/flagged?lang=en&product=${gtin}&from=${vietnamDay(1)}`).expect(200);
    expect(rowsOf(later.text)).to.have.length(0);
    expect(later.text).to.include('id="flagged-none"');
  });

  it('when the list is paged, then a page past the last lists nothing and the page says where it is', async () => {
    const first = await office.get(`/office/flagged?lang=en&product=${gtin}`).expect(200);
    expect(first.text).to.include('Page 1 of 1');
    expect(first.text).not.to.include('rel="next"');
    const past = await office.get(`/office/flagged?lang=en&product=${gtin}&page=2`).expect(200);
    expect(rowsOf(past.text)).to.have.length(0);
  });

  it('when a filter is malformed, then the page says what to correct (400), in the language asked for', async () => {
    const res = await office.get('/office/flagged?lang=vi&from=30/11/2026&product=12345').expect(400);
    expect(res.text).to.include('id="flagged-problems"');
    expect(res.text).to.include('NNNN-TT-NN');
    expect(res.text).to.include('GTIN 8–14 chữ số');
  });

  it('when the office downloads the list, then the CSV holds the same rows with a header', async () => {
    const res = await office.get(`/office/flagged.csv?product=${gtin}`).expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    expect(res.headers['content-disposition']).to.include('flagged-scans.csv');
    const [header, ...rows] = parse(res.text.replace(/^\uFEFF/, '')) as string[][];
    expect(header).to.deep.equal(['time_utc', 'flag', 'verdict', 'serial', 'gtin', 'product_id', 'province', 'place']);
    expect(rows.map((r) => [r[1], r[3]]).sort()).to.deep.equal([['clone', clonedSerial], ['forged', forgedSerial]].sort());
    expect(rows.find((r) => r[1] === 'forged')?.[6]).to.equal(elsewhere.code);
  });

  it('when a province\'s admin opens the list, then it sees its own province\'s flagged scans only', async () => {
    const provincial = (await logIn(app, await buildUser('admin', { province: elsewhere.code }))).browser;
    const rows = rowsOf((await provincial.get(`/office/flagged?product=${gtin}`).expect(200)).text);
    expect(rows.map((r) => r.kind)).to.deep.equal(['forged']);
  });

  it('when a producer or an inspector opens the list, then it is refused (403); without a session, the login form', async () => {
    const producer = await buildProducer();
    for (const user of [await buildUser('producer', { producerId: producer._id }), await buildUser('inspector', { provinces: ['01'] })]) {
      const { browser } = await logIn(app, user);
      await browser.get('/office/flagged').expect(403);
      await browser.get('/office/flagged.csv').expect(403);
    }
    const anonymous = await request(app).get('/office/flagged').set('Accept', 'text/html');
    expect(anonymous.status).to.equal(401);
    expect(anonymous.text).to.include('name="password"');
  });
});
