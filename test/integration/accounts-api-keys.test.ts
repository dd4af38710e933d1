import { expect } from 'chai';
import request from 'supertest';
import { ApiKeyModel } from '../../src/accounts/api-key.model.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildProducer } from '../support/kit.js';

describe('accounts: API keys', () => {
  const app = buildTestApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  it('when an admin makes a producer key, then the key is shown once, works for its producer and is stored only hashed', async () => {
    const producer = await buildProducer();
    const res = await request(app)
      .post('/api/v1/api-keys')
      .set(bearer(admin))
      .send({ role: 'producer', producerId: producer._id, label: 'HTX printer' })
      .expect(201);
    expect(res.body.key).to.match(/^ok_\w{12}_\w{40}$/);
    expect(res.body).to.include({ role: 'producer', producerId: producer._id, label: 'HTX printer' });
    const stored = await ApiKeyModel.findById(res.body.id).lean();
    expect(JSON.stringify(stored)).not.to.contain(res.body.key.split('_')[2]);

    const list = await request(app).get('/api/v1/api-keys').set(bearer(admin)).expect(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === res.body.id);
    expect(listed).to.not.have.property('key');

    // The producer key may list its own batches but not make keys.
    await request(app).get('/api/v1/batches').set(bearer(res.body.key)).expect(200);
    const denied = await request(app).post('/api/v1/api-keys').set(bearer(res.body.key)).send({ role: 'admin', label: 'x' }).expect(403);
    expect(denied.body.error.code).to.equal('auth/forbidden');
  });

  it('when a producer key names no producer, or a non-producer key names one, then it is refused and nothing is stored', async () => {
    const before = await ApiKeyModel.countDocuments();
    const a = await request(app).post('/api/v1/api-keys').set(bearer(admin)).send({ role: 'producer', label: 'no owner' }).expect(400);
    expect(a.body.error.message).to.contain('producerId');
    const producer = await buildProducer();
    await request(app).post('/api/v1/api-keys').set(bearer(admin)).send({ role: 'inspector', producerId: producer._id, label: 'x' }).expect(400);
    const c = await request(app).post('/api/v1/api-keys').set(bearer(admin)).send({ role: 'producer', producerId: 'zzzzzzzzzz', label: 'x' }).expect(404);
    expect(c.body.error.code).to.equal('producer/not_found');
    expect(await ApiKeyModel.countDocuments()).to.equal(before);
  });

  it('when a key is revoked, then it stops working at once and cannot be revoked twice', async () => {
    const made = await request(app).post('/api/v1/api-keys').set(bearer(admin)).send({ role: 'inspector', label: 'market team 3' }).expect(201);
    await request(app).post(`/api/v1/api-keys/${made.body.id}/revoke`).set(bearer(admin)).expect(200);
    const after = await request(app).get('/api/v1/api-keys').set(bearer(made.body.key)).expect(401);
    expect(after.body.error.code).to.equal('auth/unauthorized');
    const again = await request(app).post(`/api/v1/api-keys/${made.body.id}/revoke`).set(bearer(admin)).expect(409);
    expect(again.body.error.code).to.equal('api_key/already_revoked');
  });
});
