import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildCertification, buildProducer, buildProduct, monthsAgo, uniqueDecisionNumber as decisionNo } from '../support/kit.js';
import { CertificationModel } from '../../src/registry/certifications/certification.model.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { currentCertificationFor, currentCertificationsFor } from '../../src/registry/certifications/certification.reads.js';
import { todayInVietnam } from '../../src/registry/certifications/certification-rules.js';
import { newId } from '../../src/ids.js';

describe('registry: certifications', () => {
  const app = buildTestApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  const certify = (productId: string, body: Record<string, unknown>) =>
    request(app).post(`/api/v1/products/${productId}/certifications`).set(bearer(admin)).send(body);
  const stored = (productId: string) => CertificationModel.countDocuments({ productId });

  describe('recording a decision', () => {
    it('when a 4★ decision is recorded, then validity is computed, the province authority filled in and an audit written', async () => {
      const product = await buildProduct();
      const res = await certify(product._id, { stars: 4, score: 78, decisionNumber: '4521/qd-ubnd', decisionDate: '2024-02-29' }).expect(201);
      expect(res.body).to.include({
        stars: 4,
        score: 78,
        decisionNumber: '4521/QĐ-UBND',
        decisionDate: '2024-02-29',
        validUntil: '2027-02-28T23:59:59.999Z',
        productId: product._id,
        producerId: product.producerId,
      });
      expect(res.body.authority).to.deep.equal({ level: 'province', name: 'Ủy ban nhân dân Thành phố Hà Nội' });
      expect(res.body.status).to.equal(new Date() > new Date('2027-02-28T23:59:59.999Z') ? 'expired' : 'active');
      expect(await AuditModel.countDocuments({ targetId: res.body.id, action: 'certification.create' })).to.equal(1);
    });

    it('when a 5★ decision is recorded, then the ministry is the authority; a province 5★ is refused', async () => {
      const product = await buildProduct();
      const ok = await certify(product._id, { stars: 5, score: 92, decisionNumber: '1562/QĐ-BNN-VPĐP', decisionDate: '2024-03-20' }).expect(201);
      expect(ok.body.authority).to.deep.equal({ level: 'ministry', name: 'Bộ Nông nghiệp và Phát triển nông thôn' });
      const other = await buildProduct();
      const bad = await certify(other._id, { stars: 5, score: 95, decisionNumber: decisionNo(), decisionDate: monthsAgo(2), authority: { level: 'province' } }).expect(400);
      expect(bad.body.error.code).to.equal('certification/authority_mismatch');
      expect(await stored(other._id)).to.equal(0);
    });

    it('when a 3–4★ decision names a district, then 400; a 2★ district decision is accepted with its name', async () => {
      const product = await buildProduct();
      const bad = await certify(product._id, { stars: 3, score: 55, decisionNumber: decisionNo(), decisionDate: monthsAgo(2), authority: { level: 'district', name: 'UBND huyện Gia Lâm' } }).expect(400);
      expect(bad.body.error.code).to.equal('certification/authority_mismatch');
      const noName = await certify(product._id, { stars: 2, score: 40, decisionNumber: decisionNo(), decisionDate: '2023-05-02', authority: { level: 'district' } }).expect(400);
      expect(noName.body.error.code).to.equal('certification/authority_name_required');
      expect(await stored(product._id)).to.equal(0);
      const ok = await certify(product._id, { stars: 2, score: 40, decisionNumber: decisionNo(), decisionDate: '2023-05-02', authority: { level: 'district', name: 'UBND huyện Gia Lâm' } }).expect(201);
      expect(ok.body).to.include({ mayUseMark: false });
    });

    it('when the stars do not match the score band, then 400 certification/score_mismatch with the band and nothing stored', async () => {
      const product = await buildProduct();
      const cases: [number, number][] = [[3, 70], [4, 69], [5, 89], [1, 30], [2, 50]];
      for (const [stars, score] of cases) {
        const res = await certify(product._id, { stars, score, decisionNumber: decisionNo(), decisionDate: monthsAgo(1) }).expect(400);
        expect(res.body.error.code, `${stars}★ ${score}`).to.equal('certification/score_mismatch');
      }
      const res = await certify(product._id, { stars: 3, score: 75, decisionNumber: decisionNo(), decisionDate: monthsAgo(1) }).expect(400);
      expect(res.body.error.message).to.equal('A score of 75 earns 4★; 3★ needs a score from 50 to 69.');
      expect(await stored(product._id)).to.equal(0);
    });

    it('when the decision number is garbage, then 400 on decisionNumber', async () => {
      const product = await buildProduct();
      for (const decisionNumber of ['QĐ-UBND', '1234', 'abc/QĐ-UBND', '1234/XYZ-UBND']) {
        const res = await certify(product._id, { stars: 4, score: 75, decisionNumber, decisionDate: monthsAgo(1) }).expect(400);
        expect(res.body.error.details.problems[0].path, decisionNumber).to.equal('decisionNumber');
      }
      expect(await stored(product._id)).to.equal(0);
    });

    it('when the decision date is in the future, before 2018 or not a date, then 400 on decisionDate', async () => {
      const product = await buildProduct();
      const tomorrow = new Date(Date.parse(`${todayInVietnam()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      for (const decisionDate of [tomorrow, '2017-12-31', '2024-02-30', '10/05/2024']) {
        const res = await certify(product._id, { stars: 4, score: 75, decisionNumber: decisionNo(), decisionDate }).expect(400);
        expect(res.body.error.details.problems[0].path, decisionDate).to.equal('decisionDate');
      }
      await certify(product._id, { stars: 4, score: 75, decisionNumber: decisionNo(), decisionDate: todayInVietnam() }).expect(201);
    });

    it('when the client sends validUntil or a status, then 400 explaining that they are not accepted', async () => {
      const product = await buildProduct();
      const res = await certify(product._id, { stars: 4, score: 75, decisionNumber: decisionNo(), decisionDate: monthsAgo(1), validUntil: '2099-01-01', status: 'active' }).expect(400);
      const problems = res.body.error.details.problems as { path: string; message: string }[];
      expect(problems.find((p) => p.path === 'validUntil')?.message).to.contain('computed');
      expect(problems.map((p) => p.path)).to.include('status');
      expect(await stored(product._id)).to.equal(0);
    });

    it('when the same decision is recorded twice for a product, then 409 certification/duplicate_decision', async () => {
      const product = await buildProduct();
      const b = { stars: 4, score: 75, decisionNumber: decisionNo(), decisionDate: monthsAgo(1) };
      await certify(product._id, b).expect(201);
      const res = await certify(product._id, { ...b, decisionNumber: b.decisionNumber.replace('Đ', 'D') }).expect(409);
      expect(res.body.error.code).to.equal('certification/duplicate_decision');
      expect(await stored(product._id)).to.equal(1);
    });

    it('when the product does not exist, then 404; without an admin key, then 401 or 403', async () => {
      const b = { stars: 4, score: 75, decisionNumber: decisionNo(), decisionDate: monthsAgo(1) };
      const res = await certify(newId(), b).expect(404);
      expect(res.body.error.code).to.equal('product/not_found');
      const product = await buildProduct();
      await request(app).post(`/api/v1/products/${product._id}/certifications`).send(b).expect(401);
      await request(app).post(`/api/v1/products/${product._id}/certifications`).set(bearer(await apiKeyFor('inspector'))).send(b).expect(403);
      expect(await stored(product._id)).to.equal(0);
    });
  });

  describe('re-rating and history', () => {
    it('when a product is re-rated, then the previous certification is superseded and the new one is current', async () => {
      const product = await buildProduct();
      const old = await buildCertification({ productId: product._id, stars: 3, decisionDate: monthsAgo(20) });
      const res = await certify(product._id, { stars: 4, score: 74, decisionNumber: decisionNo(), decisionDate: monthsAgo(2) }).expect(201);
      const before = await request(app).get(`/api/v1/certifications/${old._id}`).expect(200);
      expect(before.body).to.include({ status: 'superseded', supersededBy: res.body.id, mayUseMark: false });
      const p = await request(app).get(`/api/v1/products/${product._id}`).expect(200);
      expect(p.body.currentCertification).to.include({ id: res.body.id, stars: 4, status: 'active' });
      expect(await AuditModel.countDocuments({ targetId: old._id, action: 'certification.supersede' })).to.equal(1);
    });

    it('when an older decision is recorded after a newer one, then it is stored as superseded history', async () => {
      const product = await buildProduct();
      const current = await buildCertification({ productId: product._id, stars: 4, decisionDate: monthsAgo(3) });
      const res = await certify(product._id, { stars: 3, score: 60, decisionNumber: decisionNo(), decisionDate: monthsAgo(30) }).expect(201);
      expect(res.body).to.include({ status: 'superseded', supersededBy: current._id });
      expect((await currentCertificationFor(product._id))?._id).to.equal(current._id);
    });

    it('when the superseding write has not happened yet, then readers still pick the latest decision as current', async () => {
      const product = await buildProduct();
      const older = await buildCertification({ productId: product._id, stars: 3, decisionDate: monthsAgo(20) });
      const newer = await buildCertification({ productId: product._id, stars: 4, decisionDate: monthsAgo(2) });
      // Simulate the window between the two writes: both stored as active.
      await CertificationModel.updateOne({ _id: older._id }, { $set: { status: 'active', supersededBy: null } });
      expect((await currentCertificationFor(product._id))?._id).to.equal(newer._id);
      const many = await currentCertificationsFor([product._id, newId()]);
      expect([...many.keys()]).to.deep.equal([product._id]);
    });
    it('when two decisions for a product are recorded at the same moment, then the later decision is current', async () => {
      const product = await buildProduct();
      const [older, newer] = await Promise.all([
        certify(product._id, { stars: 3, score: 60, decisionNumber: decisionNo(), decisionDate: monthsAgo(12) }).expect(201),
        certify(product._id, { stars: 4, score: 80, decisionNumber: decisionNo(), decisionDate: monthsAgo(1) }).expect(201),
      ]);
      expect((await currentCertificationFor(product._id))?._id).to.equal(newer.body.id);
      const p = await request(app).get(`/api/v1/products?producer=${product.producerId}&stars=3`).expect(200);
      expect(p.body.items).to.deep.equal([]);
      expect(older.body.id).not.to.equal(newer.body.id);
    });
  });

  describe('revoking', () => {
    it('when an admin revokes with a reason, then it reads revoked, the mark is withdrawn and an audit entry is written', async () => {
      const cert = await buildCertification({ stars: 4 });
      const res = await request(app).post(`/api/v1/certifications/${cert._id}/revoke`).set(bearer(admin)).send({ reason: 'Vi phạm tiêu chuẩn chất lượng' }).expect(200);
      expect(res.body).to.include({ status: 'revoked', mayUseMark: false, statusReason: 'Vi phạm tiêu chuẩn chất lượng' });
      const audit = await AuditModel.findOne({ targetId: cert._id, action: 'certification.revoke' }).lean();
      expect(audit?.details).to.deep.include({ reason: 'Vi phạm tiêu chuẩn chất lượng', previousStatus: 'active' });
      expect(await currentCertificationFor(cert.productId)).to.equal(null);
    });

    it('when it is revoked again, then 409 certification/already_revoked and no second audit entry', async () => {
      const cert = await buildCertification();
      await request(app).post(`/api/v1/certifications/${cert._id}/revoke`).set(bearer(admin)).send({ reason: 'Lần thứ nhất' }).expect(200);
      const res = await request(app).post(`/api/v1/certifications/${cert._id}/revoke`).set(bearer(admin)).send({ reason: 'Lần thứ hai' }).expect(409);
      expect(res.body.error.code).to.equal('certification/already_revoked');
      expect(await AuditModel.countDocuments({ targetId: cert._id, action: 'certification.revoke' })).to.equal(1);
      expect((await CertificationModel.findById(cert._id).lean())?.statusReason).to.equal('Lần thứ nhất');
    });

    it('when no reason is given, then 400 and the certification stays active', async () => {
      const cert = await buildCertification();
      const res = await request(app).post(`/api/v1/certifications/${cert._id}/revoke`).set(bearer(admin)).send({}).expect(400);
      expect(res.body.error.details.problems[0].path).to.equal('reason');
      await request(app).post(`/api/v1/certifications/${cert._id}/revoke`).set(bearer(admin)).send({ reason: '  ' }).expect(400);
      expect((await CertificationModel.findById(cert._id).lean())?.status).to.equal('active');
    });

    it('when the certification does not exist or the key is not an admin key, then 404 or 403', async () => {
      const res = await request(app).post(`/api/v1/certifications/${newId()}/revoke`).set(bearer(admin)).send({ reason: 'Không tồn tại' }).expect(404);
      expect(res.body.error.code).to.equal('certification/not_found');
      const cert = await buildCertification();
      await request(app).post(`/api/v1/certifications/${cert._id}/revoke`).set(bearer(await apiKeyFor('producer', cert.producerId))).send({ reason: 'Tự thu hồi' }).expect(403);
      await request(app).get(`/api/v1/certifications/${newId()}`).expect(404);
    });
  });

  describe('listing', () => {
    let producerId: string;
    const made: Record<string, string> = {};
    before(async () => {
      producerId = (await buildProducer({ address: { provinceCode: '33', communeCode: '11953' } }))._id;
      const product = async () => (await buildProduct({ producerId }))._id;
      made.active5 = (await buildCertification({ productId: await product(), stars: 5, decisionDate: monthsAgo(4) }))._id;
      made.active3 = (await buildCertification({ productId: await product(), stars: 3, decisionDate: monthsAgo(6) }))._id;
      made.expired = (await buildCertification({ productId: await product(), stars: 4, decisionDate: monthsAgo(37) }))._id;
      const rerated = await product();
      made.superseded = (await buildCertification({ productId: rerated, stars: 3, decisionDate: monthsAgo(25) }))._id;
      made.rerated = (await buildCertification({ productId: rerated, stars: 4, decisionDate: monthsAgo(1) }))._id;
      made.revoked = (await buildCertification({ productId: await product(), stars: 3, decisionDate: monthsAgo(8) }))._id;
      await request(app).post(`/api/v1/certifications/${made.revoked}/revoke`).set(bearer(admin)).send({ reason: 'Thu hồi để thử' }).expect(200);
    });

    const list = async (q: string) =>
      ((await request(app).get(`/api/v1/certifications?producer=${producerId}&${q}`).expect(200)).body.items as { id: string }[]).map((i) => i.id);

    it('when listed, then the newest decisions come first', async () => {
      expect(await list('')).to.deep.equal([made.rerated, made.active5, made.active3, made.revoked, made.superseded, made.expired]);
    });

    it('when filtered by derived status, then active, expired, revoked and superseded are told apart', async () => {
      expect(await list('status=active')).to.deep.equal([made.rerated, made.active5, made.active3]);
      expect(await list('status=expired')).to.deep.equal([made.expired]);
      expect(await list('status=revoked')).to.deep.equal([made.revoked]);
      expect(await list('status=superseded')).to.deep.equal([made.superseded]);
    });

    it('when filtered by stars, province or product, then only those are listed', async () => {
      expect(await list('stars=3')).to.deep.equal([made.active3, made.revoked, made.superseded]);
      expect(await list('stars=3&status=active')).to.deep.equal([made.active3]);
      expect(await list('province=33&stars=5')).to.deep.equal([made.active5]);
      expect(await list('province=01')).to.deep.equal([]);
      const cert = await CertificationModel.findById(made.rerated).lean();
      expect(await list(`product=${cert?.productId}`)).to.deep.equal([made.rerated, made.superseded]);
    });

    it('when listed, then each item has ISO dates, its derived status and mayUseMark', async () => {
      const res = await request(app).get(`/api/v1/certifications?producer=${producerId}&status=expired`).expect(200);
      const [item] = res.body.items;
      expect(item).to.include({ status: 'expired', mayUseMark: false, stars: 4 });
      expect(item.decisionDate).to.match(/^\d{4}-\d\d-\d\d$/);
      expect(item.validUntil).to.match(/T23:59:59\.999Z$/);
      expect(Object.keys(item)).to.have.members([
        'id', 'productId', 'producerId', 'stars', 'score', 'decisionNumber', 'authority', 'decisionDate', 'validUntil',
        'status', 'mayUseMark', 'statusChangedAt', 'statusReason', 'supersededBy', 'createdAt',
      ]);
      expect(res.body.page).to.deep.equal({ limit: 20, offset: 0, total: 1 });
    });

    it('when a filter value is bad, then 400', async () => {
      for (const q of ['status=gone', 'stars=0', 'province=1x']) await request(app).get(`/api/v1/certifications?${q}`).expect(400);
    });
  });
});
