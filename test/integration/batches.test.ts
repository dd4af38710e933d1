import { expect } from 'chai';
import request from 'supertest';
import { AuditModel } from '../../src/audit/audit.model.js';
import { BatchModel } from '../../src/batches/batch.model.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { aCommune, buildLabelledBatch, buildProducer, buildProduct } from '../support/kit.js';

describe('batches API', () => {
  const app = buildTestApp();
  let adminKey: string;

  const validBody = (overrides: Record<string, unknown> = {}) => ({
    lotCode: `MO-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.slice(0, 20),
    productionDate: '2025-09-01',
    expiryDate: '2027-09-01',
    quantity: 240,
    unit: 'hũ',
    origin: { communeCode: Number(aCommune.code), placeName: 'Đồi chè Ba Vì', geo: { lat: 21.08, lng: 105.37 } },
    ...overrides,
  });

  before(async () => {
    adminKey = await apiKeyFor('admin');
  });

  it('when a producer records a batch of its product, then it is stored with the province derived from the commune', async () => {
    const producer = await buildProducer();
    const product = await buildProduct({ producerId: producer._id });
    const key = await apiKeyFor('producer', producer._id);
    const body = validBody();
    const res = await request(app).post(`/api/v1/products/${product._id}/batches`).set(bearer(key)).send(body).expect(201);
    expect(res.body).to.include({ productId: product._id, producerId: producer._id, lotCode: body.lotCode, unit: 'jar', quantity: 240 });
    expect(res.body.productionDate).to.equal('2025-09-01');
    expect(res.body.origin).to.deep.include({ provinceCode: aCommune.provinceCode, communeCode: aCommune.code, placeName: 'Đồi chè Ba Vì' });
    expect(res.body.origin.geo).to.deep.equal({ lat: 21.08, lng: 105.37 });
    expect(res.headers.location).to.equal(`/api/v1/batches/${res.body.id}`);

    const got = await request(app).get(`/api/v1/batches/${res.body.id}`).set(bearer(key)).expect(200);
    expect(got.body.lotCode).to.equal(body.lotCode);
    const audit = await AuditModel.findOne({ targetType: 'batch', targetId: res.body.id }).lean();
    expect(audit?.action).to.equal('batch.create');
  });

  it('when the same lot code is sent twice for one product, then the second gets 409 batch/duplicate_lot', async () => {
    const product = await buildProduct();
    const body = validBody();
    await request(app).post(`/api/v1/products/${product._id}/batches`).set(bearer(adminKey)).send(body).expect(201);
    const res = await request(app).post(`/api/v1/products/${product._id}/batches`).set(bearer(adminKey)).send(body).expect(409);
    expect(res.body.error.code).to.equal('batch/duplicate_lot');
    expect(await BatchModel.countDocuments({ productId: product._id })).to.equal(1);
  });

  it('when the input is wrong, then 400 names each problem and nothing is stored', async () => {
    const product = await buildProduct();
    const res = await request(app)
      .post(`/api/v1/products/${product._id}/batches`)
      .set(bearer(adminKey))
      .send(validBody({ lotCode: 'LÔ 1', expiryDate: '2025-08-01', unit: 'thùng', origin: { communeCode: '99999' } }))
      .expect(400);
    const paths = (res.body.error.details.problems as { path: string }[]).map((p) => p.path);
    expect(paths).to.include.members(['lotCode', 'unit', 'origin.communeCode']);
    expect(await BatchModel.countDocuments({ productId: product._id })).to.equal(0);

    const dates = await request(app)
      .post(`/api/v1/products/${product._id}/batches`)
      .set(bearer(adminKey))
      .send(validBody({ expiryDate: '2025-08-01' }))
      .expect(400);
    expect(dates.body.error.message).to.contain('expiryDate: must be after the production date');
  });

  it('when the lot code is "." or "..", then 400: a URL parser would read it as a path step and its labels could never verify', async () => {
    const product = await buildProduct();
    for (const lotCode of ['.', '..']) {
      const res = await request(app).post(`/api/v1/products/${product._id}/batches`).set(bearer(adminKey)).send(validBody({ lotCode })).expect(400);
      expect((res.body.error.details.problems as { path: string }[]).map((p) => p.path)).to.deep.equal(['lotCode']);
    }
    await request(app).post(`/api/v1/products/${product._id}/batches`).set(bearer(adminKey)).send(validBody({ lotCode: '...' })).expect(201);
  });

  it("when a producer key writes to another producer's product, then 403 and nothing is stored", async () => {
    const product = await buildProduct();
    const otherKey = await apiKeyFor('producer', (await buildProducer())._id);
    const res = await request(app).post(`/api/v1/products/${product._id}/batches`).set(bearer(otherKey)).send(validBody()).expect(403);
    expect(res.body.error.code).to.equal('auth/forbidden');
    expect(await BatchModel.countDocuments({ productId: product._id })).to.equal(0);
  });

  it('when no key is sent, then 401; when the product does not exist, then 404', async () => {
    await request(app).post('/api/v1/products/aaaaaaaaaa/batches').send(validBody()).expect(401);
    const res = await request(app).post('/api/v1/products/zzzzzzzzzz/batches').set(bearer(adminKey)).send(validBody()).expect(404);
    expect(res.body.error.code).to.equal('product/not_found');
  });

  it("when a producer lists batches, then it sees only its own, filtered by product; another producer's batch is 403", async () => {
    const mine = await buildProducer();
    const p1 = await buildProduct({ producerId: mine._id });
    const p2 = await buildProduct({ producerId: mine._id });
    const other = await buildProduct();
    const key = await apiKeyFor('producer', mine._id);
    await request(app).post(`/api/v1/products/${p1._id}/batches`).set(bearer(key)).send(validBody()).expect(201);
    await request(app).post(`/api/v1/products/${p2._id}/batches`).set(bearer(key)).send(validBody()).expect(201);
    const foreign = await request(app).post(`/api/v1/products/${other._id}/batches`).set(bearer(adminKey)).send(validBody()).expect(201);

    const all = await request(app).get('/api/v1/batches').set(bearer(key)).expect(200);
    expect(all.body.page).to.deep.equal({ limit: 20, offset: 0, total: 2 });
    expect(all.body.items.map((b: { producerId: string }) => b.producerId)).to.deep.equal([mine._id, mine._id]);
    const one = await request(app).get(`/api/v1/batches?product=${p1._id}`).set(bearer(key)).expect(200);
    expect(one.body.items.map((b: { productId: string }) => b.productId)).to.deep.equal([p1._id]);

    await request(app).get(`/api/v1/batches?producer=${other.producerId}`).set(bearer(key)).expect(403);
    await request(app).get(`/api/v1/batches/${foreign.body.id}`).set(bearer(key)).expect(403);
    const asAdmin = await request(app).get(`/api/v1/batches?producer=${other.producerId}`).set(bearer(adminKey)).expect(200);
    expect(asAdmin.body.items.map((b: { id: string }) => b.id)).to.deep.equal([foreign.body.id]);
  });

  it('when a producer changes its batch with PUT, then it reads changed and audited; another producer is refused, a bad body changes nothing, and after the first label run 409 batch/labels_printed', async () => {
    // A certified product, so that a label run can be issued for the batch at the end.
    const { producer, product } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const body = validBody();
    const created = (await request(app).post(`/api/v1/products/${product._id}/batches`).set(bearer(key)).send(body).expect(201)).body;
    const put = (change: Record<string, unknown>, as = key) => request(app).put(`/api/v1/batches/${created.id}`).set(bearer(as)).send({ ...body, ...change });

    const changed = await put({ quantity: 200 }).expect(200);
    expect(changed.body).to.include({ id: created.id, lotCode: body.lotCode, quantity: 200, unit: 'jar' });
    expect((await request(app).get(`/api/v1/batches/${created.id}`).set(bearer(key)).expect(200)).body.quantity).to.equal(200);
    expect((await AuditModel.findOne({ action: 'batch.update', targetId: created.id }).lean())?.details).to.deep.include({ fields: ['quantity'] });

    const otherKey = await apiKeyFor('producer', (await buildProducer())._id);
    await put({ quantity: 1 }, otherKey).expect(403);
    const bad = await put({ quantity: -5 }).expect(400);
    expect(bad.body.error.code).to.equal('request/invalid');
    expect((await BatchModel.findById(created.id).lean())?.quantity, 'neither changed it').to.equal(200);

    await request(app).post(`/api/v1/batches/${created.id}/label-runs`).set(bearer(key)).set('Idempotency-Key', `run-${created.id}`).send({ count: 2 }).expect(201);
    const locked = await put({ quantity: 100 }).expect(409);
    expect(locked.body.error.code).to.equal('batch/labels_printed');
    expect((await BatchModel.findById(created.id).lean())?.quantity, 'what the labels say stays').to.equal(200);
    await request(app).put('/api/v1/batches/zzzzzzzzzz').set(bearer(adminKey)).send(body).expect(404);
  });
});
