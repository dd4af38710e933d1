import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { withCheckDigit } from '../../src/reference/gs1.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { createReport } from '../../src/reports/report.service.js';
import { activeLabelsOfRun } from '../../src/labels/runs/labels.service.js';
import { POLICY, type Rule } from '../../src/policy/policy-table.js';
import type { Role } from '../../src/policy/principal.js';
import { batchInputOf, buildCertification, buildProducer, buildProduct, buildUser, epcisDoc, type EventBatch, formToken, issueRunThroughApi, logIn, monthsAgo, objectEvent, producerInput, scoreFor, uniqueDecisionNumber } from '../support/kit.js';
import { bearer, buildTestApp } from '../support/app.js';
import { appRoutes, routeName } from '../support/app-routes.js';

/** Hà Nội (01) holds the records; Huế (46) is the other province. */
const HUE = { provinceCode: '46', communeCode: '19753' };
const JSON_PAGE = { Accept: 'application/json' };

type Caller = 'admin of 01' | 'admin of 46' | 'national admin' | 'inspector in 01' | 'inspector in 46';
const CALLERS: Record<Caller, { role: Role; province?: string; provinces?: string[]; reaches01: boolean }> = {
  'admin of 01': { role: 'admin', province: '01', reaches01: true },
  'admin of 46': { role: 'admin', province: '46', reaches01: false },
  'national admin': { role: 'admin', reaches01: true },
  'inspector in 01': { role: 'inspector', provinces: ['01'], reaches01: true },
  'inspector in 46': { role: 'inspector', provinces: ['46'], reaches01: false },
};

const keyFor = async (c: (typeof CALLERS)[Caller]) => (await createApiKey({ role: c.role, label: 'scope test', province: c.province ?? null, provinces: c.provinces ?? null })).key;

type Records = Awaited<ReturnType<typeof buildRecords>>;
/** A request that reaches the service's scope check; `list`: a list, filtered to the scope rather than refused. */
/** `form`: a screen's form, sent as a browser sends it. */
type Sample = { url: string; body?: unknown; headers?: Record<string, string>; form?: true };

/** Lists: a scoped caller gets its provinces' part of them (tested below), never a refusal. */
const LISTS = new Set(['GET /api/v1/reports', 'GET /api/v1/audit', 'GET /office/audit', 'GET /api/v1/api-keys', 'GET /office/users', 'GET /office/api-keys', 'GET /inspect/reports']);

/** Pages without a record: a blank form that names no record yet, so its scope is asked when the form is sent. */
const PAGES_WITHOUT_RECORD = new Set(['GET /office/producers/new']);

/** A producer as the office's producer form sends it (its inputs, flat). */
const producerForm = (p: { name: string; kind: string; registrationNumber: string; address: { provinceCode: string; communeCode: string; legacyDistrict?: string | null } }) => ({
  name: p.name,
  kind: p.kind,
  registrationNumber: p.registrationNumber,
  provinceCode: p.address.provinceCode,
  communeCode: p.address.communeCode,
  legacyDistrict: p.address.legacyDistrict ?? '',
  contactPerson: 'Nguyễn Văn An',
});

/** A producer of Hà Nội with a certified product, a batch, runs, labels, an event capture, a report, users and a key. */
async function buildRecords(app: Express) {
  const { producer, product, batch, key: own, runId } = await issueRunThroughApi(app, 4, { gtin: true });
  const serials: string[] = [];
  for await (const label of activeLabelsOfRun({ _id: runId, count: 4 })) serials.push(label._id);
  const world: EventBatch = { producerId: producer._id, productId: product._id, gtin: product.gtin ?? null, batchId: batch._id, lot: batch.lotCode, expiry: batch.expiryDate ?? new Date() };
  const toRevoke = await buildCertification({ productId: (await buildProduct({ producerId: producer._id }))._id });
  const report = await createReport({ label: null, kind: 'fake_label', details: 'Tem lạ', provinceCode: '01', commune: 'Gia Lâm', place: 'Chợ', contact: null }, null);
  const keys = Object.fromEntries(await Promise.all(Object.entries(CALLERS).map(async ([name, c]) => [name, await keyFor(c)]))) as Record<Caller, string>;
  return {
    producer, product, batch, world, runId, serials, keys, toRevoke,
    receipt: report.receipt,
    user: await buildUser('inspector', { provinces: ['01'] }),
    toDisable: await buildUser('producer', { producerId: producer._id }),
    producerKeyId: (await createApiKey({ role: 'producer', label: 'to revoke', producerId: producer._id })).principal.keyId,
    ownKey: own,
  };
}

