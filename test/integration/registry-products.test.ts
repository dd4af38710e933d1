import { expect } from 'chai';
import request from 'supertest';
import { randomInt } from 'node:crypto';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildCertification, buildLegacyProduct, buildProducer, buildProduct, monthsAgo, uniqueGtin13 } from '../support/kit.js';
import { ProductModel } from '../../src/registry/products/product.model.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { newId } from '../../src/ids.js';

type Item = { id: string };
const ids = (body: { items: Item[] }) => body.items.map((i) => i.id);

describe('registry: products', () => {
  const app = buildTestApp();
  let admin: string;
  let producerId: string;
  before(async () => {
    admin = await apiKeyFor('admin');
    producerId = (await buildProducer())._id;
  });

  const body = (overrides: Record<string, unknown> = {}) => ({
    producerId,
    name: { vi: `Bình gốm men rạn ${randomInt(1e6)}`, en: 'Crackle-glaze vase' },
    group: 'handicraft',
    ...overrides,
  });

  describe('creating', () => {
    it('when a 13-digit GTIN is valid, then the product is stored with its GTIN-14 and the current group list', async () => {
      const gtin = uniqueGtin13();
      const res = await request(app).post('/api/v1/products').set(bearer(admin)).send(body({ gtin })).expect(201);
      expect(res.body.gtin).to.equal(`0${gtin}`);
      expect(res.body.group).to.deep.equal({ code: 'handicraft', listVersion: '2023', vi: 'Thủ công mỹ nghệ', en: 'Handicrafts' });
      expect(res.body.currentCertification).to.equal(null);
      expect(await AuditModel.countDocuments({ targetId: res.body.id, action: 'product.create' })).to.equal(1);
    });

    it('when the GTIN check digit is wrong, then 400 product/invalid_gtin names the right digit and nothing is stored', async () => {
      const good = uniqueGtin13();
      const wrong = `${good.slice(0, 12)}${(Number(good[12]) + 1) % 10}`;
      const b = body({ gtin: wrong });
      const res = await request(app).post('/api/v1/products').set(bearer(admin)).send(b).expect(400);
      expect(res.body.error.code).to.equal('product/invalid_gtin');
      expect(res.body.error.message).to.contain(`should be ${good[12]}`);
      expect(res.body.error.details).to.deep.equal({ expectedCheckDigit: Number(good[12]) });
      expect(await ProductModel.countDocuments({ 'name.vi': b.name.vi })).to.equal(0);
    });

    it('when the GTIN has a wrong length or is sent as a number, then 400', async () => {
      const r1 = await request(app).post('/api/v1/products').set(bearer(admin)).send(body({ gtin: '12345678901' })).expect(400);
      expect(r1.body.error.code).to.equal('product/invalid_gtin');
      const r2 = await request(app).post('/api/v1/products').set(bearer(admin)).send(body({ gtin: 8936045120015 })).expect(400);
      expect(r2.body.error.details.problems[0].path).to.equal('gtin');
    });

    it('when another product already has the GTIN, then 409 product/duplicate_gtin and no second product', async () => {
      const first = await buildProduct({ gtin: true });
      const b = body({ gtin: first.gtin?.slice(1) });
      const res = await request(app).post('/api/v1/products').set(bearer(admin)).send(b).expect(409);
      expect(res.body.error.code).to.equal('product/duplicate_gtin');
      expect(res.body.error.details.existingProductId).to.equal(first._id);
      expect(await ProductModel.countDocuments({ gtin: first.gtin })).to.equal(1);
    });

    it('when many products have no GTIN, then none collides with another', async () => {
      await buildProduct();
      await request(app).post('/api/v1/products').set(bearer(admin)).send(body()).expect(201);
      await request(app).post('/api/v1/products').set(bearer(admin)).send(body({ gtin: null })).expect(201);
    });

    it('when the group comes from the 2018 list or does not exist, then 400 listing the current groups', async () => {
      for (const group of ['textile', 'souvenir', 'pottery']) {
        const res = await request(app).post('/api/v1/products').set(bearer(admin)).send(body({ group })).expect(400);
        expect(res.body.error.details.problems[0].path).to.equal('group');
        expect(res.body.error.message).to.contain('ornamental');
      }
    });

    it('when the producer does not exist, then 400 product/unknown_producer and nothing is stored', async () => {
      const b = body({ producerId: newId() });
      const res = await request(app).post('/api/v1/products').set(bearer(admin)).send(b).expect(400);
      expect(res.body.error.code).to.equal('product/unknown_producer');
      expect(await ProductModel.countDocuments({ 'name.vi': b.name.vi })).to.equal(0);
    });

    it('when the Vietnamese name is missing, then 400 on name.vi', async () => {
      const res = await request(app).post('/api/v1/products').set(bearer(admin)).send(body({ name: { en: 'Vase' } })).expect(400);
      expect(res.body.error.details.problems.map((p: { path: string }) => p.path)).to.include('name.vi');
    });

    it('when a producer key creates a product, then 403', async () => {
      const key = await apiKeyFor('producer', producerId);
      await request(app).post('/api/v1/products').set(bearer(key)).send(body()).expect(403);
    });
  });

  describe('reading and updating', () => {
    it('when a product was rated under the 2018 group list, then it still reads with its old group name', async () => {
      const p = await buildLegacyProduct({ producerId, name: { vi: 'Khăn lụa Vạn Phúc' }, group: 'textile' });
      const res = await request(app).get(`/api/v1/products/${p._id}`).expect(200);
      expect(res.body.group).to.deep.equal({ code: 'textile', listVersion: '2018', vi: 'Vải và may mặc', en: 'Textiles and garments' });
      const listed = await request(app).get(`/api/v1/products?group=textile&producer=${producerId}`).expect(200);
      expect(ids(listed.body)).to.deep.equal([p._id]);
    });

    it('when an old-list product is given a current group, then it moves to the current list version', async () => {
      const p = await buildLegacyProduct({ producerId, name: { vi: 'Túi thổ cẩm' }, group: 'textile' });
      const res = await request(app).patch(`/api/v1/products/${p._id}`).set(bearer(admin)).send({ group: 'handicraft' }).expect(200);
      expect(res.body.group).to.include({ code: 'handicraft', listVersion: '2023' });
      const audit = await AuditModel.findOne({ targetId: p._id, action: 'product.update' }).lean();
      expect(audit?.details).to.deep.equal({ fields: ['group'] });
    });

    it('when a patch changes the English name and removes the GTIN, then the Vietnamese name stays', async () => {
      const p = await buildProduct({ gtin: true, producerId });
      const res = await request(app).patch(`/api/v1/products/${p._id}`).set(bearer(admin)).send({ name: { en: 'Lacquer box' }, gtin: null }).expect(200);
      expect(res.body.name).to.deep.equal({ vi: p.name.vi, en: 'Lacquer box' });
      expect(res.body.gtin).to.equal(null);
      // The freed GTIN may be given to another product.
      await request(app).post('/api/v1/products').set(bearer(admin)).send(body({ gtin: p.gtin })).expect(201);
    });

    it("when a patch takes another product's GTIN or has a bad check digit, then 409 or 400 and nothing changes", async () => {
      const [a, b] = [await buildProduct({ gtin: true, producerId }), await buildProduct({ producerId })];
      const dup = await request(app).patch(`/api/v1/products/${b._id}`).set(bearer(admin)).send({ gtin: a.gtin }).expect(409);
      expect(dup.body.error.code).to.equal('product/duplicate_gtin');
      const bad = await request(app).patch(`/api/v1/products/${b._id}`).set(bearer(admin)).send({ gtin: '8930000000010' }).expect(400);
      expect(bad.body.error.code).to.equal('product/invalid_gtin');
      expect((await ProductModel.findById(b._id).lean())?.gtin).to.equal(null);
    });

    it('when a product does not exist, then 404 product/not_found', async () => {
      const res = await request(app).get(`/api/v1/products/${newId()}`).expect(404);
      expect(res.body.error.code).to.equal('product/not_found');
      await request(app).patch(`/api/v1/products/${newId()}`).set(bearer(admin)).send({ description: 'x' }).expect(404);
    });

    it('when the product groups are asked for, then both list versions are served, the current one named', async () => {
      const res = await request(app).get('/api/v1/product-groups').expect(200);
      expect(res.body.currentVersion).to.equal('2023');
      expect(res.body.versions.map((v: { version: string }) => v.version)).to.have.members(['2023', '2018']);
    });
  });

  describe('listing', () => {
    let ownProducer: string;
    let fourStar: string;
    let threeStar: string;
    let expired: string;
    let revokedOnly: string;
    let uncertified: string;
    let food: string;
    let thaiNguyenProduct: string;
    let gtin: string;
    before(async () => {
      ownProducer = (await buildProducer())._id;
      const p = (o: Record<string, unknown> = {}) => buildProduct({ producerId: ownProducer, ...o });
      fourStar = (await p({ gtin: true }))._id;
      gtin = (await ProductModel.findById(fourStar).lean())?.gtin ?? '';
      threeStar = (await p())._id;
      expired = (await p())._id;
      revokedOnly = (await p())._id;
      uncertified = (await p())._id;
      food = (await p({ group: 'food' }))._id;
      await buildCertification({ productId: fourStar, stars: 4 });
      await buildCertification({ productId: threeStar, stars: 3 });
      await buildCertification({ productId: expired, stars: 4, decisionDate: monthsAgo(40) });
      const revoked = await buildCertification({ productId: revokedOnly, stars: 4 });
      await request(app).post(`/api/v1/certifications/${revoked._id}/revoke`).set(bearer(admin)).send({ reason: 'Không duy trì chất lượng' }).expect(200);
      const tn = await buildProducer({ address: { provinceCode: '19', communeCode: '05503' } });
      thaiNguyenProduct = (await buildProduct({ producerId: tn._id, group: 'beverage' }))._id;
      await buildCertification({ productId: thaiNguyenProduct, stars: 4 });
    });

    const list = async (q: string) => ids((await request(app).get(`/api/v1/products?${q}`).expect(200)).body);

    it("when filtered by stars, then products are matched on their current certification's stars", async () => {
      expect(await list(`producer=${ownProducer}&stars=4`)).to.deep.equal([fourStar, expired]);
      expect(await list(`producer=${ownProducer}&stars=3`)).to.deep.equal([threeStar]);
    });

    it('when filtered by status, then active, expired and uncertified products are told apart', async () => {
      expect(await list(`producer=${ownProducer}&status=active`)).to.deep.equal([fourStar, threeStar]);
      expect(await list(`producer=${ownProducer}&status=expired`)).to.deep.equal([expired]);
      expect(await list(`producer=${ownProducer}&status=none`)).to.deep.equal([revokedOnly, uncertified, food]);
      expect(await list(`producer=${ownProducer}&stars=4&status=active`)).to.deep.equal([fourStar]);
    });

    it('when filtered by group or GTIN, then only matching products are listed', async () => {
      expect(await list(`producer=${ownProducer}&group=food`)).to.deep.equal([food]);
      expect(await list(`gtin=${gtin.slice(1)}`)).to.deep.equal([fourStar]);
    });

    it("when filtered by province, then products of producers there are listed", async () => {
      const inThaiNguyen = await list('province=19&limit=100&group=beverage');
      expect(inThaiNguyen).to.include(thaiNguyenProduct);
      expect(inThaiNguyen).not.to.include(fourStar);
      expect(await list(`province=01&producer=${ownProducer}&stars=4`)).to.deep.equal([fourStar, expired]);
    });

    it('when listed, then each product carries its current certification with derived status and mark permission', async () => {
      const res = await request(app).get(`/api/v1/products?producer=${ownProducer}`).expect(200);
      const byId = new Map(res.body.items.map((i: { id: string }) => [i.id, i]));
      const current = (id: string) => (byId.get(id) as { currentCertification: Record<string, unknown> | null }).currentCertification;
      expect(current(fourStar)).to.include({ stars: 4, status: 'active', mayUseMark: true });
      expect(current(expired)).to.include({ stars: 4, status: 'expired', mayUseMark: false });
      expect(current(revokedOnly)).to.equal(null);
      expect(res.body.page.total).to.equal(6);
    });

    it('when a filter value is bad, then 400', async () => {
      for (const q of ['stars=6', 'status=revoked', 'group=pottery', 'producer=NOPE']) {
        await request(app).get(`/api/v1/products?${q}`).expect(400);
      }
      const res = await request(app).get('/api/v1/products?gtin=8930000000010').expect(400);
      expect(res.body.error.code).to.equal('product/invalid_gtin');
    });
  });
});
