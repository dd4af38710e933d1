import { expect } from 'chai';
import request from 'supertest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { LABELS_PER_PAGE } from '../../src/labels/print/label-layout.js';
import { testDatabaseUri } from '../hooks.js';
import { bearer } from '../support/app.js';
import { issueRunThroughApi } from '../support/kit.js';
import { startBuiltService, type Service } from '../support/service.js';

/**
 * npm start runs the service compiled to dist/, not the sources the other tests load:
 * this builds it and checks, over real HTTP, the parts that differ when compiled (the
 * QR worker thread runs dist's qr-worker.js; views, fonts and data files are found
 * from dist/).
 */
describe('the compiled service (what npm start runs)', function () {
  this.timeout(90_000);
  let service: Service;
  let base: string;

  before(async () => {
    service = await startBuiltService(testDatabaseUri());
    base = `http://127.0.0.1:${service.port}`;
  });

  after(async () => {
    await service?.stop();
  });

  it('when a producer prints a run from it, then the sheet has every page and a label from it reads genuine', async () => {
    const count = LABELS_PER_PAGE * 2 + 1;
    const { key, runId } = await issueRunThroughApi(base, count, { gtin: true });
    const sheet = await request(base).get(`/api/v1/label-runs/${runId}/sheet.pdf`).set(bearer(key)).responseType('blob').expect(200);
    expect(sheet.type).to.equal('application/pdf');
    const pdf = await getDocument({ data: new Uint8Array(sheet.body as Buffer), verbosity: 0 }).promise;
    expect(pdf.numPages).to.equal(3);

    const csv = await request(base).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(key)).expect(200);
    const url = new URL(csv.text.split('\r\n')[1]!.split(',')[2]!);
    const page = await request(base).get(`${url.pathname}${url.search}`).set('Accept', 'text/html').expect(200);
    expect(page.text).to.contain('data-verdict="genuine"');
  });
});