/** One request per route whose action is scoped, with a body that reaches the service (a scoped refusal needs the record). */
const SAMPLES: Record<string, (r: Records) => Sample> = {
  'POST /api/v1/producers': () => ({ url: '/api/v1/producers', body: producerInput() }),
  'PATCH /api/v1/producers/:id': (r) => ({ url: `/api/v1/producers/${r.producer._id}`, body: { name: r.producer.name } }),
  'POST /api/v1/products': (r) => ({ url: '/api/v1/products', body: { producerId: r.producer._id, name: { vi: `Sản phẩm ${randomUUID().slice(0, 6)}` }, group: 'handicraft' } }),
  'PATCH /api/v1/products/:id': (r) => ({ url: `/api/v1/products/${r.product._id}`, body: { name: { vi: r.product.name.vi } } }),
  'PUT /api/v1/products/:id/photo': (r) => ({ url: `/api/v1/products/${r.product._id}/photo`, headers: { 'Content-Type': 'image/png' }, body: 'not a png' }),
  'DELETE /api/v1/products/:id/photo': (r) => ({ url: `/api/v1/products/${r.product._id}/photo` }),
  'POST /api/v1/products/:id/certifications': (r) => ({
    url: `/api/v1/products/${r.toRevoke.productId}/certifications`,
    body: { stars: 4, score: scoreFor(4), decisionNumber: uniqueDecisionNumber(), decisionDate: monthsAgo(1) },
  }),
  'POST /api/v1/certifications/:id/revoke': (r) => ({ url: `/api/v1/certifications/${r.toRevoke._id}/revoke`, body: { reason: 'quyết định bị hủy' } }),
  'POST /api/v1/locations': (r) => ({ url: '/api/v1/locations', body: { gln: withCheckDigit(`893${String(randomInt(1e9)).padStart(9, '0')}`), name: 'Kho', communeCode: '00577', producerId: r.producer._id } }),
  'POST /api/v1/products/:productId/batches': (r) => ({
    url: `/api/v1/products/${r.product._id}/batches`,
    body: { lotCode: `SC-${randomUUID().slice(0, 10)}`, productionDate: '2025-09-01', quantity: 10, unit: 'jar', origin: { communeCode: '00577' } },
  }),
  'GET /api/v1/batches': (r) => ({ url: `/api/v1/batches?producer=${r.producer._id}` }),
  'GET /api/v1/batches/:id': (r) => ({ url: `/api/v1/batches/${r.batch._id}` }),
  'PUT /api/v1/batches/:id': (r) => ({ url: `/api/v1/batches/${r.batch._id}`, body: batchInputOf(r.batch) }),
  'POST /api/v1/batches/:batchId/label-runs': (r) => ({ url: `/api/v1/batches/${r.batch._id}/label-runs`, body: { count: 1 }, headers: { 'Idempotency-Key': randomUUID() } }),
  'GET /api/v1/batches/:batchId/label-runs': (r) => ({ url: `/api/v1/batches/${r.batch._id}/label-runs` }),
  'GET /api/v1/label-runs/:id': (r) => ({ url: `/api/v1/label-runs/${r.runId}` }),
  'POST /api/v1/label-runs/:id/revoke': (r) => ({ url: `/api/v1/label-runs/${r.runId}/revoke`, body: { reason: 'cuộn tem bị mất' } }),
  'GET /api/v1/labels/:serial.svg': (r) => ({ url: `/api/v1/labels/${r.serials[0]}.svg` }),
  'GET /api/v1/labels/:serial.png': (r) => ({ url: `/api/v1/labels/${r.serials[0]}.png` }),
  'GET /api/v1/labels/:serial': (r) => ({ url: `/api/v1/labels/${r.serials[0]}` }),
  'POST /api/v1/labels/:serial/void': (r) => ({ url: `/api/v1/labels/${r.serials[1]}/void`, body: { reason: 'rách' } }),
  'GET /api/v1/label-runs/:id/sheet.pdf': (r) => ({ url: `/api/v1/label-runs/${r.runId}/sheet.pdf` }),
  'GET /api/v1/label-runs/:id/labels.csv': (r) => ({ url: `/api/v1/label-runs/${r.runId}/labels.csv` }),
  'GET /api/v1/label-runs/:id/labels.zpl': (r) => ({ url: `/api/v1/label-runs/${r.runId}/labels.zpl` }),
  'POST /api/v1/keys/rotate': () => ({ url: '/api/v1/keys/rotate' }),
  'POST /api/v1/keys/:kid/revoke': () => ({ url: '/api/v1/keys/AAAAAAAA/revoke', body: {} }),
  'POST /api/v1/events': (r) => ({ url: '/api/v1/events', body: objectEvent(r.world) }),
  'POST /api/v1/epcis/capture': (r) => ({ url: '/api/v1/epcis/capture', body: epcisDoc([objectEvent(r.world, { bizStep: 'shipping' })]) }),
  'GET /api/v1/reports': () => ({ url: '/api/v1/reports'}),
  'GET /api/v1/reports/:receipt': (r) => ({ url: `/api/v1/reports/${r.receipt}` }),
  'GET /api/v1/reports/:receipt/photo': (r) => ({ url: `/api/v1/reports/${r.receipt}/photo` }),
  'POST /api/v1/api-keys': (r) => ({ url: '/api/v1/api-keys', body: { role: 'producer', label: 'kho', producerId: r.producer._id } }),
  'GET /api/v1/api-keys': () => ({ url: '/api/v1/api-keys'}),
  'POST /api/v1/api-keys/:id/revoke': (r) => ({ url: `/api/v1/api-keys/${r.producerKeyId}/revoke`, body: {} }),
  'GET /office/users': () => ({ url: '/office/users', headers: JSON_PAGE}),
  'POST /office/users': () => ({ url: '/office/users', headers: JSON_PAGE, form: true, body: { email: `i-${randomUUID().slice(0, 8)}@example.vn`, name: 'Thanh tra', role: 'inspector', provinces: '01' } }),
  'POST /office/users/:id/reset': (r) => ({ url: `/office/users/${r.user.id}/reset`, headers: JSON_PAGE, form: true, body: {} }),
  'POST /office/users/:id/disable': (r) => ({ url: `/office/users/${r.toDisable.id}/disable`, headers: JSON_PAGE, form: true, body: {} }),
  'POST /office/users/:id/enable': (r) => ({ url: `/office/users/${r.toDisable.id}/enable`, headers: JSON_PAGE, form: true, body: {} }),
  'GET /office/producers/new': () => ({ url: '/office/producers/new', headers: JSON_PAGE }),
  'POST /office/producers': () => ({ url: '/office/producers', headers: JSON_PAGE, form: true, body: producerForm(producerInput() as Parameters<typeof producerForm>[0]) }),
  'POST /office/producers/:id': (r) => ({ url: `/office/producers/${r.producer._id}`, headers: JSON_PAGE, form: true, body: producerForm(r.producer) }),
  'GET /office/producers/:id/products/new': (r) => ({ url: `/office/producers/${r.producer._id}/products/new`, headers: JSON_PAGE }),
  'POST /office/producers/:id/products': (r) => ({ url: `/office/producers/${r.producer._id}/products`, headers: JSON_PAGE, form: true, body: { nameVi: `Sản phẩm ${randomUUID().slice(0, 6)}`, group: 'handicraft' } }),
  'POST /office/products/:id': (r) => ({ url: `/office/products/${r.product._id}`, headers: JSON_PAGE, form: true, body: { nameVi: r.product.name.vi, group: r.product.group, gtin: r.product.gtin ?? '' } }),
  'POST /office/products/:id/certifications': (r) => ({
    url: `/office/products/${r.toRevoke.productId}/certifications`, headers: JSON_PAGE, form: true,
    body: { stars: '4', score: String(scoreFor(4)), decisionNumber: uniqueDecisionNumber(), decisionDate: monthsAgo(1) },
  }),
  'POST /office/certifications/:id/revoke': (r) => ({ url: `/office/certifications/${r.toRevoke._id}/revoke`, headers: JSON_PAGE, form: true, body: { reason: 'quyết định bị hủy' } }),
  'POST /office/keys/rotate': () => ({ url: '/office/keys/rotate', headers: JSON_PAGE, form: true, body: {} }),
  'POST /office/keys/:kid/revoke': () => ({ url: '/office/keys/AAAAAAAA/revoke', headers: JSON_PAGE, form: true, body: { reason: 'khóa bị lộ' } }),
  'GET /office/api-keys': () => ({ url: '/office/api-keys', headers: JSON_PAGE }),
  'POST /office/api-keys/:id/revoke': (r) => ({ url: `/office/api-keys/${r.producerKeyId}/revoke`, headers: JSON_PAGE, form: true, body: {} }),
  'GET /office/audit': () => ({ url: '/office/audit', headers: JSON_PAGE }),
  'GET /api/v1/audit': () => ({ url: '/api/v1/audit' }),
  'GET /inspect/reports': () => ({ url: '/inspect/reports', headers: JSON_PAGE }),
  'POST /inspect/reports/:receipt/status': (r) => ({ url: `/inspect/reports/${r.receipt}/status`, headers: JSON_PAGE, form: true, body: { status: 'checked', note: 'đã kiểm tra', back: 'inspect' } }),
  'GET /producer/events': (r) => ({ url: `/producer/events?producer=${r.producer._id}`, headers: JSON_PAGE }),
  'POST /producer/events': (r) => ({
    url: '/producer/events', headers: JSON_PAGE, form: true,
    body: { step: 'harvest', batchId: r.batch._id, when: '2025-09-01T08:00', place: 'commune', commune: '00577', quantity: '5' },
  }),
};

