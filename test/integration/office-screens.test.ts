import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildTestApp, apiKeyFor } from '../support/app.js';
import { buildCertification, buildProducer, buildProduct, buildUser, formToken, logIn, monthsAgo, scoreFor, uniqueDecisionNumber, uniqueGtin13, type Browser } from '../support/kit.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { listAudit, recordAudit } from '../../src/audit/audit.service.js';
import { findProducer } from '../../src/registry/producers/producer.service.js';
import { findProduct, listProducts } from '../../src/registry/products/product.service.js';
import { findCertification } from '../../src/registry/certifications/certification.reads.js';
import { listCertifications } from '../../src/registry/certifications/certification.service.js';
import { findApiKey } from '../../src/accounts/api-key.service.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { recordChange } from '../../src/changes/changes.service.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { testDatabase } from '../hooks.js';

/**
 * The programme office's registry screens (/office): an admin's browser does each
 * thing through the forms; producer and inspector sessions are refused on every route,
 * a form without its CSRF token is refused, and a bad form says what is wrong (in the
 * page's language) and writes nothing.
 */

/** Registration numbers are unique: a counter under the run's clock keeps two forms of one millisecond apart. */
let forms = 0;
const registrationNumber = () => `01${String(Date.now()).slice(-7)}${String((forms += 1) % 1000).padStart(3, '0')}`;

const producerForm = (overrides: Record<string, string> = {}) => ({
  name: `HTX Văn phòng ${randomUUID().slice(0, 6)}`,
  kind: 'cooperative',
  registrationNumber: registrationNumber(),
  provinceCode: '01',
  communeCode: '00577',
  street: 'Thôn Đông',
  legacyDistrict: 'Gia Lâm',
  contactPerson: 'Nguyễn Thị Hà',
  contactPhone: '0912 345 678',
  contactEmail: '',
  publicPhone: '',
  website: '',
  ...overrides,
});

