import { expect } from 'chai';
import request from 'supertest';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { revokeCertification } from '../../src/registry/certifications/certification.service.js';
import { updateProducer } from '../../src/registry/producers/producer.service.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { bearer, buildTestApp } from '../support/app.js';
import { buildCertification, buildProducer, buildProduct, buildUser, logIn } from '../support/kit.js';

/** Hà Nội (01) and Hồ Chí Minh City (79). */
const HCM = { provinceCode: '79', communeCode: '25747' };

type Entry = { action: string; targetId: string; provinces: string[] };

describe('audit log: each entry carries the provinces of its record, and a provincial office reads its own', () => {
  const app = buildTestApp();
  let hanoi: string;
  let national: string;

  before(async () => {
    hanoi = (await createApiKey({ role: 'admin', label: 'Sở NN Hà Nội', province: '01' })).key;
    national = (await createApiKey({ role: 'admin', label: 'Văn phòng quốc gia' })).key;
  });

  const entries = async (key: string, query: Record<string, string>) =>
    (await request(app).get('/api/v1/audit').query(query).set(bearer(key)).expect(200)).body.items as Entry[];

  it('when producers of Hà Nội and Hồ Chí Minh City are written, then the Hà Nội admin reads the Hà Nội write and not the other; the national office reads both', async () => {
    const inHanoi = await buildProducer();
    const inHcm = await buildProducer({ address: HCM });
    expect((await entries(hanoi, { record: inHanoi._id })).map((e) => [e.action, e.provinces])).to.deep.equal([['producer.create', ['01']]]);
    expect(await entries(hanoi, { record: inHcm._id })).to.deep.equal([]);
    expect((await entries(national, { record: inHcm._id })).map((e) => [e.action, e.provinces])).to.deep.equal([['producer.create', ['79']]]);
    // Unfiltered, a provincial page holds its province's entries only.
    const page = await entries(hanoi, { limit: '100' });
    expect(page.length).to.be.greaterThan(0);
    expect(page.filter((e) => !e.provinces.includes('01'))).to.deep.equal([]);
    // Naming another province is refused, not answered with an empty page; the national office filters by it.
    const refused = await request(app).get('/api/v1/audit').query({ province: '79' }).set(bearer(hanoi)).expect(403);
    expect(refused.body.error.code).to.equal('auth/forbidden');
    const hcmOnly = await entries(national, { province: '79', limit: '100' });
    expect(hcmOnly.map((e) => e.targetId)).to.include(inHcm._id).and.not.include(inHanoi._id);
  });

  it("when products, certifications, users and keys are written, then each entry carries its producer's or account's province, and national ones none", async () => {
    const producer = await buildProducer({ address: HCM });
    const product = await buildProduct({ producerId: producer._id });
    const cert = await buildCertification({ productId: product._id });
    await revokeCertification(cert._id, 'quyết định bị hủy', systemPrincipal);
    const inspector = await buildUser('inspector', { provinces: ['01', '79'] });
    const producerUser = await buildUser('producer', { producerId: producer._id });
    const nationalUser = await buildUser('admin');
    const hanoiKey = await createApiKey({ role: 'admin', label: 'khóa Hà Nội', province: '01' });
    const seen = async (id: string) => (await entries(national, { record: id })).map((e) => [e.action, e.provinces]);
    expect(await seen(product._id)).to.deep.equal([['product.create', ['79']]]);
    expect(await seen(cert._id)).to.deep.equal([['certification.revoke', ['79']], ['certification.create', ['79']]]);
    expect(await seen(inspector.id)).to.deep.equal([['user.create', ['01', '79']]]);
    expect(await seen(producerUser.id)).to.deep.equal([['user.create', ['79']]]);
    expect(await seen(nationalUser.id)).to.deep.equal([['user.create', []]]);
    // A key made by createApiKey directly (the command line) is not audited; the office's are, with the key's province.
    expect(await seen(hanoiKey.principal.keyId)).to.deep.equal([]);
    const made = await request(app).post('/api/v1/api-keys').set(bearer(hanoi)).send({ role: 'inspector', label: 'Đội QLTT' }).expect(201);
    expect(await entries(hanoi, { record: made.body.id as string })).to.have.length(1);
    expect((await entries(hanoi, { record: inspector.id })).map((e) => e.action)).to.deep.equal(['user.create']);
    expect(await entries(hanoi, { record: nationalUser.id })).to.deep.equal([]);
  });

  it('when the national office moves a producer from Hồ Chí Minh City to Hà Nội, then the entry is read by both provinces', async () => {
    const producer = await buildProducer({ address: HCM });
    await updateProducer(producer._id, { address: { provinceCode: '01', communeCode: '00577' } }, systemPrincipal);
    const moved = (await entries(hanoi, { record: producer._id })).map((e) => [e.action, e.provinces]);
    expect(moved).to.deep.equal([['producer.update', ['01', '79']]]);
  });

  it('when an entry was written before entries kept provinces, then only the national office reads it', async () => {
    const targetId = `old${Date.now().toString(36)}`;
    // As an older version stored it: no provinces field at all.
    await AuditModel.collection.insertOne({ at: new Date(), actor: 'system', userId: null, role: 'admin', action: 'producer.update', targetType: 'producer', targetId, details: null });
    expect(await entries(hanoi, { record: targetId })).to.deep.equal([]);
    expect((await entries(national, { record: targetId })).map((e) => e.provinces)).to.deep.equal([[]]);
  });

  it("when a Hà Nội admin opens the audit screen, then it lists the Hà Nội write and not Hồ Chí Minh City's, and says so; another province's filter is 403", async () => {
    const inHanoi = await buildProducer();
    const inHcm = await buildProducer({ address: HCM });
    const office = (await logIn(app, await buildUser('admin', { province: '01' }))).browser;
    const page = await office.get('/office/audit?action=producer.create').expect(200);
    expect(page.text).to.contain(inHanoi._id).and.not.contain(inHcm._id);
    expect(page.text).to.contain('Văn phòng tỉnh xem các thay đổi');
    await office.get('/office/audit?province=79').expect(403);
    const bad = await office.get('/office/audit?province=7').expect(400);
    expect(bad.text).to.contain('Mã tỉnh gồm 2 chữ số');
    const nationalOffice = (await logIn(app, await buildUser('admin'))).browser;
    const hcm = await nationalOffice.get('/office/audit?province=79&action=producer.create').expect(200);
    expect(hcm.text).to.contain(inHcm._id).and.not.contain(inHanoi._id);
  });
});
