import { expect } from 'chai';
import request from 'supertest';
import { randomInt } from 'node:crypto';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildProducer } from '../support/kit.js';
import { ProducerModel } from '../../src/registry/producers/producer.model.js';
import { AuditModel } from '../../src/audit/audit.model.js';

const regNo = () => `0${randomInt(100_000_000, 999_999_999)}`;

function producerBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `HTX Gốm sứ ${randomInt(1e6)}`,
    kind: 'cooperative',
    registrationNumber: regNo(),
    address: { provinceCode: 1, communeCode: '577', legacyDistrict: 'Gia Lâm', street: 'Thôn 3' },
    contact: { person: 'Lê Thị Hoa', phone: '0912 345 678', email: 'Gom@Example.vn' },
    ...overrides,
  };
}

describe('registry: producers', () => {
  const app = buildTestApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  describe('creating', () => {
    it('when an admin registers a producer, then codes are padded, contact normalised and an audit entry written', async () => {
      const body = producerBody();
      const res = await request(app).post('/api/v1/producers').set(bearer(admin)).send(body).expect(201);
      expect(res.headers.location).to.equal(`/api/v1/producers/${res.body.id}`);
      expect(res.body.address).to.deep.include({ provinceCode: '01', provinceName: 'Thành phố Hà Nội', communeCode: '00577', communeName: 'Xã Bát Tràng', legacyDistrict: 'Gia Lâm' });
      expect(res.body.contact).to.deep.equal({ person: 'Lê Thị Hoa', phone: '0912345678', email: 'gom@example.vn' });
      expect(res.body.createdAt).to.match(/^\d{4}-\d\d-\d\dT/);
      expect(res.body).not.to.have.property('_id');
      expect(res.body).not.to.have.property('searchName');
      const audit = await AuditModel.findOne({ targetType: 'producer', targetId: res.body.id }).lean();
      expect(audit?.action).to.equal('producer.create');
    });

    it('when the registration number is already taken, then 409 producer/duplicate_registration and no second record', async () => {
      const first = await buildProducer();
      const res = await request(app)
        .post('/api/v1/producers')
        .set(bearer(admin))
        .send(producerBody({ registrationNumber: ` ${first.registrationNumber.slice(0, 4)} ${first.registrationNumber.slice(4)} ` }))
        .expect(409);
      expect(res.body.error.code).to.equal('producer/duplicate_registration');
      expect(res.body.error.details.existingProducerId).to.equal(first._id);
      expect(await ProducerModel.countDocuments({ registrationNumber: first.registrationNumber })).to.equal(1);
    });

    it('when two admins register the same number at the same moment, then exactly one succeeds and the other gets 409', async () => {
      const body = producerBody();
      const results = await Promise.all([1, 2, 3].map(() => request(app).post('/api/v1/producers').set(bearer(admin)).send(body)));
      expect(results.map((r) => r.status).sort()).to.deep.equal([201, 409, 409]);
      expect(await ProducerModel.countDocuments({ registrationNumber: body.registrationNumber })).to.equal(1);
    });

    it('when the commune is not in the province, then 400 names the commune and nothing is stored', async () => {
      const body = producerBody({ address: { provinceCode: '19', communeCode: '00577' } });
      const res = await request(app).post('/api/v1/producers').set(bearer(admin)).send(body).expect(400);
      expect(res.body.error.code).to.equal('request/invalid');
      expect(res.body.error.details.problems).to.deep.include({
        path: 'address.communeCode',
        message: 'Xã Bát Tràng (00577) lies in Thành phố Hà Nội, not in Tỉnh Thái Nguyên',
      });
      expect(await ProducerModel.countDocuments({ registrationNumber: body.registrationNumber })).to.equal(0);
    });

    it('when several fields are wrong, then 400 lists every problem by path and nothing is stored', async () => {
      const body = producerBody({
        name: '',
        kind: 'farm',
        address: { provinceCode: '999', communeCode: 'x' },
        contact: { phone: '123', email: 'not-an-email' },
      });
      const res = await request(app).post('/api/v1/producers').set(bearer(admin)).send(body).expect(400);
      const paths = (res.body.error.details.problems as { path: string }[]).map((p) => p.path);
      expect(paths).to.include.members(['name', 'kind', 'address.provinceCode', 'address.communeCode', 'contact.phone', 'contact.email']);
      expect(await ProducerModel.countDocuments({ registrationNumber: body.registrationNumber })).to.equal(0);
      expect(await AuditModel.countDocuments({ action: 'producer.create', 'details.registrationNumber': body.registrationNumber })).to.equal(0);
    });

    it('when the province does not exist since 2025, then 400 on the province code', async () => {
      const res = await request(app)
        .post('/api/v1/producers')
        .set(bearer(admin))
        .send(producerBody({ address: { provinceCode: '02', communeCode: '00577' } }))
        .expect(400);
      expect(res.body.error.details.problems[0].path).to.equal('address.provinceCode');
    });

    it('when an unknown field is sent, then 400 instead of silently dropping it', async () => {
      const res = await request(app).post('/api/v1/producers').set(bearer(admin)).send(producerBody({ rating: 5 })).expect(400);
      expect(res.body.error.message).to.contain('rating');
    });
  });

  describe('auth and request errors', () => {
    it('when no key is sent, then 401 and nothing is stored', async () => {
      const body = producerBody();
      const res = await request(app).post('/api/v1/producers').send(body).expect(401);
      expect(res.body.error.code).to.equal('auth/unauthorized');
      expect(await ProducerModel.countDocuments({ registrationNumber: body.registrationNumber })).to.equal(0);
    });

    it('when a wrong key is sent, then 401', async () => {
      const res = await request(app)
        .post('/api/v1/producers')
        .set(bearer(`ok_AAAAAAAAAAAA_${'b'.repeat(40)}`))
        .send(producerBody())
        .expect(401);
      expect(res.body.error.code).to.equal('auth/unauthorized');
    });

    it('when a wrong key is sent to a public read, then 401 rather than the anonymous view', async () => {
      await request(app).get('/api/v1/producers').set(bearer('ok_nonsense')).expect(401);
    });

    it('when a producer or inspector key writes to the registry, then 403 and nothing is stored', async () => {
      const own = await buildProducer();
      for (const key of [await apiKeyFor('producer', own._id), await apiKeyFor('inspector')]) {
        const body = producerBody();
        const res = await request(app).post('/api/v1/producers').set(bearer(key)).send(body).expect(403);
        expect(res.body.error.code).to.equal('auth/forbidden');
        expect(await ProducerModel.countDocuments({ registrationNumber: body.registrationNumber })).to.equal(0);
      }
      await request(app).patch(`/api/v1/producers/${own._id}`).set(bearer(await apiKeyFor('producer', own._id))).send({ name: 'Tên mới' }).expect(403);
    });

    it('when the body is not valid JSON, then 400 request/malformed_json', async () => {
      const res = await request(app)
        .post('/api/v1/producers')
        .set(bearer(admin))
        .set('Content-Type', 'application/json')
        .send('{"name": "HTX", ')
        .expect(400);
      expect(res.body.error.code).to.equal('request/malformed_json');
    });

    it('when the body is larger than the limit, then 413 and nothing is stored', async () => {
      const small = buildTestApp({ BODY_LIMIT: '2kb' });
      const body = producerBody({ name: 'HTX ' + 'x'.repeat(4000) });
      const res = await request(small).post('/api/v1/producers').set(bearer(admin)).send(body).expect(413);
      expect(res.body.error.code).to.equal('request/too_large');
      expect(await ProducerModel.countDocuments({ registrationNumber: body.registrationNumber })).to.equal(0);
    });
  });

  describe('reading', () => {
    it('when a producer does not exist, then 404 producer/not_found', async () => {
      const res = await request(app).get('/api/v1/producers/zzzzzzzzzz').expect(404);
      expect(res.body.error.code).to.equal('producer/not_found');
      await request(app).get('/api/v1/producers/NOT-AN-ID').expect(404);
    });

    it("when anyone reads a household, then its contact and street are hidden; admins and its own key see them", async () => {
      const household = await buildProducer({ kind: 'household', address: { provinceCode: '01', communeCode: '00640', street: 'Số 5 ngõ 12' } });
      const anon = await request(app).get(`/api/v1/producers/${household._id}`).expect(200);
      expect(anon.body).not.to.have.property('contact');
      expect(anon.body.address).not.to.have.property('street');
      expect(anon.body.address.communeName).to.equal('Xã Thanh Trì');
      const asAdmin = await request(app).get(`/api/v1/producers/${household._id}`).set(bearer(admin)).expect(200);
      expect(asAdmin.body.contact.phone).to.equal(household.contact?.phone);
      expect(asAdmin.body.address.street).to.equal('Số 5 ngõ 12');
      const own = await request(app).get(`/api/v1/producers/${household._id}`).set(bearer(await apiKeyFor('producer', household._id))).expect(200);
      expect(own.body.contact.email).to.equal(household.contact?.email);
      const other = await request(app).get(`/api/v1/producers/${household._id}`).set(bearer(await apiKeyFor('inspector'))).expect(200);
      expect(other.body).not.to.have.property('contact');
      const list = await request(app).get(`/api/v1/producers?q=${encodeURIComponent(household.name)}`).expect(200);
      expect(list.body.items[0]).not.to.have.property('contact');
    });

    it("when anyone reads a cooperative, then its business contact is public", async () => {
      const coop = await buildProducer();
      const res = await request(app).get(`/api/v1/producers/${coop._id}`).expect(200);
      expect(res.body.contact.phone).to.equal(coop.contact?.phone);
    });
  });

  describe('listing', () => {
    const marker = `Lọc${randomInt(1e6)}`;
    let hanoi: string[];
    let thaiNguyen: string;
    before(async () => {
      hanoi = [];
      for (const kind of ['cooperative', 'enterprise', 'household']) {
        hanoi.push((await buildProducer({ name: `HTX ${marker} Hà Nội ${kind}`, kind }))._id);
      }
      thaiNguyen = (await buildProducer({ name: `HTX Chè ${marker} Tân Cương`, address: { provinceCode: '19', communeCode: '05503' } }))._id;
    });

    it('when filtered by province, then only producers there are listed', async () => {
      const res = await request(app).get(`/api/v1/producers?province=19&q=${encodeURIComponent(marker)}`).expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).to.deep.equal([thaiNguyen]);
      expect(res.body.page.total).to.equal(1);
    });

    it('when filtered by kind, then only that kind is listed', async () => {
      const res = await request(app).get(`/api/v1/producers?kind=enterprise&q=${encodeURIComponent(marker)}`).expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).to.deep.equal([hanoi[1]]);
    });

    it('when searching without diacritics, then names with them are found', async () => {
      const res = await request(app).get(`/api/v1/producers?q=${encodeURIComponent(`${marker} tan cuong`.toLowerCase().replace('ọ', 'o'))}`).expect(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).to.deep.equal([thaiNguyen]);
    });

    it('when paging through, then pages are stable, oldest first, and page and offset agree', async () => {
      const q = `q=${encodeURIComponent(marker)}`;
      const all = await request(app).get(`/api/v1/producers?${q}`).expect(200);
      expect(all.body.items.map((p: { id: string }) => p.id)).to.deep.equal([...hanoi, thaiNguyen]);
      const p2 = await request(app).get(`/api/v1/producers?${q}&limit=2&page=2`).expect(200);
      const o2 = await request(app).get(`/api/v1/producers?${q}&limit=2&offset=2`).expect(200);
      expect(p2.body.items.map((p: { id: string }) => p.id)).to.deep.equal([hanoi[2], thaiNguyen]);
      expect(o2.body.items).to.deep.equal(p2.body.items);
      expect(p2.body.page).to.deep.equal({ limit: 2, offset: 2, total: 4 });
    });

    it('when the paging is out of bounds or a filter is unknown, then 400', async () => {
      for (const q of ['limit=101', 'limit=0', 'page=0', 'offset=-1', 'offset=2&page=2', 'province=abc', 'kind=farm', 'colour=red']) {
        const res = await request(app).get(`/api/v1/producers?${q}`).expect(400);
        expect(res.body.error.code, q).to.equal('request/invalid');
      }
    });
  });

  describe('updating', () => {
    it('when an admin patches contact and address, then contact merges, the address is checked and an audit entry is written', async () => {
      const p = await buildProducer();
      const res = await request(app)
        .patch(`/api/v1/producers/${p._id}`)
        .set(bearer(admin))
        .send({ contact: { phone: '+84 24 3825 1234' }, address: { provinceCode: '01', communeCode: 10015, legacyDistrict: 'Chương Mỹ' } })
        .expect(200);
      expect(res.body.contact).to.deep.equal({ person: p.contact?.person, phone: '02438251234', email: p.contact?.email });
      expect(res.body.address).to.deep.include({ communeCode: '10015', communeName: 'Phường Chương Mỹ', legacyDistrict: 'Chương Mỹ' });
      const audit = await AuditModel.findOne({ targetId: p._id, action: 'producer.update' }).lean();
      expect(audit?.details).to.deep.equal({ fields: ['address', 'contact'] });
    });

    it('when a patch moves the commune out of its province, then 400 and the stored address is unchanged', async () => {
      const p = await buildProducer();
      await request(app).patch(`/api/v1/producers/${p._id}`).set(bearer(admin)).send({ address: { provinceCode: '01', communeCode: '05503' } }).expect(400);
      const stored = await ProducerModel.findById(p._id).lean();
      expect(stored?.address?.communeCode).to.equal('00577');
    });

    it("when a patch takes another producer's registration number, then 409 and nothing changes", async () => {
      const [a, b] = [await buildProducer(), await buildProducer()];
      const res = await request(app).patch(`/api/v1/producers/${b._id}`).set(bearer(admin)).send({ registrationNumber: a.registrationNumber }).expect(409);
      expect(res.body.error.code).to.equal('producer/duplicate_registration');
      expect((await ProducerModel.findById(b._id).lean())?.registrationNumber).to.equal(b.registrationNumber);
    });

    it('when a patch is empty or the producer does not exist, then 400 or 404', async () => {
      const p = await buildProducer();
      await request(app).patch(`/api/v1/producers/${p._id}`).set(bearer(admin)).send({}).expect(400);
      const res = await request(app).patch('/api/v1/producers/zzzzzzzzzz').set(bearer(admin)).send({ name: 'Tên mới' }).expect(404);
      expect(res.body.error.code).to.equal('producer/not_found');
    });

    it('when the name changes, then searching finds the new name', async () => {
      const p = await buildProducer();
      const newName = `HTX Đổi Tên ${randomInt(1e6)}`;
      await request(app).patch(`/api/v1/producers/${p._id}`).set(bearer(admin)).send({ name: newName }).expect(200);
      const res = await request(app).get(`/api/v1/producers?q=${encodeURIComponent(newName.toLowerCase().replace('đổi', 'doi').replace('tên', 'ten'))}`).expect(200);
      expect(res.body.items.map((x: { id: string }) => x.id)).to.deep.equal([p._id]);
    });
  });
});