describe('office screens: producers, products, certifications, keys and the audit log', function () {
  this.timeout(60_000);
  // Its own key folder, so rotating signing keys here never touches the key other tests sign with.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-office-'));
  const app = buildTestApp({ DATA_DIR: dataDir });
  let activeBefore: string[] = [];
  let admin: Awaited<ReturnType<typeof buildUser>>;
  let office: Browser;
  /** The same admin in a browser that chose English once (?lang=en sets the lang cookie). */
  let officeEn: Browser;

  before(async () => {
    activeBefore = (await SigningKeyModel.find({ status: 'active' }).lean()).map((k) => k._id);
    admin = await buildUser('admin');
    office = (await logIn(app, admin)).browser;
    officeEn = (await logIn(app, admin)).browser;
    await officeEn.get('/office?lang=en').expect(200);
  });

  after(async () => {
    // Give the rest of the suite back the keys it signs with: the rotations here retired them.
    await SigningKeyModel.updateMany({ _id: { $in: activeBefore }, status: 'retired' }, { $set: { status: 'active', retiredAt: null } });
    await SigningKeyModel.updateMany({ _id: { $nin: activeBefore }, status: 'active' }, { $set: { status: 'retired', retiredAt: new Date() } });
    await recordChange({ kind: 'key', id: '' }); // behind the service's back: every keyring reads statuses again
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const tokenOf = async (browser: Browser, page = '/office') => formToken((await browser.get(page).expect(200)).text);

  it('when an admin opens /office, then every office area is linked, the users page too; the account page links /office', async () => {
    const home = await office.get('/office').expect(200);
    for (const href of ['/office/producers', '/office/certifications', '/office/keys', '/office/users', '/office/api-keys', '/office/audit', '/office/decisions', '/office/reports', '/office/findings', '/office/flagged']) {
      expect(home.text, href).to.include(`href="${href}"`);
    }
    const account = await office.get('/account').expect(200);
    expect(account.text).to.include('href="/office"').and.not.include('href="/office/users"');
    const anonymous = await request(app).get('/office').set('Accept', 'text/html');
    expect(anonymous.status).to.equal(401);
    expect(anonymous.text).to.include('action="/login');
  });

  it('when an admin searches producers, then the list holds the matches, paged 20 to a page', async () => {
    const tag = `Tìm${randomUUID().slice(0, 6)}`;
    for (let i = 0; i < 21; i++) await buildProducer({ name: `HTX ${tag} số ${i}` });
    const first = await office.get(`/office/producers?q=${encodeURIComponent(tag)}`).expect(200);
    expect(first.text).to.include('21 chủ thể');
    expect((first.text.match(/href="\/office\/producers\/[0-9a-z]{10}"/g) ?? []).length).to.equal(20);
    expect(first.text).to.include('rel="next"');
    const second = await office.get(`/office/producers?q=${encodeURIComponent(tag)}&page=2`).expect(200);
    expect(second.text).to.include(`HTX ${tag} số 20`).and.include('rel="prev"');
  });

  it('when an admin registers a producer through the form, then it is stored, audited as the admin, and its page opens', async () => {
    const form = producerForm();
    const res = await office.post('/office/producers').type('form').send({ _csrf: await tokenOf(office, '/office/producers/new'), ...form }).expect(303);
    const id = /\/office\/producers\/([0-9a-z]{10})$/.exec(res.headers.location!)![1]!;
    const stored = await findProducer(id);
    expect(stored).to.include({ name: form.name, registrationNumber: form.registrationNumber });
    expect(stored!.contact?.phone).to.equal('0912345678');
    expect(await AuditModel.exists({ action: 'producer.create', targetId: id, userId: admin.id })).to.not.equal(null);
    const page = await office.get(`/office/producers/${id}`).expect(200);
    expect(page.text).to.include(form.name);
  });

  it('when the producer form is wrong, then each field says why (vi and en), with a 400, and nothing is stored', async () => {
    const form = producerForm({ contactPhone: '12345', communeCode: '26734', name: 'X' });
    const vi = await office.post('/office/producers').type('form').send({ _csrf: await tokenOf(office, '/office/producers/new'), ...form }).expect(400);
    expect(vi.text).to.include('Số điện thoại Việt Nam chưa đúng').and.include('Mã xã không có trong danh mục 2025 hoặc không thuộc tỉnh đã nhập.').and.include('Tên cần từ 2 đến 300 ký tự.');
    expect(vi.text).to.include('id="f-contactPhone-problem"').and.include(`value="${form.registrationNumber}"`);
    const en = await officeEn.post('/office/producers').type('form').send({ _csrf: await tokenOf(officeEn, '/office/producers/new'), ...form }).expect(400);
    expect(en.text).to.include('Not a Vietnamese phone number').and.include('The name needs 2 to 300 characters.');
    const taken = await buildProducer();
    const dup = await office.post('/office/producers').type('form').send({ _csrf: await tokenOf(office, '/office/producers/new'), ...producerForm({ registrationNumber: taken.registrationNumber }) }).expect(409);
    expect(dup.text).to.include('Số đăng ký này đã thuộc về một chủ thể khác.');
    expect(await AuditModel.countDocuments({ action: 'producer.create', 'details.registrationNumber': form.registrationNumber })).to.equal(0);
  });

  it('when an admin edits a producer, then the change is stored; a bad edit is refused with a 400 and changes nothing', async () => {
    const producer = await buildProducer();
    const page = await office.get(`/office/producers/${producer._id}`).expect(200);
    const form = { ...producerForm({ name: 'HTX Đổi Tên', registrationNumber: producer.registrationNumber }) };
    await office.post(`/office/producers/${producer._id}`).type('form').send({ _csrf: formToken(page.text), ...form }).expect(303);
    expect((await findProducer(producer._id))!.name).to.equal('HTX Đổi Tên');
    const bad = await office.post(`/office/producers/${producer._id}`).type('form').send({ _csrf: formToken(page.text), ...form, name: 'Tên mới', website: 'ftp://x' }).expect(400);
    expect(bad.text).to.include('Trang web cần bắt đầu bằng http://');
    expect((await findProducer(producer._id))!.name).to.equal('HTX Đổi Tên');
  });

  it('when an admin adds and edits a product of a producer, then it is stored; a bad GTIN is refused and nothing is stored', async () => {
    const producer = await buildProducer();
    const token = await tokenOf(office, `/office/producers/${producer._id}/products/new`);
    const gtin = uniqueGtin13();
    const made = await office.post(`/office/producers/${producer._id}/products`).type('form')
      .send({ _csrf: token, nameVi: 'Mật ong rừng', nameEn: 'Wild honey', group: 'food', gtin, description: '', standards: 'TCVN 5250:2015\nTCVN 12605:2019' }).expect(303);
    const id = /\/office\/products\/([0-9a-z]{10})$/.exec(made.headers.location!)![1]!;
    expect(await findProduct(id)).to.deep.include({ group: 'food', gtin: `0${gtin}`, standards: ['TCVN 5250:2015', 'TCVN 12605:2019'] });
    const listed = await office.get(`/office/producers/${producer._id}`).expect(200);
    expect(listed.text).to.include(`href="/office/products/${id}"`);

    const bad = await office.post(`/office/producers/${producer._id}/products`).type('form')
      .send({ _csrf: token, nameVi: 'Trà xanh', group: 'beverage', gtin: '8936045120018' }).expect(400);
    expect(bad.text).to.include('Mã GTIN không hợp lệ');
    const noGroup = await officeEn.post(`/office/producers/${producer._id}/products`).type('form').send({ _csrf: await tokenOf(officeEn, '/office/producers/new'), nameVi: 'Trà xanh', group: '' }).expect(400);
    expect(noGroup.text).to.include('Choose a group of the current list.');
    expect((await listProducts({ producer: producer._id, limit: 10, offset: 0 })).page.total).to.equal(1);

    await office.post(`/office/products/${id}`).type('form').send({ _csrf: token, nameVi: 'Mật ong rừng U Minh', nameEn: '', group: 'food', gtin, standards: '' }).expect(303);
    expect((await findProduct(id))!.name).to.deep.equal({ vi: 'Mật ong rừng U Minh', en: null });
  });

  it('when an admin records a certification, re-rates the product and revokes the new one with a reason, then each step is stored', async () => {
    const product = await buildProduct();
    const token = await tokenOf(office, `/office/products/${product._id}`);
    const first = uniqueDecisionNumber();
    await office.post(`/office/products/${product._id}/certifications`).type('form')
      .send({ _csrf: token, stars: '3', score: '60', decisionNumber: first, decisionDate: monthsAgo(6), authorityLevel: '', authorityName: '' }).expect(303);
    const [recorded] = (await listCertifications({ product: product._id, limit: 10, offset: 0 })).items;
    expect(recorded).to.include({ stars: 3, status: 'active' });

    await office.post(`/office/products/${product._id}/certifications`).type('form')
      .send({ _csrf: token, stars: '4', score: '75', decisionNumber: uniqueDecisionNumber(), decisionDate: monthsAgo(1) }).expect(303);
    const rerated = (await listCertifications({ product: product._id, limit: 10, offset: 0 })).items;
    expect(rerated.map((c) => [c.stars, c.status])).to.deep.equal([[4, 'active'], [3, 'superseded']]);

    const page = await office.get(`/office/certifications/${rerated[0]!._id}`).expect(200);
    expect(page.text).to.include('id="revoke-form"');
    await office.post(`/office/certifications/${rerated[0]!._id}/revoke`).type('form').send({ _csrf: formToken(page.text), reason: 'Sản phẩm không còn đạt tiêu chuẩn' }).expect(303);
    expect(await findCertification(rerated[0]!._id)).to.include({ status: 'revoked', statusReason: 'Sản phẩm không còn đạt tiêu chuẩn' });
    expect(await AuditModel.exists({ action: 'certification.revoke', targetId: rerated[0]!._id, userId: admin.id })).to.not.equal(null);
    const list = await office.get('/office/certifications?status=revoked').expect(200);
    expect(list.text).to.include(`href="/office/certifications/${rerated[0]!._id}"`);
  });

  it('when a certification form is wrong, then the product page says why with a 400 and nothing is recorded; a short reason revokes nothing', async () => {
    const product = await buildProduct();
    const token = await tokenOf(office, `/office/products/${product._id}`);
    const mismatch = await office.post(`/office/products/${product._id}/certifications`).type('form')
      .send({ _csrf: token, stars: '5', score: '60', decisionNumber: uniqueDecisionNumber(), decisionDate: monthsAgo(2) }).expect(400);
    expect(mismatch.text).to.include('Điểm 60 ứng với 3 sao, không phải 5 sao.');
    const malformed = await officeEn.post(`/office/products/${product._id}/certifications`).type('form')
      .send({ _csrf: await tokenOf(officeEn, '/office/producers/new'), stars: '3', score: 'sixty', decisionNumber: '12 QĐ', decisionDate: '2030-01-01' }).expect(400);
    expect(malformed.text).to.include('The score is a number from 0 to 100.').and.include('A decision number looks like 1234/QĐ-UBND.').and.include('The decision date is a day from 1 Jan 2018 to today.');
    expect((await listCertifications({ product: product._id, limit: 10, offset: 0 })).page.total).to.equal(0);

    const cert = await buildCertification({ productId: product._id, stars: 3, score: scoreFor(3) });
    const short = await office.post(`/office/certifications/${cert._id}/revoke`).type('form').send({ _csrf: token, reason: 'sai' }).expect(400);
    expect(short.text).to.include('Hãy ghi lý do, ít nhất 5 ký tự.');
    expect((await findCertification(cert._id))!.status).to.equal('active');
  });

  it('when an admin rotates the signing key and revokes a retired one with a reason, then the keys read so; a missing reason revokes nothing', async () => {
    const token = await tokenOf(office, '/office/keys');
    const firstRotation = await office.post('/office/keys/rotate').type('form').send({ _csrf: token }).expect(303);
    const retiring = decodeURIComponent(/rotated=([^&]+)/.exec(firstRotation.headers.location!)![1]!);
    await office.post('/office/keys/rotate').type('form').send({ _csrf: token }).expect(303);
    expect((await SigningKeyModel.findById(retiring).lean())!.status).to.equal('retired');
    const shortKid = (await SigningKeyModel.findById(retiring).lean())!.shortKid;
    const missing = await office.post(`/office/keys/${shortKid}/revoke`).type('form').send({ _csrf: token, reason: '' }).expect(400);
    expect(missing.text).to.include('Hãy ghi lý do thu hồi khóa');
    expect((await SigningKeyModel.findById(retiring).lean())!.status).to.equal('retired');
    await office.post(`/office/keys/${shortKid}/revoke`).type('form').send({ _csrf: token, reason: 'thử thu hồi khóa' }).expect(303);
    expect((await SigningKeyModel.findById(retiring).lean())!).to.include({ status: 'revoked', revokedReason: 'thử thu hồi khóa' });
    const again = await office.post(`/office/keys/${shortKid}/revoke`).type('form').send({ _csrf: token, reason: 'lần nữa' }).expect(409);
    expect(again.text).to.include('Khóa này đã bị thu hồi trước đó.');
  });

  it("when an admin revokes a machine's API key on the list, then the key stops working", async () => {
    const key = await apiKeyFor('inspector');
    const id = key.split('_')[1]!;
    const list = await office.get('/office/api-keys').expect(200);
    expect(list.text).to.include(`ok_${id}_`);
    await office.post(`/office/api-keys/${id}/revoke`).type('form').send({ _csrf: formToken(list.text) }).expect(303);
    expect((await findApiKey(id))!.revokedAt).to.be.a('string');
    await request(app).get('/api/v1/me').set('Authorization', `Bearer ${key}`).expect(401);
    const again = await office.post(`/office/api-keys/${id}/revoke`).type('form').send({ _csrf: formToken(list.text) }).expect(409);
    expect(again.text).to.include('Khóa này đã bị thu hồi trước đó.');
  });

  it('when an admin filters the audit log by who, action, record and days, then only those lines show, newest first and paged', async () => {
    const producer = await buildProducer();
    const page = await office.get(`/office/producers/${producer._id}`).expect(200);
    await office.post(`/office/producers/${producer._id}`).type('form').send({ _csrf: formToken(page.text), ...producerForm({ registrationNumber: producer.registrationNumber }) }).expect(303);
    const byRecord = await office.get(`/office/audit?record=${producer._id}`).expect(200);
    expect(byRecord.text).to.include('producer.update').and.include('producer.create');
    const byAction = await office.get(`/office/audit?record=${producer._id}&action=producer.update&who=${admin.id}&by=user`).expect(200);
    expect(byAction.text).to.include('producer.update').and.not.include('<code>producer.create</code>');
    const bySystem = await office.get(`/office/audit?record=${producer._id}&who=system&by=key`).expect(200);
    expect(bySystem.text).to.include('<code>producer.create</code>').and.not.include('<code>producer.update</code>');
    const future = await office.get(`/office/audit?record=${producer._id}&from=2099-01-01`).expect(200);
    expect(future.text).to.include('Không có dòng nào khớp.');
    const bad = await officeEn.get('/office/audit?from=yesterday&to=2020-01-01').expect(400);
    expect(bad.text).to.include('The start date is not a date.');
    const backwards = await office.get('/office/audit?from=2025-02-01&to=2025-01-01').expect(400);
    expect(backwards.text).to.include('Ngày bắt đầu cần trước ngày kết thúc.');

    const record = `probe${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 21; i++) await recordAudit(systemPrincipal, 'office.probe', { type: 'probe', id: record }, { i });
    const first = await office.get(`/office/audit?record=${record}`).expect(200);
    expect(first.text).to.include('{&quot;i&quot;:20}').and.include('rel="next"').and.not.include('{&quot;i&quot;:0}');
    const second = await office.get(`/office/audit?record=${record}&page=2`).expect(200);
    expect(second.text).to.include('{&quot;i&quot;:0}').and.not.include('rel="next"');
    expect((await listAudit({ targetId: record }, { limit: 20, offset: 0 })).hasMore).to.equal(true);
  });

  it('when the audit log is filtered on one field, then the database answers from an index', async () => {
    // Enough lines that PostgreSQL prefers an index to reading the table (as database-indexes.test.ts).
    await AuditModel.insertMany(Array.from({ length: 3000 }, (_, i) => ({ actor: 'system', role: 'admin', action: `index.probe_${i % 300}`, targetType: 'probe', targetId: `probe${i}`, provinces: [`p${i % 300}`] })));
    await testDatabase().ensureIndexes();
    const planOf = async (filter: Record<string, unknown>) =>
      JSON.stringify(((await mongoose.connection.db!.command({ explain: { find: 'audit_log', filter }, verbosity: 'queryPlanner' })) as { queryPlanner: unknown }).queryPlanner);
    expect(await planOf({ action: 'index.probe_17' })).to.match(/Index Scan/);
    // A provincial office's reader: its one province, by equality on the entries' provinces.
    expect(await planOf({ provinces: 'p17' })).to.match(/Index Scan/);
  });

  describe('refusals', () => {
    let routes: Array<{ method: 'GET' | 'POST'; url: string }>;
    before(async () => {
      const cert = await buildCertification();
      const key = (await apiKeyFor('inspector')).split('_')[1]!;
      const keyList = await office.get('/office/keys').expect(200);
      const kid = /action="\/office\/keys\/([^/]+)\/revoke"/.exec(keyList.text)?.[1] ?? 'AAAAAAAA';
      routes = [
        { method: 'GET', url: '/office' },
        { method: 'GET', url: '/office/producers' },
        { method: 'GET', url: '/office/producers/new' },
        { method: 'POST', url: '/office/producers' },
        { method: 'GET', url: `/office/producers/${cert.producerId}` },
        { method: 'POST', url: `/office/producers/${cert.producerId}` },
        { method: 'GET', url: `/office/producers/${cert.producerId}/products/new` },
        { method: 'POST', url: `/office/producers/${cert.producerId}/products` },
        { method: 'GET', url: `/office/products/${cert.productId}` },
        { method: 'POST', url: `/office/products/${cert.productId}` },
        { method: 'POST', url: `/office/products/${cert.productId}/certifications` },
        { method: 'GET', url: '/office/certifications' },
        { method: 'GET', url: `/office/certifications/${cert._id}` },
        { method: 'POST', url: `/office/certifications/${cert._id}/revoke` },
        { method: 'GET', url: '/office/keys' },
        { method: 'POST', url: '/office/keys/rotate' },
        { method: 'POST', url: `/office/keys/${kid}/revoke` },
        { method: 'GET', url: '/office/api-keys' },
        { method: 'POST', url: `/office/api-keys/${key}/revoke` },
        { method: 'GET', url: '/office/audit' },
      ];
    });

    for (const role of ['producer', 'inspector'] as const) {
      it(`when a ${role} session opens or posts to any office route, then 403 and nothing changes`, async () => {
        const producer = await buildProducer();
        const user = await buildUser(role, role === 'producer' ? { producerId: producer._id } : {});
        const { browser } = await logIn(app, user);
        const token = await tokenOf(browser, '/account');
        const auditBefore = await AuditModel.countDocuments({ userId: user.id });
        for (const r of routes) {
          const res = r.method === 'GET'
            ? await browser.get(r.url).set('Accept', 'application/json')
            : await browser.post(r.url).set('Accept', 'application/json').type('form').send({ _csrf: token, ...producerForm(), reason: 'một lý do đủ dài' });
          expect([r.url, res.status, res.body.error?.code]).to.deep.equal([r.url, 403, 'auth/forbidden']);
        }
        expect(await AuditModel.countDocuments({ userId: user.id })).to.equal(auditBefore);
      });
    }

    it('when an admin form is posted without its CSRF token, then 403 auth/csrf and nothing is written', async () => {
      const auditBefore = await AuditModel.countDocuments({ userId: admin.id });
      for (const r of routes.filter((x) => x.method === 'POST')) {
        const res = await office.post(r.url).set('Accept', 'application/json').type('form').send({ ...producerForm(), reason: 'một lý do đủ dài' });
        expect([r.url, res.status, res.body.error?.code]).to.deep.equal([r.url, 403, 'auth/csrf']);
      }
      expect(await AuditModel.countDocuments({ userId: admin.id })).to.equal(auditBefore);
    });
  });
});
