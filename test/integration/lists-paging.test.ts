import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApiKeyModel } from '../../src/accounts/api-key.model.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildBatch, buildLabelledBatch } from '../support/kit.js';

type Listed = { items: { id: string }[]; page: { limit: number; offset: number; total: number } };

describe('lists: one paging shape', () => {
  const app = buildTestApp();
  let admin: string;
  let batchId: string;
  let productId: string;
  const runIds: string[] = [];

  before(async () => {
    admin = await apiKeyFor('admin');
    const { product, batch } = await buildLabelledBatch();
    productId = product._id;
    batchId = batch._id;
    await buildBatch(product);
    await buildBatch(product);
    for (let i = 0; i < 3; i += 1) {
      const res = await request(app)
        .post(`/api/v1/batches/${batchId}/label-runs`)
        .set(bearer(admin))
        .set('Idempotency-Key', randomUUID())
        .send({ count: 1 })
        .expect(201);
      runIds.push(res.body.id);
    }
  });

  const lists = () => [
    '/api/v1/producers',
    '/api/v1/products',
    '/api/v1/certifications',
    '/api/v1/batches',
    '/api/v1/api-keys',
    `/api/v1/batches/${batchId}/label-runs`,
  ];
  const get = async (path: string, query: Record<string, string | number> = {}): Promise<Listed> =>
    (await request(app).get(path).query(query).set(bearer(admin)).expect(200)).body;

  it('when any offset list is read, then it answers {items, page: {limit, offset, total}} with limit 20 from offset 0', async () => {
    for (const path of lists()) {
      const body = await get(path);
      expect(Object.keys(body).sort(), path).to.deep.equal(['items', 'page']);
      expect(body.page, path).to.include({ limit: 20, offset: 0 });
      expect(body.page.total, path).to.be.a('number').and.at.least(body.items.length);
      expect(body.items.length, path).to.be.at.most(20);
    }
  });

  it("when a product's batches are paged by limit, offset and page, then each page is its own slice of the same total", async () => {
    const path = '/api/v1/batches';
    const all = await get(path, { product: productId });
    expect(all.page.total).to.equal(3);
    const first = await get(path, { product: productId, limit: 2 });
    const second = await get(path, { product: productId, limit: 2, page: 2 });
    const byOffset = await get(path, { product: productId, limit: 2, offset: 2 });
    expect(first.items.map((b) => b.id)).to.deep.equal(all.items.slice(0, 2).map((b) => b.id));
    expect(second.items.map((b) => b.id)).to.deep.equal(all.items.slice(2).map((b) => b.id));
    expect(second.page).to.deep.equal({ limit: 2, offset: 2, total: 3 });
    expect(byOffset).to.deep.equal(second);
  });

  it("when a batch's label runs are paged, then they come newest first, a page at a time", async () => {
    const path = `/api/v1/batches/${batchId}/label-runs`;
    const all = await get(path);
    expect(all.items.map((r) => r.id)).to.deep.equal([...runIds].reverse());
    const second = await get(path, { limit: 1, page: 2 });
    expect(second.items.map((r) => r.id)).to.deep.equal([runIds[1]]);
    expect(second.page).to.deep.equal({ limit: 1, offset: 1, total: 3 });
  });

  it('when API keys are paged, then the newest key comes first and the total counts every key', async () => {
    const newest = await request(app).post('/api/v1/api-keys').set(bearer(admin)).send({ role: 'inspector', label: 'paging' }).expect(201);
    const first = await get('/api/v1/api-keys', { limit: 1 });
    expect(first.items.map((k) => k.id)).to.deep.equal([newest.body.id]);
    expect(first.page.total).to.equal(await ApiKeyModel.countDocuments());
    const next = await get('/api/v1/api-keys', { limit: 1, offset: 1 });
    expect(next.items).to.have.length(1);
    expect(next.items[0]?.id).not.to.equal(newest.body.id);
  });

  it('when a list gets more than 100 per page, offset and page together, or an unknown parameter, then 400 request/invalid', async () => {
    for (const path of lists()) {
      for (const query of [{ limit: 101 }, { offset: 1, page: 2 }, { sort: 'name' }]) {
        const res = await request(app).get(path).query(query).set(bearer(admin)).expect(400);
        expect(res.body.error.code, `${path} ${JSON.stringify(query)}`).to.equal('request/invalid');
      }
    }
  });
});
