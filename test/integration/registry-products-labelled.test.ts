import { expect } from 'chai';
import request from 'supertest';
import { lockKeysOfLabelledProducts } from '../../src/labels/runs/issue-run.service.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildLabelledBatch, issueRunThroughApi, storeRun, uniqueGtin13 } from '../support/kit.js';

/** Label URLs of a run as the printer file gives them. */
async function printedUrls(app: ReturnType<typeof buildTestApp>, runId: string, key: string): Promise<string[]> {
  const csv = await request(app).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(key)).expect(200);
  return csv.text
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(',')[2]!);
}

async function verdictOf(app: ReturnType<typeof buildTestApp>, url: string): Promise<string> {
  const { pathname, search } = new URL(url);
  const res = await request(app).get(`${pathname}${search}`).set('Accept', 'application/json').expect(200);
  return res.body.verdict as string;
}

describe('registry: a product whose labels are printed keeps the product key they carry', function () {
  this.timeout(60_000);
  const app = buildTestApp();
  let admin: string;

  before(async () => {
    admin = await apiKeyFor('admin');
  });

  it('when labels of a GTIN product were issued, then a new GTIN is refused with 409 and the printed labels still read genuine', async () => {
    const { product, key, runId } = await issueRunThroughApi(app, 3, { gtin: true });
    const urls = await printedUrls(app, runId, key);
    expect(urls).to.have.length(3);
    expect(await verdictOf(app, urls[0]!)).to.equal('genuine');

    const refused = await request(app).patch(`/api/v1/products/${product._id}`).set(bearer(admin)).send({ gtin: uniqueGtin13() }).expect(409);
    expect(refused.body.error.code).to.equal('product/gtin_locked');
    expect(refused.body.error.message).to.include(`GTIN ${product.gtin}`).and.include('new product');
    expect(refused.body.error.title.vi).to.be.a('string').and.not.equal('');

    const removing = await request(app).patch(`/api/v1/products/${product._id}`).set(bearer(admin)).send({ gtin: null }).expect(409);
    expect(removing.body.error.code).to.equal('product/gtin_locked');

    // Everything a label does not carry still changes, and the same GTIN is no change at all.
    const renamed = await request(app)
      .patch(`/api/v1/products/${product._id}`)
      .set(bearer(admin))
      .send({ name: { en: 'Renamed honey' }, gtin: product.gtin })
      .expect(200);
    expect(renamed.body.name.en).to.equal('Renamed honey');
    expect(renamed.body.gtin).to.equal(product.gtin);

    for (const url of urls) expect(await verdictOf(app, url)).to.equal('genuine');
    expect(await printedUrls(app, runId, key)).to.deep.equal(urls);
  });

  it('when labels of a product without a GTIN were issued, then giving it a GTIN is refused: its labels print /p/{id}', async () => {
    const { product, key, runId } = await issueRunThroughApi(app, 1, { gtin: false });
    const [url] = await printedUrls(app, runId, key);
    expect(url).to.include(`/p/${product._id}/`);
    const refused = await request(app).patch(`/api/v1/products/${product._id}`).set(bearer(admin)).send({ gtin: uniqueGtin13() }).expect(409);
    expect(refused.body.error.code).to.equal('product/gtin_locked');
    expect(refused.body.error.message).to.include(`/p/${product._id}`);
    expect(await verdictOf(app, url!)).to.equal('genuine');
  });

  it('when a product has no labels yet, then its GTIN may still change', async () => {
    const { product } = await buildLabelledBatch({ gtin: true });
    const next = uniqueGtin13();
    const res = await request(app).patch(`/api/v1/products/${product._id}`).set(bearer(admin)).send({ gtin: next }).expect(200);
    expect(res.body.gtin).to.equal(next.padStart(14, '0'));
  });

  it('when runs exist from before products recorded their labelling, then the start-up pass locks those products', async () => {
    const fixture = await buildLabelledBatch({ gtin: true });
    await storeRun(fixture); // a run record written directly: the product was never locked
    await lockKeysOfLabelledProducts();
    const refused = await request(app).patch(`/api/v1/products/${fixture.product._id}`).set(bearer(admin)).send({ gtin: uniqueGtin13() }).expect(409);
    expect(refused.body.error.code).to.equal('product/gtin_locked');
  });
});
