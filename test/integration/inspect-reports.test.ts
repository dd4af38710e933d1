import { expect } from 'chai';
import request from 'supertest';
import { AuditModel } from '../../src/audit/audit.model.js';
import { createReport } from '../../src/reports/report.service.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildProducer, buildUser, formToken, logIn } from '../support/kit.js';

/**
 * The shoppers' reports as the inspectors' and the office's work queue: the list with
 * its filters, moving a report on (open → checked → closed) with a note, and who may.
 * Real HTTP, real database, forms sent as a browser without JavaScript sends them.
 */
async function aReport(province = '01', place = `Chợ ${Math.random().toString(36).slice(2, 8)}`) {
  const { receipt } = await createReport({ label: null, kind: 'fake_label', details: 'Tem mờ', provinceCode: province, commune: '', place, contact: '0912 000 111' }, null);
  return { receipt, place };
}

describe('reports queue: /inspect/reports and /office/reports', function () {
  this.timeout(60_000);
  const app = buildTestApp();

  it('when an inspector opens the queue, then the reports are listed with their status, and the filters narrow them', async () => {
    const hanoi = await aReport('01');
    const south = await aReport('79');
    const { browser } = await logIn(app, await buildUser('inspector', { provinces: ['01', '79'] }));
    const bad = await browser.get('/inspect/reports?status=nope').expect(400);
    expect(bad.text, 'a filter that does not read is named').to.contain('Bộ lọc không hợp lệ').and.contain('status');
    const page = await browser.get('/inspect/reports?province=01&status=open').expect(200);
    expect(page.text).to.contain(hanoi.receipt).and.contain(hanoi.place).and.contain('Mới').and.not.contain(south.receipt);
    expect(page.headers['cache-control']).to.equal('no-store');
    const en = await browser.get('/inspect/reports?province=79&lang=en').expect(200);
    expect(en.text).to.contain(south.receipt).and.contain('Open').and.contain('Move to: Checked');
    // A province outside the inspector's is refused, not listed empty.
    const other = await browser.get('/inspect/reports?province=46').expect(403);
    expect(other.text).not.to.contain(hanoi.receipt);
  });

  it('when an inspector moves a report to checked and then closed with notes, then the queue and the API show its history, and each change is audited', async () => {
    const { receipt } = await aReport('01');
    const inspector = await buildUser('inspector', { name: 'Lê Văn Kiểm', provinces: ['01'] });
    const { browser } = await logIn(app, inspector);
    const form = await browser.get('/inspect/reports?province=01').expect(200);
    const moved = await browser.post(`/inspect/reports/${receipt}/status`).type('form').send({ _csrf: formToken(form.text), status: 'checked', note: 'Đã đến chợ, tem giả thật', back: 'inspect' }).expect(303);
    expect(moved.headers.location).to.equal(`/inspect/reports?changed=${receipt}&lang=vi`);
    const after = await browser.get(moved.headers.location as string).expect(200);
    expect(after.text).to.contain(`Đã đổi trạng thái báo cáo ${receipt}`).and.contain('Đã đến chợ, tem giả thật').and.contain('Lê Văn Kiểm');
    await browser.post(`/inspect/reports/${receipt}/status`).type('form').send({ _csrf: formToken(after.text), status: 'closed', note: 'Đã xử phạt' }).expect(303);

    const report = (await request(app).get(`/api/v1/reports/${receipt}`).set(bearer(await apiKeyFor('admin'))).expect(200)).body;
    expect(report.status).to.equal('closed');
    expect(report.history.map((h: { from: string; to: string; note: string; by: string }) => [h.from, h.to, h.note, h.by])).to.deep.equal([
      ['open', 'checked', 'Đã đến chợ, tem giả thật', 'Lê Văn Kiểm'],
      ['checked', 'closed', 'Đã xử phạt', 'Lê Văn Kiểm'],
    ]);
    const audit = await AuditModel.find({ action: 'report.update_status', targetId: receipt }).sort({ at: 1, _id: 1 }).lean();
    expect(audit.map((a) => [a.userId, (a.details as { from: string; to: string }).to])).to.deep.equal([[inspector.id, 'checked'], [inspector.id, 'closed']]);
  });

  it('when a move goes backwards, names no status, or the report has moved meanwhile, then the page says so and nothing changes', async () => {
    const { receipt } = await aReport('01');
    const { browser } = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    const page = await browser.get('/inspect/reports').expect(200);
    const token = formToken(page.text);
    const send = (fields: Record<string, string>) => browser.post(`/inspect/reports/${receipt}/status?lang=en`).type('form').send({ _csrf: token, ...fields });
    expect((await send({ status: 'reopened' }).expect(400)).text).to.contain('Choose the new status');
    expect((await send({ status: 'checked', note: 'x'.repeat(1001) }).expect(400)).text).to.contain('longer than 1,000');
    await send({ status: 'closed', note: 'trùng báo cáo khác' }).expect(303);
    // Drawn before the close: the form still offered "checked".
    const stale = await send({ status: 'checked' }).expect(409);
    expect(stale.text).to.contain(`Report ${receipt} was just moved by someone else`);
    expect((await send({ status: 'open' }).expect(409)).text).to.contain(receipt);
    const report = (await request(app).get(`/api/v1/reports/${receipt}`).set(bearer(await apiKeyFor('admin'))).expect(200)).body;
    expect([report.status, report.history.length]).to.deep.equal(['closed', 1]);
    expect((await browser.post('/inspect/reports/BC-99999999/status').type('form').send({ _csrf: token, status: 'closed' }).set('Accept', 'application/json').expect(404)).body.error.code).to.equal('report/not_found');
  });

  it('when the office opens /office/reports, then it works the same queue and comes back to it; inspectors, producers and strangers may not', async () => {
    const { receipt } = await aReport('79');
    const admin = await logIn(app, await buildUser('admin'));
    const office = await admin.browser.get('/office/reports?province=79').expect(200);
    expect(office.text).to.contain(receipt).and.contain('name="back" value="office"');
    const back = await admin.browser.post(`/inspect/reports/${receipt}/status`).type('form').send({ _csrf: formToken(office.text), status: 'checked', back: 'office' }).expect(303);
    expect(back.headers.location).to.match(/^\/office\/reports\?changed=/);

    const inspector = await logIn(app, await buildUser('inspector', { provinces: ['79'] }));
    await inspector.browser.get('/office/reports').expect(403);
    const producer = await logIn(app, await buildUser('producer', { producerId: (await buildProducer())._id }));
    await producer.browser.get('/inspect/reports').expect(403);
    const page = await producer.browser.get('/account').expect(200);
    await producer.browser.post(`/inspect/reports/${receipt}/status`).type('form').send({ _csrf: formToken(page.text), status: 'closed' }).expect(403);
    const stranger = await request(app).get('/inspect/reports').set('Accept', 'text/html').expect(401);
    expect(stranger.text, 'a browser without a session gets the login form').to.contain('name="password"');
    const noToken = await inspector.browser.post(`/inspect/reports/${receipt}/status`).type('form').send({ status: 'closed' }).expect(403);
    expect(noToken.text + JSON.stringify(noToken.body)).to.match(/csrf/i);
    const report = (await request(app).get(`/api/v1/reports/${receipt}`).set(bearer(await apiKeyFor('admin'))).expect(200)).body;
    expect(report.status).to.equal('checked');
  });

  it("when an inspector of another province moves a report on, then 403 and the report, its history and the audit log stay as they were", async () => {
    const { receipt } = await aReport('01');
    const { browser } = await logIn(app, await buildUser('inspector', { provinces: ['79'] }));
    const page = await browser.get('/inspect/reports').expect(200);
    expect(page.text, "another province's report is not listed").not.to.contain(receipt);
    await browser.post(`/inspect/reports/${receipt}/status`).type('form').send({ _csrf: formToken(page.text), status: 'checked', note: 'Không phải tỉnh mình' }).expect(403);
    const report = (await request(app).get(`/api/v1/reports/${receipt}`).set(bearer(await apiKeyFor('admin'))).expect(200)).body;
    expect([report.status, report.history]).to.deep.equal(['open', []]);
    expect(await AuditModel.countDocuments({ action: 'report.update_status', targetId: receipt })).to.equal(0);
  });
});