/** What a caller gets: its role's column first, then its scope against a record of Hà Nội (`noRecord`: a list or a page without a record). */
function expected(rule: Rule, caller: (typeof CALLERS)[Caller], noRecord: boolean): 'allow' | 'forbid' {
  if (rule[caller.role as 'admin' | 'inspector'] !== 'allow') return 'forbid';
  const scoped = caller.province !== undefined || caller.provinces !== undefined;
  if (rule.scoped === 'national') return scoped ? 'forbid' : 'allow';
  if (noRecord) return 'allow';
  return caller.reaches01 ? 'allow' : 'forbid';
}

const send = (app: Express, method: string, sample: Sample, key: string) => {
  const agent = request(app);
  let req = method === 'GET' ? agent.get(sample.url) : method === 'PATCH' ? agent.patch(sample.url) : method === 'PUT' ? agent.put(sample.url) : method === 'DELETE' ? agent.delete(sample.url) : agent.post(sample.url);
  req = req.set(bearer(key));
  for (const [h, v] of Object.entries(sample.headers ?? {})) req = req.set(h, v);
  if (sample.form) req = req.type('form');
  return sample.body === undefined ? req : req.send(sample.body as object);
};


describe('policy: every scoped route against provincial and national admins, inspectors in and out of the province', () => {
  const app = buildTestApp();
  const scopedRoutes = appRoutes(app).filter((r) => r.action && POLICY[r.action].scoped);
  let records: Records;

  before(async () => {
    records = await buildRecords(app);
  });

  it('when the app is built, then every route of a scoped action has a sample here', () => {
    expect(scopedRoutes.map(routeName).filter((n) => !SAMPLES[n]), 'scoped routes without a sample').to.deep.equal([]);
    expect(scopedRoutes.length).to.be.greaterThan(30);
  });

  for (const route of scopedRoutes) {
    const name = routeName(route);
    const rule = POLICY[route.action!];
    describe(`${name} (${route.action}, scoped: ${rule.scoped})`, () => {
      for (const [callerName, caller] of Object.entries(CALLERS) as [Caller, (typeof CALLERS)[Caller]][]) {
        // The national office's own writes to the signing keys are the main table test's (it restores the keys it rotates).
        if (rule.scoped === 'national' && caller.province === undefined && caller.provinces === undefined) continue;
        const sampleOf = SAMPLES[name];
        const answer = expected(rule, caller, LISTS.has(name) || PAGES_WITHOUT_RECORD.has(name));
        it(`when the ${callerName} calls, then ${answer === 'allow' ? 'it is let through' : '403 auth/forbidden'}`, async () => {
          expect(sampleOf, `${name} has no sample`).to.exist;
          const res = await send(app, route.method, sampleOf!(records), records.keys[callerName]);
          const seen = `${res.status} ${JSON.stringify(res.body?.error ?? null)}`;
          if (answer === 'allow') expect(res.status === 401 || res.status === 403 || res.status >= 500, seen).to.equal(false);
          else expect([res.status, res.body.error?.code], seen).to.deep.equal([403, 'auth/forbidden']);
        });
      }
    });
  }
});

