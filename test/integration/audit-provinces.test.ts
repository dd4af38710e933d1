import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import sharp from 'sharp';
import request from 'supertest';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { revokeCertification } from '../../src/registry/certifications/certification.service.js';
import { updateProducer } from '../../src/registry/producers/producer.service.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { parseInput } from '../../src/errors/validate.js';
import { createBatchInput } from '../../src/batches/batch.schema.js';
import { updateBatch } from '../../src/batches/batch.service.js';
import { healStaleCaptures } from '../../src/events/capture/capture.service.js';
import { activeLabelsOfRun } from '../../src/labels/runs/labels.service.js';
import { createReport, setReportStatus } from '../../src/reports/report.service.js';
import { bearer, buildTestApp } from '../support/app.js';
import { batchInput, buildCertification, buildEventBatch, buildProducer, buildProduct, buildStalledCapture, buildUser, logIn, objectEvent } from '../support/kit.js';

/** Hà Nội (01) and Hồ Chí Minh City (79). */
const HCM = { provinceCode: '79', communeCode: '25747' };
const HANOI_BA_DINH = '00004';

const png = () => sharp({ create: { width: 64, height: 48, channels: 3, background: { r: randomInt(256), g: 90, b: 40 } } }).png().toBuffer();
/** A GLN-based place id no other test has registered. */
const sgln = () => `urn:epc:id:sgln:893${String(randomInt(1e4)).padStart(4, '0')}.${String(randomInt(1e5)).padStart(5, '0')}.0`;

type Entry = { action: string; targetId: string; provinces: string[] };

