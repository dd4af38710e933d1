import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { AuditModel } from '../../src/audit/audit.model.js';
import { BatchModel } from '../../src/batches/batch.model.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { findBatch, findBatchByLot, lockBatch, updateBatch } from '../../src/batches/batch.service.js';
import { createBatchInput } from '../../src/batches/batch.schema.js';
import { parseInput } from '../../src/errors/validate.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { certificateState } from '../../src/producer-screens/producer-screens.service.js';
import { runWork } from '../../src/producer-screens/run-issuing.js';
import { buildTestApp } from '../support/app.js';
import {
  batchInput,
  buildBatch,
  buildCertification,
  buildLabelledBatch,
  buildProduct,
  buildUser,
  formToken,
  logIn,
  monthsAgo,
  storeRun,
  uniqueLot,
  type Browser,
  type LabelledBatch,
} from '../support/kit.js';
import type { CertificationRecord } from '../../src/registry/certifications/certification.reads.js';

/**
 * The producer's own screens over HTTP, as a logged-in producer user's browser uses them:
 * every route for its own producer, refused for another producer's user and an
 * inspector (an admin may open a producer's records), refused without the form's CSRF token; bad input shown with nothing
 * written; a batch edit refused once labels are issued.
 */
describe('producer screens: products, batches, label runs, voiding', function () {
  this.timeout(60_000);
  const app = buildTestApp();

  type World = LabelledBatch & { browser: Browser };

  /** A certified product with a batch, and a logged-in user of its producer. */
  async function producerWorld(opts: Parameters<typeof buildLabelledBatch>[0] = {}): Promise<World> {
    const fixture = await buildLabelledBatch(opts);
    const user = await buildUser('producer', { producerId: fixture.producer._id });
    const { browser } = await logIn(app, user);
    return { ...fixture, browser };
  }

  async function browserOf(role: 'admin' | 'inspector' | 'producer', producerId?: string): Promise<Browser> {
    const user = await buildUser(role, producerId ? { producerId } : {});
    return (await logIn(app, user)).browser;
  }

  /** The CSRF token of the page's forms. */
  const tokenOf = async (browser: Browser, path: string) => formToken((await browser.get(path).expect(200)).text);

  const batchForm = (overrides: Record<string, string> = {}) => ({
    lotCode: uniqueLot(),
    productionDate: '2025-09-01',
    expiryDate: '2027-09-01',
    quantity: '120',
    unit: 'jar',
    communeCode: '00577',
    placeName: 'Vườn ong đồi Đá Chông',
    ...overrides,
  });

  /** Issues a run through the batch page's form; the answer and the run's id. */
  async function issueThroughForm(w: World, count: number, runKey = randomUUID()) {
    const page = await w.browser.get(`/producer/batches/${w.batch._id}`).expect(200);
    const res = await w.browser.post(`/producer/batches/${w.batch._id}/runs`).type('form').send({ _csrf: formToken(page.text), count: String(count), runKey });
    const runId = /^\/producer\/runs\/([0-9a-z]{10})$/.exec(res.headers.location ?? '')?.[1] ?? null;
    return { res, runId };
  }

  describe('the certificate states of the home screen', () => {
    const cert = (validUntil: string, status = 'active') => ({ status, validUntil: new Date(validUntil) }) as unknown as CertificationRecord;
    const now = new Date('2026-06-01T00:00:00Z');
    it('when the end date is more than 90 days away, then it is in force; from 90 days before, expiring; after it, expired', () => {
      expect(certificateState(cert('2026-08-31T00:00:01Z'), null, now)).to.deep.equal({ state: 'in_force', daysLeft: 92 });
      expect(certificateState(cert('2026-08-30T00:00:00Z'), null, now)).to.deep.equal({ state: 'expiring', daysLeft: 90 });
      expect(certificateState(cert('2026-05-31T23:59:59Z'), null, now).state).to.equal('expired');
    });
    it('when there is no certificate in force, then a revoked one reads as revoked, none as not certified', () => {
      expect(certificateState(null, cert('2027-01-01', 'revoked'), now).state).to.equal('revoked');
      expect(certificateState(null, null, now).state).to.equal('none');
    });
  });

  it("when a producer's user opens /producer, then each of its products shows its certificate state, with the warning before expiry, and links to batches, events and scans", async () => {
    const w = await producerWorld();
    const expiring = await buildProduct({ producerId: w.producer._id, name: { vi: 'Trà shan tuyết sắp hết hạn' } });
    await buildCertification({ productId: expiring._id, decisionDate: monthsAgo(35) });
    const expired = await buildProduct({ producerId: w.producer._id, name: { vi: 'Miến dong đã hết hạn' } });
    await buildCertification({ productId: expired._id, decisionDate: monthsAgo(37) });
    const none = await buildProduct({ producerId: w.producer._id, name: { vi: 'Sản phẩm chưa công nhận' } });
    const stranger = await buildLabelledBatch();

    const home = await w.browser.get('/producer?lang=vi').expect(200);
    const block = (id: string) => home.text.split(`id="product-${id}"`)[1]!.split('</li>')[0]!;
    expect(block(w.product._id)).to.contain('Còn hiệu lực');
    expect(block(expiring._id)).to.contain('Sắp hết hạn').and.contain('hãy chuẩn bị hồ sơ đánh giá lại');
    expect(block(expired._id)).to.contain('Đã hết hạn');
    expect(block(none._id)).to.contain('Chưa được công nhận');
    expect(home.text).to.contain('href="/producer/events"').and.contain('href="/producer/scans"');
    expect(home.text).to.contain(`href="/producer/products/${w.product._id}"`);
    expect(home.text, "another producer's product").not.to.contain(stranger.product._id);
    const en = await w.browser.get('/producer?lang=en').expect(200);
    expect(en.text).to.contain('Expiring soon').and.contain('prepare the re-rating');

    const account = await w.browser.get('/account').expect(200);
    expect(account.text).to.contain('href="/producer"');
  });

  it('when a revoked certificate is the last decision of a product, then the home screen says revoked and the batch page offers no run', async () => {
    const w = await producerWorld({ certification: 'revoked' });
    const home = await w.browser.get('/producer?lang=en').expect(200);
    expect(home.text).to.contain('Revoked');
    const page = await w.browser.get(`/producer/batches/${w.batch._id}?lang=en`).expect(200);
    expect(page.text).to.contain('id="issue-not-certified"').and.not.contain(`action="/producer/batches/${w.batch._id}/runs"`);
  });

  it("when another producer's user or an inspector opens any of the screens of a producer's records, then 403 and none of the data; an admin (the office helping) opens them", async () => {
    const w = await producerWorld();
    const { runId } = await issueThroughForm(w, 3);
    const label = (await LabelModel.findOne({ runId }).lean())!;
    const paths = [
      `/producer/products/${w.product._id}`,
      `/producer/products/${w.product._id}/batches/new`,
      `/producer/batches/${w.batch._id}`,
      `/producer/batches/${w.batch._id}/edit`,
      `/producer/runs/${runId}`,
    ];
    const other = await browserOf('producer', (await buildLabelledBatch()).producer._id);
    const inspector = await browserOf('inspector');
    const admin = await browserOf('admin');
    for (const [who, browser] of [['other producer', other], ['inspector', inspector]] as const) {
      for (const path of paths) {
        const res = await browser.get(path).set('Accept', 'text/html');
        expect(res.status, `${who} ${path}`).to.equal(403);
        expect(res.text, `${who} ${path}`).not.to.contain(w.batch.lotCode).and.not.to.contain(label._id);
      }
    }
    expect((await inspector.get('/producer').set('Accept', 'application/json')).body.error.code).to.equal('auth/forbidden');
    expect((await inspector.get('/producer/labels/void').set('Accept', 'application/json')).status).to.equal(403);
    for (const path of paths) {
      const res = await admin.get(path);
      expect(res.status, `admin ${path}`).to.be.oneOf([200, 409]); // 409: the edit form of a labelled batch
      expect(res.text, `admin ${path}`).to.contain(w.product._id);
    }
    // An admin has no producer of its own: no home screen.
    expect((await admin.get('/producer').set('Accept', 'application/json')).body.error.code).to.equal('producer/not_found');
    // Ids that name nothing: 404.
    await w.browser.get('/producer/batches/zzzzzzzzzz').set('Accept', 'text/html').expect(404);
    await w.browser.get('/producer/runs/not-an-id').set('Accept', 'text/html').expect(404);
    // No session: the login form.
    const anonymous = await request(app).get(`/producer/batches/${w.batch._id}`).set('Accept', 'text/html').expect(401);
    expect(anonymous.text).to.contain('action="/login');
  });

  it("when another producer's user or an inspector posts to a producer's records, then 403 and nothing is written", async () => {
    const w = await producerWorld();
    const { runId } = await issueThroughForm(w, 3);
    const label = (await LabelModel.findOne({ runId }).lean())!;
    const other = await browserOf('producer', (await buildLabelledBatch()).producer._id);
    const inspector = await browserOf('inspector');
    for (const browser of [other, inspector]) {
      const _csrf = await tokenOf(browser, '/account');
      const posts: Array<[string, Record<string, string>]> = [
        [`/producer/products/${w.product._id}/batches`, batchForm()],
        [`/producer/batches/${w.batch._id}`, batchForm()],
        [`/producer/batches/${w.batch._id}/runs`, { count: '1', runKey: randomUUID() }],
        [`/producer/runs/${runId}/resume`, {}],
        [`/producer/runs/${runId}/revoke`, { reason: 'not mine to revoke' }],
        ['/producer/labels/void', { serial: label._id, reason: 'not mine to void' }],
      ];
      for (const [path, body] of posts) {
        const res = await browser.post(path).set('Accept', 'application/json').type('form').send({ _csrf, ...body });
        expect([res.status, res.body.error?.code], path).to.deep.equal([403, 'auth/forbidden']);
      }
    }
    expect(await BatchModel.countDocuments({ productId: w.product._id })).to.equal(1);
    expect((await findBatch(w.batch._id))!.lotCode).to.equal(w.batch.lotCode);
    expect(await LabelRunModel.countDocuments({ batchId: w.batch._id })).to.equal(1);
    expect((await LabelRunModel.findById(runId).lean())!.state).to.equal('issued');
    expect((await LabelModel.findById(label._id).lean())!.status).to.equal('active');
  });

  it('when a form is posted without its CSRF token or with a forged one, then 403 auth/csrf and nothing is written', async () => {
    const w = await producerWorld();
    const token = await tokenOf(w.browser, `/producer/products/${w.product._id}/batches/new`);
    const forged = `${token[0] === 'a' ? 'b' : 'a'}${token.slice(1)}`;
    for (const _csrf of [undefined, forged]) {
      const send = _csrf ? { _csrf, ...batchForm() } : batchForm();
      const res = await w.browser.post(`/producer/products/${w.product._id}/batches`).set('Accept', 'application/json').type('form').send(send);
      expect([res.status, res.body.error?.code]).to.deep.equal([403, 'auth/csrf']);
      const run = await w.browser.post(`/producer/batches/${w.batch._id}/runs`).set('Accept', 'application/json').type('form').send({ ...(_csrf ? { _csrf } : {}), count: '2', runKey: randomUUID() });
      expect(run.status).to.equal(403);
    }
    expect(await BatchModel.countDocuments({ productId: w.product._id })).to.equal(1);
    expect(await LabelRunModel.countDocuments({ batchId: w.batch._id })).to.equal(0);
  });

  it('when a batch is recorded with bad input, then the form shows every problem in the page language (400) and nothing is written; corrected, it is recorded (303) and audited', async () => {
    const w = await producerWorld();
    const form = `/producer/products/${w.product._id}/batches/new`;
    const _csrf = await tokenOf(w.browser, form);
    const bad = batchForm({ lotCode: 'lô có dấu', productionDate: '2025-13-40', quantity: '-3', communeCode: '99999' });
    const res = await w.browser.post(`/producer/products/${w.product._id}/batches?lang=vi`).type('form').send({ _csrf, ...bad }).expect(400);
    expect(res.text).to.contain('id="form-problems"');
    for (const text of ['Số lô: 1–20 ký tự', 'Ngày sản xuất:', 'Số lượng: một số lớn hơn 0.', 'Mã xã: không có xã']) expect(res.text).to.contain(text);
    expect(res.text, 'what was typed is kept').to.contain('value="99999"');
    expect(await BatchModel.countDocuments({ productId: w.product._id })).to.equal(1);

    const good = batchForm();
    const made = await w.browser.post(`/producer/products/${w.product._id}/batches`).type('form').send({ _csrf, ...good }).expect(303);
    const location = String(made.headers.location);
    const batchId = /^\/producer\/batches\/([0-9a-z]{10})\?notice=created$/.exec(location)![1]!;
    const stored = (await findBatch(batchId))!;
    expect(stored).to.include({ lotCode: good.lotCode, productId: w.product._id, quantity: 120, unit: 'jar' });
    expect(await AuditModel.exists({ action: 'batch.create', targetId: batchId })).to.not.equal(null);
    const page = await w.browser.get(location).expect(200);
    expect(page.text).to.contain(good.lotCode).and.contain('Đã ghi lô hàng.');
    const list = await w.browser.get(`/producer/products/${w.product._id}`).expect(200);
    expect(list.text).to.contain(`href="/producer/batches/${batchId}"`).and.contain(`href="/producer/batches/${w.batch._id}"`);

    const again = await w.browser.post(`/producer/products/${w.product._id}/batches?lang=en`).type('form').send({ _csrf, ...good }).expect(409);
    expect(again.text).to.contain('already has a batch with this lot code');
  });

  it('when a batch is edited before any label run, then it is saved and audited; once a run was issued, the edit is refused with a clear message and the batch stays as it was', async () => {
    const w = await producerWorld();
    const edit = `/producer/batches/${w.batch._id}/edit`;
    const editPage = await w.browser.get(edit).expect(200);
    expect(editPage.text).to.contain(`value="${w.batch.lotCode}"`);
    const _csrf = formToken(editPage.text);
    const bad = await w.browser.post(`/producer/batches/${w.batch._id}`).type('form').send({ _csrf, ...batchForm({ quantity: 'many' }) }).expect(400);
    expect(bad.text).to.contain('id="form-problems"');
    expect((await findBatch(w.batch._id))!.lotCode).to.equal(w.batch.lotCode);

    const fixed = batchForm({ quantity: '600' });
    await w.browser.post(`/producer/batches/${w.batch._id}`).type('form').send({ _csrf, ...fixed }).expect(303);
    const saved = (await findBatch(w.batch._id))!;
    expect(saved).to.include({ lotCode: fixed.lotCode, quantity: 600 });
    expect(await AuditModel.exists({ action: 'batch.update', targetId: w.batch._id })).to.not.equal(null);

    const { runId } = await issueThroughForm(w, 2);
    expect(runId).to.be.a('string');
    const locked = await w.browser.get(`${edit}?lang=en`).expect(409);
    expect(locked.text).to.contain('id="batch-locked"').and.contain('can no longer be changed').and.not.contain('name="lotCode"');
    const refused = await w.browser.post(`/producer/batches/${w.batch._id}?lang=vi`).type('form').send({ _csrf, ...batchForm() }).expect(409);
    expect(refused.text).to.contain('không sửa được nữa');
    expect((await findBatch(w.batch._id))!).to.include({ lotCode: fixed.lotCode, quantity: 600 });
    const page = await w.browser.get(`/producer/batches/${w.batch._id}`).expect(200);
    expect(page.text).to.contain('id="batch-labelled"').and.not.contain(`href="${edit}"`);
  });

  it('when a run is issued from the batch page, then the person lands on the issued run with its downloads; the same form sent twice issues one run', async () => {
    const w = await producerWorld();
    const runKey = randomUUID();
    const { res, runId } = await issueThroughForm(w, 5, runKey);
    expect(res.status).to.equal(303);
    const again = await issueThroughForm(w, 5, runKey);
    expect(again.runId).to.equal(runId);
    expect(await LabelRunModel.countDocuments({ batchId: w.batch._id })).to.equal(1);
    const page = await w.browser.get(`/producer/runs/${runId}`).expect(200);
    expect(page.text).to.contain('data-state="issued"');
    expect(page.text).to.contain(`href="/api/v1/label-runs/${runId}/sheet.pdf?lang=vi-en"`).and.contain(`/api/v1/label-runs/${runId}/labels.csv`).and.contain(`action="/producer/runs/${runId}/print"`);
    // The downloads work with the session (a producer user gets what its producer's key gets).
    const csv = await w.browser.get(`/api/v1/label-runs/${runId}/labels.csv`).expect(200);
    const serials = (await LabelModel.find({ runId }, { _id: 1 }).lean()).map((l) => l._id);
    expect(serials).to.have.length(5);
    for (const s of serials) expect(csv.text).to.contain(s);
    const zpl = await w.browser.get(`/api/v1/label-runs/${runId}/labels.zpl?width=60&height=40&dpmm=8&lang=vi-en`).expect(200);
    expect(zpl.text).to.contain('^XA');
    const batchPage = await w.browser.get(`/producer/batches/${w.batch._id}`).expect(200);
    expect(batchPage.text).to.contain(`href="/producer/runs/${runId}"`);
  });

  it('when the roll PDF or ZPL form is sent, then a size that fits goes on to the file; a size out of bounds, or one the text does not fit, is shown on the run page (400)', async () => {
    const w = await producerWorld();
    const { runId } = await issueThroughForm(w, 2);
    const roll = await w.browser.get(`/producer/runs/${runId}/print?kind=roll&width=60&height=40&labelLang=vi-en`).expect(303);
    expect(roll.headers.location).to.equal(`/api/v1/label-runs/${runId}/sheet.pdf?format=roll&width=60&height=40&lang=vi-en`);
    const pdf = await w.browser.get(roll.headers.location!).buffer(true).expect(200);
    expect(pdf.headers['content-type']).to.contain('application/pdf');
    const zpl = await w.browser.get(`/producer/runs/${runId}/print?kind=zpl&width=60&height=40&dpmm=12&labelLang=vi`).expect(303);
    expect(zpl.headers.location).to.equal(`/api/v1/label-runs/${runId}/labels.zpl?width=60&height=40&dpmm=12&lang=vi`);
    const outside = await w.browser.get(`/producer/runs/${runId}/print?kind=roll&width=20&height=40&labelLang=vi-en&lang=en`).expect(400);
    expect(outside.text).to.contain('id="print-problem"').and.contain('50–150 mm wide');
    const cramped = await w.browser.get(`/producer/runs/${runId}/print?kind=zpl&width=50&height=30&dpmm=8&labelLang=vi-en&lang=vi`).expect(400);
    expect(cramped.text).to.contain('id="print-problem"').and.contain('không vừa tem cỡ 50 × 30 mm');
  });

  it('when the count is more than the batch may take, not a number, or the form key is missing, then the batch page says so (400) and no run is made', async () => {
    const w = await producerWorld({ batch: { quantity: 40 } });
    const page = await w.browser.get(`/producer/batches/${w.batch._id}?lang=en`).expect(200);
    expect(page.text).to.contain('takes at most 42 labels').and.contain('42 can still be issued');
    const _csrf = formToken(page.text);
    for (const body of [{ count: '43', runKey: randomUUID() }, { count: 'ten', runKey: randomUUID() }, { count: '0', runKey: randomUUID() }, { count: '5' }]) {
      const res = await w.browser.post(`/producer/batches/${w.batch._id}/runs?lang=en`).type('form').send({ _csrf, ...body }).expect(400);
      expect(res.text).to.contain('id="form-problems"');
    }
    expect(await LabelRunModel.countDocuments({ batchId: w.batch._id })).to.equal(0);
  });

  it('when a large run is issued, then the person is sent to its page while it is written, and the page shows it issued once the work ends', async function () {
    this.timeout(120_000);
    const w = await producerWorld({ batch: { quantity: 3000 } });
    const { res, runId } = await issueThroughForm(w, 2500);
    expect(res.status).to.equal(303);
    await runWork(runId!);
    const page = await w.browser.get(`/producer/runs/${runId}`).expect(200);
    expect(page.text).to.contain('data-state="issued"');
    expect(await LabelModel.countDocuments({ runId })).to.equal(2500);
  });

  it('when a run was left pending (the process stopped half-way), then its page shows how far it got and "continue" completes it', async () => {
    const w = await producerWorld();
    const run = await storeRun(w, { state: 'pending', count: 4 });
    const page = await w.browser.get(`/producer/runs/${run._id}?lang=en`).expect(200);
    expect(page.text).to.contain('id="run-stopped"').and.contain('0 of 4 labels made').and.contain('/static/producer-run.js');
    await w.browser.post(`/producer/runs/${run._id}/resume`).type('form').send({ _csrf: formToken(page.text) }).expect(303);
    const after = await w.browser.get(`/producer/runs/${run._id}`).expect(200);
    expect(after.text).to.contain('data-state="issued"').and.not.contain('/static/producer-run.js');
    expect(await LabelModel.countDocuments({ runId: run._id })).to.equal(4);
  });

  it('when a label is voided by serial with a reason, then it reads as void and the run page says so; a bad serial, an unknown one, no reason or a second void are shown on the form', async () => {
    const w = await producerWorld();
    const { runId } = await issueThroughForm(w, 3);
    const label = (await LabelModel.findOne({ runId }).lean())!;
    const form = await w.browser.get(`/producer/labels/void?serial=${label._id}&lang=en`).expect(200);
    expect(form.text).to.contain(`value="${label._id}"`);
    const _csrf = formToken(form.text);
    const post = (body: Record<string, string>) => w.browser.post('/producer/labels/void?lang=en').type('form').send({ _csrf, ...body });
    expect((await post({ serial: 'short', reason: 'misprinted' }).expect(400)).text).to.contain('Serial: 13–20 letters');
    expect((await post({ serial: label._id, reason: '' }).expect(400)).text).to.contain('Reason: say why');
    expect((await post({ serial: 'ZZZZZZZZZZZZZZZZ', reason: 'misprinted' }).expect(404)).text).to.contain('No label has this serial');
    expect((await LabelModel.findById(label._id).lean())!.status).to.equal('active');

    const done = await post({ serial: label._id, reason: 'misprinted' }).expect(303);
    expect(done.headers.location).to.equal(`/producer/runs/${runId}?notice=voided&serial=${label._id}`);
    expect((await LabelModel.findById(label._id).lean())!).to.include({ status: 'void', statusReason: 'misprinted' });
    expect((await w.browser.get(`${done.headers.location}&lang=en`).expect(200)).text).to.contain(`Label ${label._id} voided.`);
    expect((await post({ serial: label._id, reason: 'misprinted again' }).expect(409)).text).to.contain('voided or revoked already');
  });

  it('when a run is revoked with a reason, then it reads as revoked with the reason; without one the page asks for it and nothing changes', async () => {
    const w = await producerWorld();
    const { runId } = await issueThroughForm(w, 2);
    const page = await w.browser.get(`/producer/runs/${runId}?lang=en`).expect(200);
    const _csrf = formToken(page.text);
    const bad = await w.browser.post(`/producer/runs/${runId}/revoke?lang=en`).type('form').send({ _csrf, reason: 'x' }).expect(400);
    expect(bad.text).to.contain('id="revoke-problem"');
    expect((await LabelRunModel.findById(runId).lean())!.state).to.equal('issued');
    await w.browser.post(`/producer/runs/${runId}/revoke`).type('form').send({ _csrf, reason: 'roll lost in transit' }).expect(303);
    expect((await LabelRunModel.findById(runId).lean())!).to.include({ state: 'revoked', revokedReason: 'roll lost in transit' });
    const after = await w.browser.get(`/producer/runs/${runId}?lang=en`).expect(200);
    expect(after.text).to.contain('roll lost in transit').and.not.contain('id="run-downloads"').and.not.contain('id="run-revoke"');
    const twice = await w.browser.post(`/producer/runs/${runId}/revoke?lang=en`).type('form').send({ _csrf, reason: 'again' }).expect(409);
    expect(twice.text).to.contain('revoked already');
  });

  describe('updateBatch (the batch service)', () => {
    it('when the lot code changes, then the batch is found by its new lot and no longer by the old one', async () => {
      const w = await buildLabelledBatch();
      const lot = uniqueLot();
      await updateBatch(systemPrincipal, w.batch._id, parseInput(createBatchInput, batchInput({ lotCode: lot })));
      expect((await findBatchByLot(w.product._id, lot))?._id).to.equal(w.batch._id);
      expect(await findBatchByLot(w.product._id, w.batch.lotCode)).to.equal(null);
      // The lot given up is free for another batch of the product.
      const other = await buildBatch(w.product, { lotCode: w.batch.lotCode });
      expect((await findBatchByLot(w.product._id, w.batch.lotCode))?._id).to.equal(other._id);
    });

    it('when the batch is labelled, then 409 batch/labels_printed and nothing changes', async () => {
      const w = await buildLabelledBatch();
      await lockBatch(w.batch._id);
      let code: string | undefined;
      try {
        await updateBatch(systemPrincipal, w.batch._id, parseInput(createBatchInput, batchInput({ quantity: 9 })));
      } catch (err) {
        code = (err as { code?: string }).code;
      }
      expect(code).to.equal('batch/labels_printed');
      expect((await findBatch(w.batch._id))!.quantity).to.equal(w.batch.quantity);
    });
  });
});