describe('policy: what a provincial office may do and see', () => {
  const app = buildTestApp();
  let hanoi: string;
  let hue: string;
  let national: string;
  let inspectorHue: string;

  before(async () => {
    [hanoi, hue, national, inspectorHue] = await Promise.all([
      keyFor(CALLERS['admin of 01']),
      keyFor(CALLERS['admin of 46']),
      keyFor(CALLERS['national admin']),
      keyFor(CALLERS['inspector in 46']),
    ]);
  });

  it('when a provincial admin records a 5★ certification, then 403 says 5★ is the national office\'s; 4★ is recorded, and the national office records 5★', async () => {
    const product = await buildProduct();
    const body = (stars: number) => ({ stars, score: scoreFor(stars), decisionNumber: uniqueDecisionNumber(), decisionDate: monthsAgo(1) });
    const five = await request(app).post(`/api/v1/products/${product._id}/certifications`).set(bearer(hanoi)).send(body(5)).expect(403);
    expect(five.body.error.code).to.equal('auth/forbidden');
    expect(five.body.error.message).to.equal('Only the national office may record a certification of 5★: 5★ is decided by the ministry, 1–4★ by the province; this admin acts for province 01.');
    const listed = await request(app).get(`/api/v1/certifications?product=${product._id}`).expect(200);
    expect(listed.body.items).to.deep.equal([]);
    await request(app).post(`/api/v1/products/${product._id}/certifications`).set(bearer(hanoi)).send(body(4)).expect(201);
    const ministry = await request(app).post(`/api/v1/products/${product._id}/certifications`).set(bearer(national)).send({ ...body(5), authority: { level: 'ministry' } }).expect(201);
    // Nor may the province re-rate over the ministry's decision, or revoke it.
    const over = await request(app).post(`/api/v1/products/${product._id}/certifications`).set(bearer(hanoi)).send(body(4)).expect(403);
    expect(over.body.error.message).to.match(/^Product \w+ holds a 5★ decision .*, which a new one would supersede: Only the national office may record a certification of 5★/);
    await request(app).post(`/api/v1/certifications/${ministry.body.id}/revoke`).set(bearer(hanoi)).send({ reason: 'quyết định bị hủy' }).expect(403);
    await request(app).post(`/api/v1/certifications/${ministry.body.id}/revoke`).set(bearer(hue)).send({ reason: 'quyết định bị hủy' }).expect(403);
    await request(app).post(`/api/v1/certifications/${ministry.body.id}/revoke`).set(bearer(national)).send({ reason: 'quyết định bị hủy' }).expect(200);
  });

  it('when a provincial admin creates a producer in another province, then 403 names both provinces and nothing is stored', async () => {
    const input = producerInput({ address: HUE });
    const res = await request(app).post('/api/v1/producers').set(bearer(hanoi)).send(input).expect(403);
    expect(res.body.error.message).to.equal('Only an admin of its province or the national office may create a producer; this admin acts for province 01, and the record is in province 46.');
    const found = await request(app).get('/api/v1/producers').query({ q: input.name as string }).expect(200);
    expect(found.body.items).to.deep.equal([]);
    await request(app).post('/api/v1/producers').set(bearer(hue)).send(input).expect(201);
  });

  it('when a provincial admin moves its producer to another province, then 403 and the address stays', async () => {
    const producer = await buildProducer();
    await request(app).patch(`/api/v1/producers/${producer._id}`).set(bearer(hanoi)).send({ address: HUE }).expect(403);
    const after = await request(app).get(`/api/v1/producers/${producer._id}`).expect(200);
    expect(after.body.address.provinceCode).to.equal('01');
  });

  it("when a provincial admin lists producers, products and certifications, then it sees its province's only; the public and the national office see both", async () => {
    const tag = `Phạm vi ${randomUUID().slice(0, 8)}`;
    const inHanoi = await buildProducer({ name: `${tag} Hà Nội` });
    const inHue = await buildProducer({ name: `${tag} Huế`, address: HUE });
    const [c1, c2] = [await buildCertification({ productId: (await buildProduct({ producerId: inHanoi._id }))._id }), await buildCertification({ productId: (await buildProduct({ producerId: inHue._id }))._id })];
    const producers = async (key: string | null) => {
      const req = request(app).get('/api/v1/producers').query({ q: tag });
      return ((await (key ? req.set(bearer(key)) : req).expect(200)).body.items as { id: string }[]).map((p) => p.id).sort();
    };
    expect(await producers(hanoi)).to.deep.equal([inHanoi._id]);
    expect(await producers(hue)).to.deep.equal([inHue._id]);
    expect(await producers(national)).to.deep.equal([inHanoi._id, inHue._id].sort());
    expect(await producers(null)).to.deep.equal([inHanoi._id, inHue._id].sort());
    const refused = await request(app).get('/api/v1/producers').query({ province: '46' }).set(bearer(hanoi)).expect(403);
    expect(refused.body.error.message).to.contain('this admin acts for province 01');

    const products = async (key: string, producer: string) => (await request(app).get('/api/v1/products').query({ producer }).set(bearer(key)).expect(200)).body.items.length as number;
    expect([await products(hanoi, inHanoi._id), await products(hanoi, inHue._id), await products(national, inHue._id)]).to.deep.equal([1, 0, 1]);
    const certs = async (key: string, producer: string) => (await request(app).get('/api/v1/certifications').query({ producer }).set(bearer(key)).expect(200)).body.items.map((c: { id: string }) => c.id) as string[];
    expect(await certs(hanoi, inHanoi._id)).to.deep.equal([c1._id]);
    expect(await certs(hanoi, inHue._id)).to.deep.equal([]);
    expect(await certs(hue, inHue._id)).to.deep.equal([c2._id]);
  });

  it("when an inspector of another province lists batches or reads events, then it sees neither the batches nor the business transactions", async () => {
    const run = await issueRunThroughApi(app, 1, { gtin: true });
    const w: EventBatch = { producerId: run.producer._id, productId: run.product._id, gtin: run.product.gtin ?? null, batchId: run.batch._id, lot: run.batch.lotCode, expiry: new Date('2027-09-01') };
    const po = [{ type: 'po', bizTransaction: 'urn:ocop:po:HN-2025-0999' }];
    await request(app).post('/api/v1/events').set(bearer(run.key)).send(objectEvent(w, { bizStep: 'shipping', bizTransactionList: po })).expect(201);
    const inspectorHanoi = await keyFor(CALLERS['inspector in 01']);
    const seen = async (key: string) => (await request(app).get('/api/v1/events').query({ batch: w.batchId }).set(bearer(key)).expect(200)).body.items[0].event.bizTransactionList ?? null;
    expect(await seen(inspectorHanoi)).to.deep.equal(po);
    expect(await seen(inspectorHue)).to.equal(null);
    expect(await seen(hanoi)).to.deep.equal(po);
    expect(await seen(hue)).to.equal(null);
    await request(app).get(`/api/v1/batches?producer=${run.producer._id}`).set(bearer(inspectorHue)).expect(403);
    const all = await request(app).get('/api/v1/batches').set(bearer(inspectorHue)).expect(200);
    expect(all.body.items.map((b: { id: string }) => b.id)).not.to.include(run.batch._id);
    const mine = await request(app).get('/api/v1/batches').set(bearer(inspectorHanoi)).query({ limit: 100 }).expect(200);
    expect(mine.body.page.total).to.be.greaterThan(0);
  });

  it("when a household is read, then the admin of its province sees its contact; another province's admin does not", async () => {
    const household = await buildProducer({ kind: 'household' });
    const hanoiView = await request(app).get(`/api/v1/producers/${household._id}`).set(bearer(hanoi)).expect(200);
    expect(hanoiView.body.contact?.phone).to.be.a('string');
    const hueView = await request(app).get(`/api/v1/producers/${household._id}`).set(bearer(hue)).expect(200);
    expect(hueView.body).not.to.have.property('contact');
  });

  it("when a provincial admin makes keys, then they carry its province; another province's is refused, and its list holds its province's keys only", async () => {
    const made = await request(app).post('/api/v1/api-keys').set(bearer(hanoi)).send({ role: 'inspector', label: 'Đội QLTT số 3' }).expect(201);
    expect([made.body.provinces, made.body.province]).to.deep.equal([['01'], null]);
    const admin = await request(app).post('/api/v1/api-keys').set(bearer(hanoi)).send({ role: 'admin', label: 'Sở NN' }).expect(201);
    expect(admin.body.province).to.equal('01');
    const me = await request(app).get('/api/v1/me').set(bearer(admin.body.key as string)).expect(200);
    expect(me.body.scope).to.deep.equal({ province: '01' });
    const other = await request(app).post('/api/v1/api-keys').set(bearer(hanoi)).send({ role: 'admin', label: 'Huế', province: '46' }).expect(403);
    expect(other.body.error.message).to.contain('this admin acts for province 01, and the record is in province 46');
    const hueKey = await request(app).post('/api/v1/api-keys').set(bearer(hue)).send({ role: 'inspector', label: 'Huế' }).expect(201);
    await request(app).post(`/api/v1/api-keys/${hueKey.body.id}/revoke`).set(bearer(hanoi)).expect(403);
    const list = await request(app).get('/api/v1/api-keys').query({ limit: 100 }).set(bearer(hanoi)).expect(200);
    const ids = list.body.items.map((k: { id: string }) => k.id);
    expect(ids).to.include.members([made.body.id, admin.body.id]);
    expect(ids).not.to.include(hueKey.body.id);
  });
});