describe('audit log: each entry carries the provinces of its record, and a provincial office reads its own', () => {
  const app = buildTestApp();
  let hanoi: string;
  let hcmAdmin: string;
  let national: string;

  before(async () => {
    hanoi = (await createApiKey({ role: 'admin', label: 'Sở NN Hà Nội', province: '01' })).key;
    hcmAdmin = (await createApiKey({ role: 'admin', label: 'Sở NN TP. Hồ Chí Minh', province: '79' })).key;
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

  it("when a Hà Nội producer's batches, label runs, labels, events, product photo, inspections and reports are written, then the Hà Nội admin reads each entry and the Hồ Chí Minh City admin none", async () => {
    // A Hà Nội producer (the builders' default commune) with a certified product and a batch of it.
    const w = await buildEventBatch();
    await buildCertification({ productId: w.productId });
    const own = await createApiKey({ role: 'producer', label: 'HTX Bát Tràng', producerId: w.producerId });
    const admin = (await createApiKey({ role: 'admin', label: 'Văn phòng quốc gia' })).key;
    const as = (key: string) => ({ ...bearer(key), 'Idempotency-Key': randomUUID() });

    const batch = (await request(app).post(`/api/v1/products/${w.productId}/batches`).set(as(own.key)).send(batchInput()).expect(201)).body.id as string;
    await updateBatch(own.principal, batch, parseInput(createBatchInput, batchInput({ quantity: 40 })));
    const run = (await request(app).post(`/api/v1/batches/${w.batchId}/label-runs`).set(as(own.key)).send({ count: 2 }).expect(201)).body.id as string;
    const serials: string[] = [];
    for await (const l of activeLabelsOfRun({ _id: run, count: 2 })) serials.push(l._id);
    await request(app).post(`/api/v1/labels/${serials[0]}/void`).set(bearer(own.key)).send({ reason: 'in lệch' }).expect(200);
    const revoked = (await request(app).post(`/api/v1/batches/${w.batchId}/label-runs`).set(as(own.key)).send({ count: 1 }).expect(201)).body.id as string;
    await request(app).post(`/api/v1/label-runs/${revoked}/revoke`).set(bearer(own.key)).send({ reason: 'cuộn nhãn bị mất' }).expect(200);
    const captured = (await request(app).post('/api/v1/events').set(as(own.key)).send({ ...objectEvent(w), eventID: `urn:uuid:${randomUUID()}` }).expect(201)).body.captureId as string;
    // An event of the producer's own site goes to the location's chain: the location's producer is its producer.
    const site = sgln();
    await request(app).post('/api/v1/locations').set(bearer(admin)).send({ id: site, name: 'Kho gốm', communeCode: '00577', producerId: w.producerId }).expect(201);
    const assets = { type: 'AssociationEvent', eventID: `urn:uuid:${randomUUID()}`, eventTime: '2025-06-01T08:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'ADD', bizStep: 'assembling', parentID: `urn:epc:id:grai:8930000.00001.${randomInt(1e6)}`, childEPCs: [`urn:epc:id:giai:8930000.${randomInt(1e6)}`], readPoint: { id: site } };
    const atSite = await request(app).post('/api/v1/events').set(as(own.key)).send(assets).expect(201);
    expect(atSite.body.locationChain, 'kept in the location chain').to.be.a('string');
    const { captureId: healed } = await buildStalledCapture(w, { events: 1, written: 0 });
    // Each pass heals up to 20 of the oldest stale captures (other files' too): until none is left.
    let healedNow = 1;
    for (let pass = 0; pass < 10 && healedNow > 0; pass++) healedNow = await healStaleCaptures();
    // Product photos are the office's.
    await request(app).put(`/api/v1/products/${w.productId}/photo`).set(bearer(admin)).set('Content-Type', 'image/png').send(await png()).expect(200);

    // An inspector finds the label at a Hà Nội market and adds a photo; a shopper reports it and the office checks the report.
    const inspector = await createApiKey({ role: 'inspector', label: 'Đội QLTT số 1' });
    const labelUrl = (await request(app).get(`/api/v1/labels/${serials[1]}`).set(bearer(own.key)).expect(200)).body.url as string;
    const inspection = `dev-${randomUUID()}`;
    const found = { id: inspection, at: new Date().toISOString(), commune: HANOI_BA_DINH, place: 'Sạp 12, chợ Đồng Xuân', finding: 'ok', label: { url: labelUrl } };
    await request(app).post('/api/v1/inspections').set(bearer(inspector.key)).send(found).expect(201);
    await request(app).put(`/api/v1/inspections/${inspection}/photos`).set(bearer(inspector.key)).set('Content-Type', 'image/png').send(await png()).expect(201);
    const labelPath = new URL(labelUrl).pathname + new URL(labelUrl).search;
    const report = (await createReport({ label: labelPath, kind: 'fake_label', details: 'Tem mờ', provinceCode: '01', commune: 'Ba Đình', place: 'Chợ Đồng Xuân', contact: null }, null)).receipt;
    await setReportStatus(systemPrincipal, report, 'checked', 'Đã kiểm tra tại chợ');

    const written: [string, string][] = [
      [batch, 'batch.create'], [batch, 'batch.update'], [run, 'label_run.issue'], [serials[0]!, 'label.void'], [revoked, 'label_run.revoke'],
      [captured, 'event.capture'], [atSite.body.captureId as string, 'event.capture'], [healed, 'event.capture_rolled_forward'], [w.productId, 'product.update'],
      [inspection, 'inspection.create'], [inspection, 'inspection.attach_photo'], [report, 'report.create'], [report, 'report.update_status'],
    ];
    for (const [record, action] of written) {
      const read = await entries(hanoi, { record, action });
      expect(read.map((e) => e.provinces), `${action} ${record}, read by Hà Nội`).to.deep.equal([['01']]);
      expect(await entries(hcmAdmin, { record, action }), `${action} ${record}, read by Hồ Chí Minh City`).to.deep.equal([]);
    }
  });

  it("when a Hà Nội producer's label is inspected and reported in Hồ Chí Minh City, then the entries are filed under both provinces", async () => {
    const producer = await buildProducer();
    const product = await buildProduct({ producerId: producer._id, gtin: true });
    const inspector = await createApiKey({ role: 'inspector', label: 'Đội QLTT TP.HCM', provinces: ['79'] });
    const inspection = `dev-${randomUUID()}`;
    const found = { id: inspection, at: new Date().toISOString(), commune: HCM.communeCode, place: 'Chợ Bến Thành', finding: 'forged_label', label: { url: `/01/${product.gtin}/10/L1/21/AAAAAAAAAA`, productId: product._id } };
    await request(app).post('/api/v1/inspections').set(bearer(inspector.key)).send(found).expect(201);
    const report = (await createReport({ label: `/01/${product.gtin}/10/L1`, kind: 'fake_label', details: '', provinceCode: '79', commune: '', place: 'Chợ Bến Thành', contact: null }, null)).receipt;
    await setReportStatus(systemPrincipal, report, 'closed', 'Không xác minh được');
    for (const [record, action] of [[inspection, 'inspection.create'], [report, 'report.create'], [report, 'report.update_status']] as const) {
      expect((await entries(hcmAdmin, { record, action })).map((e) => e.provinces), action).to.deep.equal([['01', '79']]);
      expect(await entries(hanoi, { record, action }), action).to.have.length(1);
    }
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
