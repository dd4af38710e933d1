import { expect } from 'chai';
import request from 'supertest';
import { buildProducer, issueRunThroughApi, objectEvent, type EventBatch } from '../support/kit.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { activeLabelsOfRun } from '../../src/labels/runs/labels.service.js';

const INVALID = 'This API key is not valid or has been revoked: send a valid key, or none to read public data.';

describe('policy: who the caller is, and what an inspector may see', () => {
  const app = buildTestApp();
  let run: Awaited<ReturnType<typeof issueRunThroughApi>>;
  let serial: string;
  let inspector: string;
  let stranger: string;

  before(async () => {
    run = await issueRunThroughApi(app, 2, { gtin: true });
    for await (const l of activeLabelsOfRun({ _id: run.runId, count: 2 })) serial ??= l._id;
    inspector = await apiKeyFor('inspector');
    stranger = await apiKeyFor('producer', (await buildProducer())._id);
  });

  it('when an inspector traces a lot, then it reads the batch, its runs and a label, but not the URL that would print a copy', async () => {
    const batch = await request(app).get(`/api/v1/batches/${run.batch._id}`).set(bearer(inspector)).expect(200);
    expect(batch.body.lotCode).to.equal(run.batch.lotCode);
    const runs = await request(app).get(`/api/v1/batches/${run.batch._id}/label-runs`).set(bearer(inspector)).expect(200);
    expect(runs.body.items.map((r: { id: string }) => r.id)).to.include(run.runId);
    const label = await request(app).get(`/api/v1/labels/${serial}`).set(bearer(inspector)).expect(200);
    expect(label.body).to.include({ serial, status: 'active', runId: run.runId, url: null });
    const owner = await request(app).get(`/api/v1/labels/${serial}`).set(bearer(run.key)).expect(200);
    expect(owner.body.url).to.match(/^https:\/\/trace\.example\.vn\/01\//);
    const svg = await request(app).get(`/api/v1/labels/${serial}.svg`).set(bearer(inspector)).expect(403);
    expect(svg.body.error.message).to.contain("Only an admin key or the producer's own key may print");
  });

  it('when an inspector lists batches, then it sees any producer\'s; a producer key naming another producer is refused', async () => {
    const list = await request(app).get(`/api/v1/batches?producer=${run.producer._id}`).set(bearer(inspector)).expect(200);
    expect(list.body.items.map((b: { id: string }) => b.id)).to.deep.equal([run.batch._id]);
    await request(app).get(`/api/v1/batches?producer=${run.producer._id}`).set(bearer(stranger)).expect(403);
  });

  it("when events carry business transactions, then the owner and inspectors see them; another producer's key and the public do not", async () => {
    const w: EventBatch = { producerId: run.producer._id, productId: run.product._id, gtin: run.product.gtin ?? null, batchId: run.batch._id, lot: run.batch.lotCode, expiry: new Date('2027-09-01') };
    const po = [{ type: 'po', bizTransaction: 'urn:ocop:po:HN-2025-0777' }];
    await request(app).post('/api/v1/events').set(bearer(run.key)).send(objectEvent(w, { bizStep: 'shipping', bizTransactionList: po })).expect(201);
    const seen = async (key: string | null) => {
      const req = request(app).get('/api/v1/events').query({ batch: w.batchId });
      const res = await (key ? req.set(bearer(key)) : req).expect(200);
      return res.body.items[0].event.bizTransactionList ?? null;
    };
    expect(await seen(inspector)).to.deep.equal(po);
    expect(await seen(run.key)).to.deep.equal(po);
    expect(await seen(stranger)).to.equal(null);
    expect(await seen(null)).to.equal(null);
  });

  it('when an inspector writes a producer\'s data, then 403 and nothing changes', async () => {
    await request(app).post(`/api/v1/label-runs/${run.runId}/revoke`).set(bearer(inspector)).send({ reason: 'checking' }).expect(403);
    await request(app).post(`/api/v1/labels/${serial}/void`).set(bearer(inspector)).send({}).expect(403);
    const after = await request(app).get(`/api/v1/label-runs/${run.runId}`).set(bearer(inspector)).expect(200);
    expect(after.body.state).to.equal('issued');
  });

  it('when a wrong key is sent to any API route, public or not, then 401 with the same message', async () => {
    for (const url of ['/api/v1/products', '/api/v1/producers', `/api/v1/batches/${run.batch._id}`, '/api/v1/admin-units/provinces']) {
      const res = await request(app).get(url).set(bearer('ok_nonsense')).expect(401);
      expect([res.body.error.code, res.body.error.message], url).to.deep.equal(['auth/unauthorized', INVALID]);
    }
    const basic = await request(app).get('/api/v1/products').set('Authorization', 'Basic dXNlcjpwdw==').expect(401);
    expect(basic.body.error.message).to.equal(INVALID);
  });

  it('when the key comes in X-API-Key instead of Authorization, then it counts the same', async () => {
    await request(app).get(`/api/v1/batches/${run.batch._id}`).set('X-API-Key', inspector).expect(200);
    await request(app).get(`/api/v1/batches/${run.batch._id}`).set('X-API-Key', stranger).expect(403);
  });

  it('when a wrong key reaches the verification page or a probe, then 401 as on the API; a valid key or none is let through', async () => {
    const label = await request(app).get(`/api/v1/labels/${serial}`).set(bearer(run.key)).expect(200);
    const url = new URL(label.body.url as string);
    const page = await request(app).get(url.pathname + url.search).set(bearer('ok_nonsense')).set('Accept', 'application/json').expect(401);
    expect([page.body.error.code, page.body.error.message]).to.deep.equal(['auth/unauthorized', INVALID]);
    const html = await request(app).get(url.pathname + url.search).set('X-API-Key', 'ok_nonsense').set('Accept', 'text/html').expect(401);
    expect(html.type).to.equal('text/html');
    await request(app).get('/healthz').set(bearer('ok_nonsense')).expect(401);
    for (const headers of [bearer(inspector), {}]) {
      const ok = await request(app).get(url.pathname + url.search).set(headers).set('Accept', 'application/json').expect(200);
      expect(ok.body.verdict).to.equal('genuine');
      await request(app).get('/healthz').set(headers).expect(200);
    }
  });
});