describe('policy: a provincial office on its users screen', () => {
  const app = buildTestApp();

  it("when a provincial admin creates an inspector of another province on the form, then the form says why (403) and no account is made", async () => {
    const admin = await buildUser('admin', { province: '01' });
    const { browser } = await logIn(app, admin);
    const form = await browser.get('/office/users').expect(200);
    const email = `thanh-tra-${randomUUID().slice(0, 8)}@example.vn`;
    const res = await browser.post('/office/users').type('form').send({ _csrf: formToken(form.text), email, name: 'Thanh tra Huế', role: 'inspector', provinces: '46' }).expect(403);
    expect(res.text).to.contain('Văn phòng tỉnh chỉ tạo tài khoản của tỉnh mình');
    const list = await browser.get('/office/users').expect(200);
    expect(list.text).not.to.contain(email);
    await browser.post('/office/users').type('form').send({ _csrf: formToken(list.text), email, name: 'Thanh tra Hà Nội', role: 'inspector', provinces: '01' }).expect(201);
    expect((await browser.get('/office/users').expect(200)).text).to.contain(email);
  });
});

describe("policy: a provincial office on the registry's screens of another province", () => {
  const app = buildTestApp();

  it("when an admin of another province opens or sends a Hà Nội producer's, product's or certification's pages, then 403 shows none of it and nothing is written; Hà Nội's admin opens them", async () => {
    const producer = await buildProducer({ kind: 'household' });
    const product = await buildProduct({ producerId: producer._id });
    const cert = await buildCertification({ productId: product._id });
    const hue = await logIn(app, await buildUser('admin', { province: '46' }));
    const pages = [`/office/producers/${producer._id}`, `/office/products/${product._id}`, `/office/certifications/${cert._id}`, `/office/producers/${producer._id}/products/new`];
    for (const page of pages) {
      const res = await hue.browser.get(page).expect(403);
      expect(res.text, page).not.to.contain(producer.name).and.not.contain(producer.contact?.phone ?? producer.name);
    }
    const _csrf = hue.csrfToken;
    const renamed = `${producer.name} (Huế)`;
    await hue.browser.post(`/office/producers/${producer._id}`).type('form').send({ _csrf, ...producerForm(producer), name: renamed }).expect(403);
    // A form with problems is refused too, not shown again with the record in it.
    await hue.browser.post(`/office/producers/${producer._id}`).type('form').send({ _csrf, ...producerForm(producer), name: '' }).expect(403);
    await hue.browser.post(`/office/producers/${producer._id}/products`).type('form').send({ _csrf, nameVi: 'Sản phẩm Huế', group: 'handicraft' }).expect(403);
    await hue.browser.post(`/office/products/${product._id}`).type('form').send({ _csrf, nameVi: 'Đổi tên', group: product.group }).expect(403);
    await hue.browser.post(`/office/certifications/${cert._id}/revoke`).type('form').send({ _csrf, reason: 'quyết định bị hủy' }).expect(403);
    const after = await request(app).get(`/api/v1/producers/${producer._id}`).expect(200);
    expect(after.body.name).to.equal(producer.name);
    const products = await request(app).get('/api/v1/products').query({ producer: producer._id }).expect(200);
    expect(products.body.items.map((p: { id: string; name: { vi: string } }) => [p.id, p.name.vi])).to.deep.equal([[product._id, product.name.vi]]);
    const certs = await request(app).get('/api/v1/certifications').query({ product: product._id }).expect(200);
    expect(certs.body.items.map((c: { id: string; status: string }) => [c.id, c.status])).to.deep.equal([[cert._id, 'active']]);

    const hanoi = await logIn(app, await buildUser('admin', { province: '01' }));
    for (const page of pages) expect((await hanoi.browser.get(page).expect(200)).text, page).to.contain(producer.name);
  });

  it("when an admin of another province opens the producer's event forms naming a Hà Nội producer, then 403; Hà Nội's admin gets the forms", async () => {
    const { producer } = await issueRunThroughApi(app, 1, { gtin: true });
    const hue = await logIn(app, await buildUser('admin', { province: '46' }));
    await hue.browser.get(`/producer/events?producer=${producer._id}`).expect(403);
    const hanoi = await logIn(app, await buildUser('admin', { province: '01' }));
    await hanoi.browser.get(`/producer/events?producer=${producer._id}`).expect(200);
  });

  it("when a provincial admin opens the audit log, then it reads its province's writes and not another's; the national office reads both", async () => {
    const inHanoi = await buildProducer();
    const inHue = await buildProducer({ address: HUE });
    const hanoi = await logIn(app, await buildUser('admin', { province: '01' }));
    const page = await hanoi.browser.get('/office/audit?action=producer.create').expect(200);
    expect(page.text).to.contain(inHanoi._id).and.not.contain(inHue._id);
    await hanoi.browser.get('/office/audit?province=46').expect(403);
    const national = await logIn(app, await buildUser('admin'));
    const all = await national.browser.get('/office/audit?action=producer.create').expect(200);
    expect(all.text).to.contain(inHanoi._id).and.contain(inHue._id);
  });
});
