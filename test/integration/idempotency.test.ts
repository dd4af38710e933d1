import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import {
  ageIdempotencyKey,
  batchInput,
  buildEventBatch,
  buildLabelledBatch,
  buildProduct,
  epcisDoc,
  leaveLostAnswer,
  leaveRunningAttempt,
  monthsAgo,
  objectEvent,
  producerInput,
  scoreFor,
  uniqueDecisionNumber,
} from '../support/kit.js';
import { createApiKey, newApiKeyId } from '../../src/accounts/api-key.service.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { recordChange } from '../../src/changes/changes.service.js';
import { IDEMPOTENCY_RETENTION_MS, sweepExpiredIdempotencyKeys } from '../../src/idempotency/idempotency.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startBuiltService, type Service } from '../support/service.js';

/**
 * The Idempotency-Key header on creating writes (docs/api.md, "Retrying writes"):
 * a repeat replays the first answer and creates nothing; another body is refused; a
 * concurrent repeat waits; keys are per API key; an API key's secret is never replayed.
 * Records are counted through the API's own lists and reads.
 */
describe('retrying writes with an Idempotency-Key', () => {
  const app = buildTestApp();
  let admin: string;

  before(async () => {
    admin = await apiKeyFor('admin');
  });

  const post = (path: string, key: string, body: unknown, idempotencyKey?: string) => {
    const req = request(app).post(path).set(bearer(key));
    if (idempotencyKey !== undefined) req.set('Idempotency-Key', idempotencyKey);
    return req.send(body as object);
  };

  /** The keys on the first page of GET /api-keys (newest first) with this label. */
  const keysLabelled = async (label: string) => {
    const list = await request(app).get('/api/v1/api-keys').query({ limit: 100 }).set(bearer(admin)).expect(200);
    return (list.body.items as { id: string; label: string }[]).filter((k) => k.label === label);
  };

  const keyBody = (label = `idem ${randomUUID()}`) => ({ role: 'inspector', label });

  it('when a producer is created twice with one key, then the second answer is the first one, marked replayed, and one producer exists', async () => {
    const idem = randomUUID();
    const body = producerInput();
    const first = await post('/api/v1/producers', admin, body, idem).expect(201);
    expect(first.headers['idempotent-replayed']).to.equal(undefined);
    const again = await post('/api/v1/producers', admin, body, idem).expect(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.headers.location).to.equal(first.headers.location);
    expect(again.body).to.deep.equal(first.body);
    const found = await request(app).get('/api/v1/producers').query({ q: body.name as string }).expect(200);
    expect(found.body.page.total).to.equal(1);
  });

  it('when each other creating route is sent twice with one key, then the repeat replays the first answer and only one record is made', async () => {
    const producerKey = async (producerId: string) => apiKeyFor('producer', producerId);
    const product = await buildProduct();
    const world = await buildEventBatch();
    const worldKey = await producerKey(world.producerId);
    const cases: { name: string; key: string; path: string; body: unknown; count: () => Promise<number> }[] = [
      {
        name: 'product',
        key: admin,
        path: '/api/v1/products',
        body: { producerId: product.producerId, name: { vi: `Sản phẩm ${randomUUID()}` }, group: 'food' },
        count: async () => (await request(app).get('/api/v1/products').query({ producer: product.producerId }).expect(200)).body.page.total,
      },
      {
        name: 'certification',
        key: admin,
        path: `/api/v1/products/${product._id}/certifications`,
        body: { stars: 4, score: scoreFor(4), decisionNumber: uniqueDecisionNumber(), decisionDate: monthsAgo(1) },
        count: async () => (await request(app).get('/api/v1/certifications').query({ product: product._id }).expect(200)).body.page.total,
      },
      {
        name: 'batch',
        key: await producerKey(product.producerId),
        path: `/api/v1/products/${product._id}/batches`,
        body: batchInput(),
        count: async () => (await request(app).get('/api/v1/batches').query({ product: product._id }).set(bearer(admin)).expect(200)).body.page.total,
      },
      {
        name: 'event',
        key: worldKey,
        path: '/api/v1/events',
        body: objectEvent(world), // no eventID: the service would give each capture a new one
        count: async () => (await request(app).get('/api/v1/events').query({ batch: world.batchId }).expect(200)).body.items.length,
      },
      {
        name: 'EPCIS document',
        key: worldKey,
        path: '/api/v1/epcis/capture',
        body: epcisDoc([objectEvent(world, { bizStep: 'shipping' }), objectEvent(world, { bizStep: 'receiving' })]),
        count: async () => (await request(app).get('/api/v1/events').query({ batch: world.batchId }).expect(200)).body.items.length,
      },
    ];
    for (const c of cases) {
      const before = await c.count();
      const idem = randomUUID();
      const first = await post(c.path, c.key, c.body, idem);
      expect(first.status, `${c.name}: ${JSON.stringify(first.body)}`).to.equal(201);
      const after = await c.count();
      const again = await post(c.path, c.key, c.body, idem);
      expect(again.status, c.name).to.equal(201);
      expect(again.headers['idempotent-replayed'], c.name).to.equal('true');
      expect(again.body, c.name).to.deep.equal(first.body);
      expect(await c.count(), `${c.name}: nothing more after the repeat`).to.equal(after);
      expect(after, `${c.name}: the first request made it`).to.be.greaterThan(before);
    }
  });

  it('when a signing key rotation is sent twice with one key, then the repeat replays it and one key is added', async () => {
    // Its own key folder, and the statuses given back afterwards, as in labels-keys.test.ts:
    // the rest of the suite signs with the keys that are active now.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-idem-keys-'));
    const keysApp = buildTestApp({ DATA_DIR: dataDir });
    const list = async () => (await request(keysApp).get('/api/v1/keys').set(bearer(admin)).expect(200)).body.items as { kid: string; canSignHere: boolean }[];
    const before = await list(); // registers this folder's key
    const activeBefore = (await SigningKeyModel.find({ status: 'active' }).lean()).map((k) => k._id);
    try {
      const idem = randomUUID();
      const first = await request(keysApp).post('/api/v1/keys/rotate').set(bearer(admin)).set('Idempotency-Key', idem).send({}).expect(201);
      const again = await request(keysApp).post('/api/v1/keys/rotate').set(bearer(admin)).set('Idempotency-Key', idem).send({}).expect(201);
      expect(again.headers['idempotent-replayed']).to.equal('true');
      expect(again.body).to.deep.equal(first.body);
      expect(await list()).to.have.length(before.length + 1);
    } finally {
      const here = (await list()).filter((k) => k.canSignHere).map((k) => k.kid);
      await SigningKeyModel.updateMany({ _id: { $in: activeBefore.filter((k) => !here.includes(k)) } }, { $set: { status: 'active', retiredAt: null } });
      await SigningKeyModel.updateMany({ _id: { $in: here }, status: 'active' }, { $set: { status: 'retired', retiredAt: new Date() } });
      await recordChange({ kind: 'key', id: '' }); // behind the service's back: every keyring here reads statuses again
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when a label run is asked for again with its key, then the answer says it is a replay', async () => {
    const { producer, batch } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const idem = `"${randomUUID()}"`; // the draft's structured-string form
    const first = await post(`/api/v1/batches/${batch._id}/label-runs`, key, { count: 2 }, idem).expect(201);
    const again = await post(`/api/v1/batches/${batch._id}/label-runs`, key, { count: 2 }, idem).expect(200);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.body.id).to.equal(first.body.id);
  });

  it('when one key comes with another body or another path, then 422 idempotency/key_reused and nothing is made', async () => {
    const idem = randomUUID();
    const label = `reused ${randomUUID()}`;
    await post('/api/v1/api-keys', admin, keyBody(label), idem).expect(201);
    const otherBody = await post('/api/v1/api-keys', admin, keyBody(`${label} bis`), idem).expect(422);
    expect(otherBody.body.error.code).to.equal('idempotency/key_reused');
    expect(otherBody.body.error.title.vi).to.be.a('string').and.not.equal('');
    const otherPath = await post('/api/v1/producers', admin, producerInput(), idem).expect(422);
    expect(otherPath.body.error.code).to.equal('idempotency/key_reused');
    expect(await keysLabelled(`${label} bis`)).to.have.length(0);
  });

  it('when ten requests with one key arrive at once, then exactly one key is made and every other answer replays it or says to wait', async () => {
    const idem = randomUUID();
    const body = keyBody();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post('/api/v1/api-keys', admin, body, idem)));
    const made = await keysLabelled(body.label);
    expect(made).to.have.length(1);
    const fresh = answers.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] === undefined);
    expect(fresh).to.have.length(1);
    expect(fresh[0]!.body.id).to.equal(made[0]!.id);
    for (const a of answers.filter((x) => x !== fresh[0])) {
      if (a.status === 409) {
        expect(a.body.error.code).to.equal('idempotency/in_progress');
        expect(Number(a.headers['retry-after'])).to.be.greaterThan(0);
      } else {
        expect(a.status).to.equal(201);
        expect(a.headers['idempotent-replayed']).to.equal('true');
        expect(a.body.id).to.equal(made[0]!.id);
        expect(a.body.key).to.equal(null);
      }
    }
  });

  it('when two callers use the same key value, then each gets its own record and never the other one\'s answer', async () => {
    const idem = randomUUID();
    const otherAdmin = await apiKeyFor('admin');
    const a = await post('/api/v1/api-keys', admin, keyBody('per caller A'), idem).expect(201);
    const b = await post('/api/v1/api-keys', otherAdmin, keyBody('per caller B'), idem).expect(201);
    expect(b.headers['idempotent-replayed']).to.equal(undefined);
    expect(b.body.id).to.not.equal(a.body.id);

    // Two producers, each on its own product, one key value: two batches.
    const [p1, p2] = await Promise.all([buildProduct(), buildProduct()]);
    const [k1, k2] = await Promise.all([apiKeyFor('producer', p1!.producerId), apiKeyFor('producer', p2!.producerId)]);
    const lot = batchInput();
    const one = await post(`/api/v1/products/${p1!._id}/batches`, k1, lot, idem).expect(201);
    const two = await post(`/api/v1/products/${p2!._id}/batches`, k2, lot, idem).expect(201);
    expect(two.headers['idempotent-replayed']).to.equal(undefined);
    expect(two.body.productId).to.equal(p2!._id);
    expect(one.body.id).to.not.equal(two.body.id);
  });

  it('when an API key creation is repeated, then the replay names the key and how to revoke it but holds no secret, and the first secret still works', async () => {
    const idem = randomUUID();
    const body = { role: 'admin', label: `replayed admin ${randomUUID()}` };
    const first = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    const secretKey = first.body.key as string;
    const secret = secretKey.split('_')[2]!;
    const again = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.body).to.include({ id: first.body.id, key: null, keyPrefix: `ok_${first.body.id}_`, label: body.label });
    expect(again.body.notice.vi).to.contain('không thể hiện lại');
    expect(again.body.notice.en).to.contain('cannot be shown again');
    expect(again.body.revoke).to.deep.equal({ method: 'POST', href: `/api/v1/api-keys/${first.body.id}/revoke` });
    expect(JSON.stringify(again.body)).to.not.contain(secret);
    await request(app).get('/api/v1/api-keys').set(bearer(secretKey)).expect(200);
  });

  it('when the first request is refused as invalid, then the same key can be used again with the corrected body', async () => {
    const idem = randomUUID();
    const label = `fixed ${randomUUID()}`;
    const refused = await post('/api/v1/api-keys', admin, { role: 'inspector', label, producerId: 'nope' }, idem).expect(400);
    expect(refused.body.error.code).to.equal('request/invalid');
    const fixed = await post('/api/v1/api-keys', admin, { role: 'inspector', label }, idem).expect(201);
    expect(fixed.headers['idempotent-replayed']).to.equal(undefined);
    expect(fixed.body.key).to.match(/^ok_/);
  });

  it('when a request comes while the first with its key is still running, then 409 idempotency/in_progress with Retry-After', async () => {
    const idem = randomUUID();
    const body = keyBody();
    await leaveRunningAttempt({ apiKey: admin, idempotencyKey: idem, path: '/api/v1/api-keys', body });
    const res = await post('/api/v1/api-keys', admin, body, idem).expect(409);
    expect(res.body.error.code).to.equal('idempotency/in_progress');
    expect(Number(res.headers['retry-after'])).to.be.within(1, 30);
    expect(await keysLabelled(body.label)).to.have.length(0);
  });

  it('when the first attempt made its record but its answer was lost, then the retry answers that record and makes no second one', async () => {
    const idem = randomUUID();
    const body = keyBody();
    const recordId = newApiKeyId();
    await leaveLostAnswer({ apiKey: admin, idempotencyKey: idem, path: '/api/v1/api-keys', body, recordId });
    await createApiKey({ role: 'inspector', label: body.label }, { id: recordId }); // what the first attempt wrote
    const retry = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    expect(retry.headers['idempotent-replayed']).to.equal('true');
    expect(retry.body).to.include({ id: recordId, key: null });
    expect(await keysLabelled(body.label)).to.have.length(1);
    const later = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    expect(later.body).to.deep.equal(retry.body);
  });

  it('when the first attempt ended before its write, then the retry makes the record under the id the key reserved', async () => {
    const idem = randomUUID();
    const body = keyBody();
    const recordId = newApiKeyId();
    await leaveLostAnswer({ apiKey: admin, idempotencyKey: idem, path: '/api/v1/api-keys', body, recordId });
    const retry = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    expect(retry.headers['idempotent-replayed']).to.equal(undefined);
    expect(retry.body.id).to.equal(recordId);
    expect(retry.body.key).to.match(new RegExp(`^ok_${recordId}_`));
    expect(await keysLabelled(body.label)).to.have.length(1);
  });

  it('when a key is older than a day, then it reads as unused, and the sweep deletes it', async () => {
    const idem = randomUUID();
    const body = keyBody();
    await post('/api/v1/api-keys', admin, body, idem).expect(201);
    await ageIdempotencyKey({ apiKey: admin, idempotencyKey: idem }, IDEMPOTENCY_RETENTION_MS + 60_000);
    const later = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    expect(later.headers['idempotent-replayed']).to.equal(undefined);
    expect(await keysLabelled(body.label)).to.have.length(2);

    await ageIdempotencyKey({ apiKey: admin, idempotencyKey: idem }, IDEMPOTENCY_RETENTION_MS + 60_000);
    expect(await sweepExpiredIdempotencyKeys()).to.be.greaterThan(0);
    const afterSweep = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    expect(afterSweep.headers['idempotent-replayed']).to.equal(undefined);
  });

  it('when the header is quoted or bare, then it is one key; when it is malformed, then 400 naming the header', async () => {
    const idem = randomUUID();
    const body = keyBody();
    await post('/api/v1/api-keys', admin, body, `"${idem}"`).expect(201);
    const bare = await post('/api/v1/api-keys', admin, body, idem).expect(201);
    expect(bare.headers['idempotent-replayed']).to.equal('true');
    for (const bad of ['two words', '"unterminated', '""', 'x'.repeat(101)]) {
      const res = await post('/api/v1/api-keys', admin, keyBody(), bad).expect(400);
      expect(res.body.error.code, bad).to.equal('request/invalid');
      expect(res.body.error.details.problems[0].path, bad).to.equal('Idempotency-Key');
    }
  });

  it('when no key is sent, then creating writes work as before and each request creates', async () => {
    const body = keyBody();
    await post('/api/v1/api-keys', admin, body).expect(201);
    await post('/api/v1/api-keys', admin, body).expect(201);
    expect(await keysLabelled(body.label)).to.have.length(2);
  });
});

