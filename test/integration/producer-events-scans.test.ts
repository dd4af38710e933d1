import { expect } from 'chai';
import request from 'supertest';
import { bearer, verificationApp } from '../support/app.js';
import { buildEventBatch, buildUser, formToken, issueRunThroughApi, logIn } from '../support/kit.js';

/**
 * The producer's own screens over real HTTP with a logged-in browser: each step form
 * records the right EPCIS event into the batch's chain; another producer's batch, an
 * inspector, a form without its CSRF token and bad input store nothing; the scans
 * screen counts the scans made here of the producer's labels, and no one else's.
 */
describe('producer screens: step forms and label scans', function () {
  this.timeout(60_000);
  const { app, scans } = verificationApp();
  let world: Awaited<ReturnType<typeof issueRunThroughApi>>;
  let browser: Awaited<ReturnType<typeof logIn>>['browser'];
  let labelPaths: string[];

  const eventsOf = async (batchId: string) => (await request(app).get(`/api/v1/events?batch=${batchId}&perPage=500`).expect(200)).body.items as Array<{ event: Record<string, unknown>; chain: { seq: number } }>;
  const tokenOf = async (b = browser, url = '/producer/events') => formToken((await b.get(url).expect(200)).text);
  const now = new Date();
  /** An hour ago in Vietnam time, as a datetime-local field holds it. */
  const when = new Date(now.getTime() + 7 * 3_600_000 - 3_600_000).toISOString().slice(0, 16);
  const form = (extra: Record<string, string>) => ({ batchId: world.batch._id, when, place: 'commune', commune: '00577', quantity: '12.5', ...extra });

  before(async () => {
    world = await issueRunThroughApi(app, 4, { gtin: true });
    const user = await buildUser('producer', { producerId: world.producer._id });
    browser = (await logIn(app, user)).browser;
    const csv = await request(app).get(`/api/v1/label-runs/${world.runId}/labels.csv`).set(bearer(world.key)).expect(200);
    labelPaths = csv.text.split('\r\n').slice(1, -1).map((line) => new URL(line.split(',')[2]!).pathname + new URL(line.split(',')[2]!).search);
    expect(labelPaths).to.have.length(4);
  });

  const expected: Record<string, { type: string; bizStep: string; disposition: string; action?: string }> = {
    harvest: { type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active' },
    processing: { type: 'TransformationEvent', bizStep: 'commissioning', disposition: 'active' },
    packing: { type: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'in_progress' },
    shipping: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' },
    receiving: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_not_accessible' },
    retail: { type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold' },
  };

  it('when the producer sends each step form, then each becomes the right EPCIS event in the batch chain, which checks out, and the page lists them with a label page link', async () => {
    for (const [step, shape] of Object.entries(expected)) {
      const before = await eventsOf(world.batch._id);
      const extra: Record<string, string> = step === 'shipping' || step === 'receiving' ? { party: 'HTX Chương Mỹ', document: 'PXK-0012' } : {};
      const res = await browser.post('/producer/events').type('form').send({ _csrf: await tokenOf(), step, ...form(extra) });
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      expect(res.headers.location).to.contain(`batch=${world.batch._id}`).and.contain(`recorded=${step}`);
      const after = await eventsOf(world.batch._id);
      expect(after, step).to.have.length(before.length + 1);
      const added = after[after.length - 1]!;
      const event = added.event;
      expect(event, step).to.include({ type: shape.type, bizStep: shape.bizStep, disposition: shape.disposition, eventTimeZoneOffset: '+07:00', 'ocop:batchId': world.batch._id });
      if (shape.action) expect(event.action, step).to.equal(shape.action);
      else expect(event, step).not.to.have.property('action');
      expect(event.bizLocation, step).to.deep.equal({ id: 'urn:ocop:commune:00577' });
      expect(added.chain.seq, step).to.equal(before.length);
      if (step === 'shipping') {
        expect(event.destinationList).to.deep.equal([{ type: 'owning_party', destination: `urn:ocop:party:${encodeURIComponent('HTX Chương Mỹ')}` }]);
      }
      if (step === 'receiving') expect(event.sourceList).to.have.length(1);
    }
    const harvest = (await eventsOf(world.batch._id))[0]!.event;
    expect(harvest.quantityList).to.deep.equal([{ epcClass: `https://id.gs1.org/01/${world.product.gtin}/10/${world.batch.lotCode}`, quantity: 12.5, uom: 'H87' }]);
    expect(harvest.ilmd).to.include({ 'cbvmda:lotNumber': world.batch.lotCode });
    const check = await request(app).get(`/api/v1/batches/${world.batch._id}/events/verify`).set(bearer(world.key)).expect(200);
    expect(check.body).to.include({ ok: true, count: 6 });

    const page = await browser.get(`/producer/events?batch=${world.batch._id}&recorded=retail&lang=en`).expect(200);
    expect(page.text).to.contain('Step “Retail sale” recorded');
    expect(page.text).to.contain('Shipping').and.contain('Retail sale');
    const link = /href="(\/01\/[^"]+)"/.exec(page.text)?.[1];
    expect(link, 'a link to a label page of the batch').to.be.a('string');
    const labelPage = await request(app).get(link!.replaceAll('&amp;', '&')).expect(200);
    expect(labelPage.text).to.contain('Shipped').and.contain('Harvest, production');
  });

  it("when the form names another producer's batch, then 403 and nothing is stored in either batch", async () => {
    const other = await buildEventBatch();
    const res = await browser.post('/producer/events').type('form').set('Accept', 'application/json').send({ _csrf: await tokenOf(), step: 'harvest', ...form({ batchId: other.batchId }) });
    expect([res.status, res.body.error?.code]).to.deep.equal([403, 'auth/forbidden']);
    expect(await eventsOf(other.batchId)).to.have.length(0);
    const viewed = await browser.get(`/producer/events?batch=${other.batchId}`).set('Accept', 'application/json');
    expect(viewed.status).to.equal(403);
  });

  it('when an inspector opens or sends the forms or the scans page, then 403 and nothing is stored', async () => {
    const inspector = (await logIn(app, await buildUser('inspector', { provinces: ['01'] }))).browser;
    const before = (await eventsOf(world.batch._id)).length;
    await inspector.get('/producer/events').set('Accept', 'application/json').expect(403);
    await inspector.get('/producer/scans').set('Accept', 'application/json').expect(403);
    const token = formToken((await inspector.get('/account').expect(200)).text);
    const res = await inspector.post('/producer/events').type('form').set('Accept', 'application/json').send({ _csrf: token, step: 'harvest', ...form({}) });
    expect([res.status, res.body.error?.code]).to.deep.equal([403, 'auth/forbidden']);
    expect(await eventsOf(world.batch._id)).to.have.length(before);
  });

  it("when an admin opens the screens, then they act for the producer named or of the batch opened; naming none is 400", async () => {
    const admin = (await logIn(app, await buildUser('admin'))).browser;
    const journey = await admin.get(`/producer/events?batch=${world.batch._id}&lang=en`).expect(200);
    expect(journey.text).to.contain(`value="${world.batch._id}"`);
    const figures = await admin.get(`/producer/scans?producer=${world.producer._id}&lang=en`).expect(200);
    expect(figures.text).to.contain('id="table-products"');
    const none = await admin.get('/producer/scans').set('Accept', 'application/json');
    expect([none.status, none.body.error?.code]).to.deep.equal([400, 'request/invalid']);
  });

  it('when the form comes without its CSRF token, then 403 auth/csrf and nothing is stored', async () => {
    const before = (await eventsOf(world.batch._id)).length;
    const res = await browser.post('/producer/events').type('form').set('Accept', 'application/json').send({ step: 'harvest', ...form({}) });
    expect([res.status, res.body.error?.code]).to.deep.equal([403, 'auth/csrf']);
    const forged = await browser.post('/producer/events').type('form').set('Accept', 'application/json').send({ _csrf: 'x'.repeat(40), step: 'harvest', ...form({}) });
    expect(forged.status).to.equal(403);
    expect(await eventsOf(world.batch._id)).to.have.length(before);
  });

  for (const [lang, words] of [
    ['vi', { commune: 'Mã xã, phường không đúng', future: 'Ngày giờ không được ở tương lai', party: 'Hãy nhập bên giao hoặc nhận hàng', quantity: 'Số lượng phải là một số lớn hơn 0' }],
    ['en', { commune: 'The commune code is not right', future: 'cannot be in the future', party: 'Enter the shipping or receiving party', quantity: 'The quantity must be a number above 0' }],
  ] as const) {
    it(`when the form holds bad input (${lang}), then 400 with a message beside each field in that language, what was typed kept, and nothing stored`, async () => {
      const before = (await eventsOf(world.batch._id)).length;
      const future = new Date(now.getTime() + 7 * 3_600_000 + 2 * 86_400_000).toISOString().slice(0, 16);
      const cases: [Record<string, string>, string][] = [
        [{ step: 'harvest', commune: '99999' }, words.commune],
        [{ step: 'harvest', when: future }, words.future],
        [{ step: 'shipping', party: '' }, words.party],
        [{ step: 'retail', quantity: '-3' }, words.quantity],
      ];
      for (const [extra, message] of cases) {
        const res = await browser.post(`/producer/events?lang=${lang}`).type('form').send({ _csrf: await tokenOf(), ...form({}), ...extra });
        expect(res.status, JSON.stringify(extra)).to.equal(400);
        expect(res.text, JSON.stringify(extra)).to.contain(message);
        expect(res.text).to.contain('aria-invalid="true"');
      }
      const kept = await browser.post(`/producer/events?lang=${lang}`).type('form').send({ _csrf: await tokenOf(), ...form({ step: 'shipping', party: '', document: 'HĐ-77' }) });
      expect(kept.text).to.contain('value="HĐ-77"');
      expect(await eventsOf(world.batch._id)).to.have.length(before);
    });
  }

  it('when labels of the producer, a forgery of its GTIN and another producer\'s label are scanned, then the scans screen counts only its own, per day, month, commune and product, and the CSV says the same', async () => {
    // A producer of its own: the step test above opened a label page of the first one (a scan too).
    const mine = await issueRunThroughApi(app, 2, { gtin: true });
    const browser = (await logIn(app, await buildUser('producer', { producerId: mine.producer._id }))).browser;
    const mineCsv = await request(app).get(`/api/v1/label-runs/${mine.runId}/labels.csv`).set(bearer(mine.key)).expect(200);
    const labelPaths = mineCsv.text.split('\r\n').slice(1, -1).map((line) => new URL(line.split(',')[2]!)).map((u) => u.pathname + u.search);
    const other = await issueRunThroughApi(app, 1, { gtin: true });
    const otherCsv = await request(app).get(`/api/v1/label-runs/${other.runId}/labels.csv`).set(bearer(other.key)).expect(200);
    const otherPath = new URL(otherCsv.text.split('\r\n')[1]!.split(',')[2]!);
    const [a, b] = labelPaths as [string, string];
    await request(app).get(a).expect(200);
    await request(app).get(`${a}&place=00577`).expect(200);
    await request(app).get(`${b}&place=00577`).expect(200);
    // The same label with its signature altered: a forgery carrying the producer's GTIN.
    const forged = b.replace(/sig=([A-Za-z0-9_-])/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    await request(app).get(forged);
    await request(app).get(otherPath.pathname + otherPath.search).expect(200);
    await scans.flush();

    const page = await browser.get('/producer/scans?days=30&lang=en').expect(200);
    expect(/id="scan-totals">([^<]+)</.exec(page.text)?.[1]).to.equal('Last 30 days: 4 scans, 1 forged labels, 0 labels not in the system, 0 clone warnings.');
    expect(page.text).to.contain('<svg class="chart" id="chart-days"').and.contain('id="chart-months"').and.contain('id="chart-places"');
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const dayRow = new RegExp(`<time datetime="${today}">[^<]+</time></th><td class="num">4</td><td class="num">1</td>`);
    expect(page.text).to.match(dayRow);
    expect(page.text).to.contain('Xã Bát Tràng');

    const days = await browser.get('/producer/scans/days.csv?days=90').expect(200).expect('Content-Type', /text\/csv/);
    const rows = days.text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(rows).to.have.length(91);
    expect(rows.find((r) => r.startsWith(today))).to.equal(`${today},4,1,0,0`);
    const places = (await browser.get('/producer/scans/places.csv?days=30&lang=en').expect(200)).text;
    expect(places).to.contain('00577,"Xã Bát Tràng, Thành phố Hà Nội",2,0,0,0').and.contain(',Place not shared,2,1,0,0');
    const products = (await browser.get('/producer/scans/products.csv').expect(200)).text;
    expect(products).to.contain(`${mine.product._id},`).and.contain(`,${mine.product.gtin},4,1,0,0`);
    expect(products).not.to.contain(other.product._id);

    // The other producer sees its one scan, not ours.
    const otherUser = await buildUser('producer', { producerId: other.producer._id });
    const otherBrowser = (await logIn(app, otherUser)).browser;
    expect((await otherBrowser.get('/producer/scans?lang=en').expect(200)).text).to.contain('Last 30 days: 1 scans, 0 forged labels');
    await otherBrowser.get(`/producer/scans?product=${mine.product._id}`).set('Accept', 'application/json').expect(403);
  });
});
