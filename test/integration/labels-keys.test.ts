import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditModel } from '../../src/audit/audit.model.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { recordChange } from '../../src/changes/changes.service.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildLabelledBatch } from '../support/kit.js';

type KeyItem = { kid: string; shortKid: string; status: string; canSignHere: boolean };

describe('signing key administration', () => {
  // Its own key folder, so rotating here never touches the key file other tests sign with.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-keys-'));
  const app = buildTestApp({ DATA_DIR: dataDir });
  let adminKey: string;
  let activeBefore: string[] = [];

  before(async () => {
    adminKey = await apiKeyFor('admin');
    await request(app).get('/api/v1/keys').set(bearer(adminKey)).expect(200); // registers this folder's key
    activeBefore = (await SigningKeyModel.find({ status: 'active' }).lean()).map((k) => k._id);
  });

  after(async () => {
    // Statuses are shared by every instance using the database: give the rest of the
    // suite back the keys it signs with.
    const mine = (await request(app).get('/api/v1/keys').set(bearer(adminKey))).body.items as KeyItem[];
    const here = mine.filter((k) => k.canSignHere).map((k) => k.kid);
    await SigningKeyModel.updateMany({ _id: { $in: activeBefore.filter((k) => !here.includes(k)) } }, { $set: { status: 'active', retiredAt: null } });
    await SigningKeyModel.updateMany({ _id: { $in: here }, status: 'active' }, { $set: { status: 'retired', retiredAt: new Date() } });
    // Written behind the service's back: tell every keyring of this process, as a change would.
    await recordChange({ kind: 'key', id: '' });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const list = async () => (await request(app).get('/api/v1/keys').set(bearer(adminKey)).expect(200)).body.items as KeyItem[];

  it('when an admin lists keys, then each shows its full kid, the 8-character prefix and its status; a producer key gets 403', async () => {
    const items = await list();
    const signer = items.find((k) => k.canSignHere && k.status === 'active');
    expect(signer?.kid).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(signer?.shortKid).to.equal(signer?.kid.slice(0, 8));
    const producerKey = await apiKeyFor('producer', (await buildLabelledBatch()).producer._id);
    await request(app).get('/api/v1/keys').set(bearer(producerKey)).expect(403);
    await request(app).post('/api/v1/keys/rotate').set(bearer(producerKey)).expect(403);
  });

  it('when an admin rotates, then the new key signs new labels and the previous one is retired but still listed', async () => {
    const before = (await list()).find((k) => k.canSignHere && k.status === 'active')!;
    const res = await request(app).post('/api/v1/keys/rotate').set(bearer(adminKey)).expect(201);
    expect(res.body.kid).to.not.equal(before.kid);
    const after = await list();
    expect(after.find((k) => k.kid === before.kid)?.status).to.equal('retired');
    expect(after.find((k) => k.kid === res.body.kid)?.status).to.equal('active');
    expect(await AuditModel.countDocuments({ action: 'signing_key.rotate', targetId: res.body.kid })).to.equal(1);

    const { producer, batch } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const run = await request(app)
      .post(`/api/v1/batches/${batch._id}/label-runs`)
      .set(bearer(key))
      .set('Idempotency-Key', randomUUID())
      .send({ count: 2 })
      .expect(201);
    const kids = await LabelModel.distinct('kid', { runId: run.body.id });
    expect(kids).to.deep.equal([res.body.kid.slice(0, 8)]);
  });

  it('when an admin revokes a key, then a reason is required and the key is listed as revoked', async () => {
    const retired = (await list()).find((k) => k.canSignHere && k.status === 'retired')!;
    const noReason = await request(app).post(`/api/v1/keys/${retired.shortKid}/revoke`).set(bearer(adminKey)).send({}).expect(400);
    expect(noReason.body.error.message).to.contain('reason');
    await request(app)
      .post(`/api/v1/keys/${retired.shortKid}/revoke`)
      .set(bearer(adminKey))
      .send({ reason: 'backup of the key file went missing' })
      .expect(200);
    expect((await list()).find((k) => k.kid === retired.kid)?.status).to.equal('revoked');
    const again = await request(app).post(`/api/v1/keys/${retired.kid}/revoke`).set(bearer(adminKey)).send({ reason: 'again' }).expect(409);
    expect(again.body.error.code).to.equal('key/already_revoked');
    const unknown = await request(app).post('/api/v1/keys/ZZZZZZZZ/revoke').set(bearer(adminKey)).send({ reason: 'nope' }).expect(404);
    expect(unknown.body.error.code).to.equal('key/not_found');
  });
});
