import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../support/app.js';
import {
  buildProducer,
  buildProduct,
  buildUser,
  decisionCsv,
  decisionRow,
  formToken,
  logIn,
  newDecision,
  newProducerColumns,
  uniqueGtin13,
  type Browser,
  type DecisionRow,
} from '../support/kit.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { findProducerByRegistration } from '../../src/registry/producers/producer.service.js';
import { findProductByGtin } from '../../src/registry/products/product.service.js';
import { listCertifications } from '../../src/registry/certifications/certification.service.js';
import { commitDraft, decisionImportSettled, findDecisionImport, previewDecision } from '../../src/office/decisions/decision-import.service.js';
import { importKey } from '../../src/office/decisions/decision-csv.js';
import { parseDecisionNumber } from '../../src/registry/certifications/certification-rules.js';
import type { Principal } from '../../src/policy/principal.js';

const gtin14 = (g: string) => g.padStart(14, '0');
const keyOf = (head: { decision_number: string; province: string }) =>
  importKey({ number: parseDecisionNumber(head.decision_number)!.canonical, level: 'province', province: head.province });

async function certificationsOf(productId: string) {
  return (await listCertifications({ product: productId, limit: 100 } as Parameters<typeof listCertifications>[0])).items;
}

describe('office: importing a certification decision from CSV', () => {
  const app = buildTestApp();
  let office: Browser;

  before(async () => {
    office = (await logIn(app, await buildUser('admin'))).browser;
  });

  async function upload(browser: Browser, file: Buffer, name = 'decision.csv') {
    const page = await browser.get('/office/decisions?lang=en').expect(200);
    return browser.post(`/office/decisions/preview?lang=en&_csrf=${encodeURIComponent(formToken(page.text))}`).attach('file', file, name);
  }

  async function importFile(file: Buffer) {
    const preview = await upload(office, file);
    expect(preview.status).to.equal(200);
    const draft = /name="draft" value="([^"]+)"/.exec(preview.text)![1]!;
    const commit = await office.post('/office/decisions/commit?lang=en').type('form').send({ _csrf: formToken(preview.text), draft }).expect(303);
    return office.get(commit.headers.location!).expect(200);
  }

  const rowHtml = (html: string, line: number) => new RegExp(`<tr id="row-${line}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';

  it('when a file has bad rows, then the preview names each row\'s problem (422), offers no commit, and nothing is written', async () => {
    const head = newDecision();
    const good = decisionRow(head);
    const sharedGtin = uniqueGtin13();
    // A valid GTIN with its check digit changed: always wrong (a check digit built from two random GTINs was right one time in ten).
    const valid = uniqueGtin13();
    const badCheck = `${valid.slice(0, 12)}${(Number(valid[12]) + 1) % 10}`;
    const rows: DecisionRow[] = [
      good, // line 2
      decisionRow(head, { gtin: badCheck }), // 3: wrong check digit
      decisionRow(head, { commune: '99999' }), // 4: unknown commune
      decisionRow(head, { stars: '6' }), // 5: stars outside 1–5
      decisionRow(head, { stars: '5', score: '95' }), // 6: 5★ by a province
      decisionRow(head, { gtin: sharedGtin }), // 7
      decisionRow(head, { gtin: sharedGtin }), // 8: duplicate GTIN
      decisionRow(head, { producer_name: '', producer_kind: '', registration_number: '', commune: '' }), // 9: no producer
      decisionRow(head, { producer_name: '', registration_number: '', producer_id: 'zzzzzzzzzz' }), // 10: unknown producer
    ];
    const res = await upload(office, decisionCsv(rows));
    expect(res.status).to.equal(422);
    expect(res.text).to.include('id="preview-problems"');
    expect(res.text).not.to.include('name="draft"');
    expect(rowHtml(res.text, 2)).to.include('Valid');
    expect(rowHtml(res.text, 3)).to.include('wrong check digit');
    expect(rowHtml(res.text, 4)).to.include('No commune with code');
    expect(rowHtml(res.text, 5)).to.include('from 1 to 5');
    expect(rowHtml(res.text, 6)).to.include('decided by the ministry, not by a province');
    expect(rowHtml(res.text, 7)).to.include('Valid');
    expect(rowHtml(res.text, 8)).to.include('repeats line 7');
    expect(rowHtml(res.text, 9)).to.include('The producer is missing');
    expect(rowHtml(res.text, 10)).to.include('No producer with id zzzzzzzzzz');

    expect(await findDecisionImport(keyOf(head))).to.equal(null);
    expect(await findProducerByRegistration(good.registration_number!)).to.equal(null);
    expect(await findProductByGtin(gtin14(good.gtin!))).to.equal(null);
  });

  it('when the page is Vietnamese, then the row problems are in Vietnamese', async () => {
    const head = newDecision();
    const page = await office.get('/office/decisions').expect(200);
    const res = await office.post(`/office/decisions/preview?lang=vi&_csrf=${encodeURIComponent(formToken(page.text))}`)
      .attach('file', decisionCsv([decisionRow(head, { commune: '99999' })]), 'qd.csv');
    expect(res.status).to.equal(422);
    expect(rowHtml(res.text, 2)).to.include('Không có xã/phường với mã');
  });

  it('when every row is valid, then the commit creates every producer, product and certification and shows the figures', async () => {
    const head = newDecision();
    const shared = newProducerColumns();
    const existingProducer = await buildProducer();
    const existingProduct = await buildProduct({ producerId: existingProducer._id });
    const rows = [
      decisionRow(head, shared),
      decisionRow(head, { ...shared, gtin: '' }),
      decisionRow(head, { stars: '3', score: '60' }),
      decisionRow(head, { producer_name: '', registration_number: '', producer_id: existingProducer._id, product_name: '', product_id: existingProduct._id, gtin: '' }),
    ];
    // Excel's "CSV UTF-8" with semicolons and a BOM reads the same.
    const result = await importFile(decisionCsv(rows, { delimiter: ';', bom: true }));
    expect(result.text).to.match(/id="figure-producers">2</);
    expect(result.text).to.match(/id="figure-products">3</);
    expect(result.text).to.match(/id="figure-certifications">4</);
    expect(result.text).to.include('Imported');

    const producer = await findProducerByRegistration(shared.registration_number!);
    expect(producer?.name).to.equal(shared.producer_name);
    const product = await findProductByGtin(gtin14(rows[0]!.gtin!));
    expect(product?.producerId).to.equal(producer!._id);
    const certs = await certificationsOf(product!._id);
    expect(certs.map((c) => [c.stars, c.decisionNumber, c.authority.level])).to.deep.equal([[4, parseDecisionNumber(head.decision_number)!.canonical, 'province']]);
    expect(await certificationsOf(existingProduct._id)).to.have.length(1);
    const third = await findProductByGtin(gtin14(rows[2]!.gtin!));
    expect((await certificationsOf(third!._id))[0]?.stars).to.equal(3);
    expect(await AuditModel.countDocuments({ action: 'certification.create', targetId: certs[0]!._id }), 'each write is audited').to.equal(1);
    expect(await AuditModel.countDocuments({ action: 'decision.import', targetId: keyOf(head) })).to.equal(1);
  });

  it('when the same decision is uploaded again, then nothing more is created and the earlier result is shown', async () => {
    const head = newDecision();
    const rows = [decisionRow(head), decisionRow(head)];
    await importFile(decisionCsv(rows));
    const again = await upload(office, decisionCsv(rows));
    expect(again.status).to.equal(303);
    expect(again.headers.location).to.include('earlier=1');
    const page = await office.get(again.headers.location!).expect(200);
    expect(page.text).to.include('id="decision-earlier"');
    expect(page.text).to.match(/id="figure-certifications">2</);
    // A changed file under the same decision number is the same decision: still nothing new.
    const changed = [decisionRow(head)];
    expect((await upload(office, decisionCsv(changed))).status).to.equal(303);
    expect(await findProductByGtin(gtin14(changed[0]!.gtin!))).to.equal(null);
    const product = await findProductByGtin(gtin14(rows[0]!.gtin!));
    expect(await certificationsOf(product!._id)).to.have.length(1);
  });

  it('when a commit stops half-way, then the decision reads as interrupted and a retry ends with exactly one of everything', async () => {
    const user = await buildUser('admin');
    const actor: Principal = { keyId: `user:${user.id}`, role: 'admin', producerId: null, userId: user.id };
    const head = newDecision();
    const shared = newProducerColumns();
    const rows = [decisionRow(head, shared), decisionRow(head, shared), decisionRow(head), decisionRow(head)];
    const file = decisionCsv(rows);
    const preview = await previewDecision(actor, file, 'qd.csv');
    expect(preview.kind).to.equal('rows');
    const draftId = (preview as { draftId: string }).draftId;
    // 3 producers, 4 products, 4 certifications: stop once the producers are written, before any product.
    const stop = new Error('the process stopped');
    let error: unknown;
    try {
      await commitDraft(actor, draftId, { hooks: { afterStep: (n) => { if (n === 3) throw stop; } } });
    } catch (err) {
      error = err;
    }
    expect(error).to.equal(stop);
    const half = await findDecisionImport(keyOf(head));
    expect(half).to.include({ state: 'committing', running: false, steps: 11 });
    expect(await findProducerByRegistration(shared.registration_number!), 'a producer written before the stop').not.to.equal(null);
    expect(half?.stepsDone, 'written, but not yet counted').to.equal(0);
    expect(await findProductByGtin(gtin14(rows[0]!.gtin!)), 'a product after the stop').to.equal(null);

    // The office sees it interrupted, with a way on; uploading the file again leads there too.
    const again = await upload(office, file);
    expect(again.status).to.equal(303);
    const page = await office.get(again.headers.location!).expect(200);
    expect(page.text).to.include('Interrupted');
    const resume = /<form method="post" action="([^"]+\/resume[^"]*)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    await office.post(resume).type('form').send({ _csrf: formToken(page.text) }).expect(303);

    const done = await findDecisionImport(keyOf(head));
    expect(done).to.include({ state: 'done', stepsDone: 11 });
    expect(done?.figures).to.deep.equal({ producers: 3, products: 4, certifications: 4 });
    for (const row of rows) {
      const product = await findProductByGtin(gtin14(row.gtin!));
      expect(product, `product of ${row.gtin}`).not.to.equal(null);
      expect(await certificationsOf(product!._id)).to.have.length(1);
      expect(await AuditModel.countDocuments({ action: 'product.create', targetId: product!._id })).to.equal(1);
    }
    for (const reg of new Set(rows.map((r) => r.registration_number!))) {
      expect(await AuditModel.countDocuments({ action: 'producer.create', 'details.registrationNumber': reg })).to.equal(1);
    }
  });

  it('when a large commit runs on after the answer, then its page shows the progress and refreshes itself until it is imported', async () => {
    const user = await buildUser('admin');
    const actor: Principal = { keyId: `user:${user.id}`, role: 'admin', producerId: null, userId: user.id };
    const head = newDecision();
    const preview = await previewDecision(actor, decisionCsv([decisionRow(head), decisionRow(head)]), 'qd.csv');
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    // Held after the second step, as a commit of thousands of rows is still going when its page is opened.
    await commitDraft(actor, (preview as { draftId: string }).draftId, { waitUpTo: 0, hooks: { afterStep: (n) => (n === 2 ? held : undefined) } });
    const href = `/office/decisions/${encodeURIComponent(keyOf(head))}?lang=en`;
    const during = await office.get(href).expect(200);
    expect(during.text).to.include('Being written');
    expect(during.text).to.match(/[0-2] of 6 steps written/);
    expect(during.text).to.include('/static/decision-progress.js');
    expect(during.text, 'a running import offers no resume').not.to.include('id="resume"');
    const list = await office.get('/office/decisions?lang=en').expect(200);
    expect(list.text, 'the list leads back to it').to.include(encodeURIComponent(keyOf(head)));
    release();
    await decisionImportSettled(keyOf(head));
    const after = await office.get(href).expect(200);
    expect(after.text).to.include('Imported');
    expect(after.text).not.to.include('decision-progress.js');
    expect(after.text).to.match(/id="figure-certifications">2</);
  });

  it('when the commit form is sent twice, or two commits of one decision run at once, then the decision is imported once', async () => {
    const head = newDecision();
    const rows = [decisionRow(head), decisionRow(head), decisionRow(head)];
    const preview = await upload(office, decisionCsv(rows));
    const draft = /name="draft" value="([^"]+)"/.exec(preview.text)![1]!;
    const form = { _csrf: formToken(preview.text), draft };
    const [a, b] = await Promise.all([
      office.post('/office/decisions/commit?lang=en').type('form').send(form),
      office.post('/office/decisions/commit?lang=en').type('form').send(form),
    ]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    const again = await office.post('/office/decisions/commit?lang=en').type('form').send(form).expect(303);
    expect(again.headers.location, 'a third click shows the import made by the first').to.include('earlier=1');
    expect(await findDecisionImport(keyOf(head))).to.include({ state: 'done' });
    for (const row of rows) {
      const product = await findProductByGtin(gtin14(row.gtin!));
      expect(await certificationsOf(product!._id)).to.have.length(1);
      expect(await AuditModel.countDocuments({ action: 'product.create', targetId: product!._id })).to.equal(1);
    }
  });

  it('when the ministry decides five stars, then the national office imports it; a province\'s admin may not, nor another province\'s decision', async () => {
    const head = { ...newDecision(), authority_level: 'ministry', province: '' };
    head.decision_number = head.decision_number.replace('UBND', 'BNN');
    const row = decisionRow(head, { stars: '5', score: '93' });
    const provincial = (await logIn(app, await buildUser('admin', { province: '79' }))).browser;
    const refused = await upload(provincial, decisionCsv([row]));
    expect(refused.status).to.equal(422);
    expect(rowHtml(refused.text, 2)).to.include('Outside your scope');
    const hanoi = await upload(provincial, decisionCsv([decisionRow(newDecision())]));
    expect(rowHtml(hanoi.text, 2)).to.include('Outside your scope');

    const result = await importFile(decisionCsv([row]));
    expect(result.text).to.match(/id="figure-certifications">1</);
    const product = await findProductByGtin(gtin14(row.gtin!));
    const [cert] = await certificationsOf(product!._id);
    expect(cert).to.include({ stars: 5 });
    expect(cert?.authority.level).to.equal('ministry');
  });

  it('when a producer or an inspector opens the import, then it is refused (403) and their upload writes nothing', async () => {
    const producer = await buildProducer();
    for (const user of [await buildUser('producer', { producerId: producer._id }), await buildUser('inspector', { provinces: ['01'] })]) {
      const { browser } = await logIn(app, user);
      await browser.get('/office/decisions').expect(403);
      const account = await browser.get('/account').expect(200);
      const head = newDecision();
      const row = decisionRow(head);
      await browser.post(`/office/decisions/preview?_csrf=${encodeURIComponent(formToken(account.text))}`).attach('file', decisionCsv([row]), 'qd.csv').expect(403);
      expect(await findDecisionImport(keyOf(head))).to.equal(null);
    }
  });

  it('when an upload carries no CSRF token, then it is refused (403)', async () => {
    const res = await office.post('/office/decisions/preview').attach('file', decisionCsv([decisionRow(newDecision())]), 'qd.csv');
    expect(res.status).to.equal(403);
    const page = await office.get('/office/decisions').expect(200);
    await office.post('/office/decisions/commit').type('form').send({ draft: 'aaaaaaaaaa' }).expect(403);
    expect(formToken(page.text)).to.be.a('string');
  });

  it('when the file is larger than 2 MB, then it is refused (413) with a message saying so', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024 + 10, 'a');
    const res = await upload(office, big);
    expect(res.status).to.equal(413);
    expect(res.text).to.include('The file is too large (at most 2 MB)');
  });

  it('when the file is not UTF-8, then the page says how to save it from Excel (400)', async () => {
    const res = await upload(office, Buffer.from([0x64, 0x65, 0xe0, 0x2c, 0x0a, 0xff, 0xfe]));
    expect(res.status).to.equal(400);
    expect(res.text).to.include('CSV UTF-8');
  });

  it('when the example file offered on the page is previewed, then every row is valid', async () => {
    const page = await office.get('/office/decisions').expect(200);
    expect(page.text).to.include('href="/static/decision-example.csv"');
    await request(app).get('/static/decision-example.csv').expect(200);
    const res = await upload(office, readFileSync('public/decision-example.csv'));
    // Imported earlier in this database (a 303 to its result) or valid now.
    expect([200, 303]).to.include(res.status);
    if (res.status === 200) expect(res.text).to.include('id="preview-ready"');
  });

  it('when no one is logged in, then the page shows the login form', async () => {
    const res = await request(app).get('/office/decisions').set('Accept', 'text/html');
    expect(res.status).to.equal(401);
    expect(res.text).to.include('name="password"');
  });
});