/**
 * The clients of the three API keys nobody ever saw: they gave up while the database was
 * paused, and the service wrote the keys once it resumed. The service runs in a process of
 * its own on a database of its own (as in database-outage.test.ts), so pausing it touches
 * nothing else. Limits below guard against hangs; they are not speed targets.
 */
describe('a client that gives up while the database is paused', function () {
  this.timeout(120_000);
  const HANG_MS = 15_000;
  /** How long the client waits: far less than the service's 5 s database limit, so the service is still waiting when it gives up. */
  const CLIENT_WAITS_MS = 300;
  let db: TestDatabase;
  let service: Service;
  let base: string;
  let admin: string;
  const pause = () => db.pause();
  const resume = () => db?.resume();

  before(async () => {
    db = await createTestDatabase('ocop_idem');
    service = await startBuiltService(db.uri);
    base = `http://127.0.0.1:${service.port}`;
    // The bootstrap admin key an empty database starts with, printed once.
    admin = /ok_[0-9A-Za-z]{12}_[0-9A-Za-z]{40}/.exec(service.output())?.[0] ?? '';
    expect(admin, 'the service printed its bootstrap admin key').to.not.equal('');
  });

  after(async () => {
    resume();
    await service?.stop();
    await db?.drop();
  });

  afterEach(resume);

  const createKey = (body: object, idempotencyKey?: string) => {
    const req = request(base).post('/api/v1/api-keys').set(bearer(admin));
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    return req.send(body);
  };
  const giveUp = (req: request.Test) =>
    req.timeout(CLIENT_WAITS_MS).then(
      (res) => `answered ${res.status}`,
      (err: { timeout?: number }) => (err.timeout ? 'gave up' : String(err)),
    );

  it('when clients give up before the service writes, then nothing is written once the database resumes, and a retry with the key creates the key once', async () => {
    await request(base).get('/readyz').timeout(HANG_MS).expect(200);
    const plain = { role: 'inspector', label: `gave up without a key ${randomUUID()}` };
    const keyed = { role: 'inspector', label: `gave up with a key ${randomUUID()}` };
    const idem = randomUUID();

    pause();
    expect(await Promise.all([giveUp(createKey(plain)), giveUp(createKey(keyed, idem))])).to.deep.equal(['gave up', 'gave up']);
    const skipped = service.waitForOutput(/(client disconnected before the write[\s\S]*){2}/, HANG_MS);
    resume();
    // Both requests went on once the database answered, reached their write, and skipped it.
    await skipped;

    const retry = await createKey(keyed, idem).timeout(HANG_MS).expect(201);
    expect(retry.headers['idempotent-replayed'], 'the abandoned request neither claimed the key nor made the record').to.equal(undefined);
    const again = await createKey(keyed, idem).timeout(HANG_MS).expect(201);
    expect(again.body).to.include({ id: retry.body.id, key: null });

    const list = await request(base).get('/api/v1/api-keys').query({ limit: 100 }).set(bearer(admin)).timeout(HANG_MS).expect(200);
    const labels = (list.body.items as { label: string }[]).map((k) => k.label);
    expect(labels.filter((l) => l === plain.label), 'the key whose client gave up was never made').to.have.length(0);
    expect(labels.filter((l) => l === keyed.label)).to.have.length(1);
  });
});
