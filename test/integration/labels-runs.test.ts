import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AuditModel } from '../../src/audit/audit.model.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { verifyCanonical } from '../../src/labels/signing/key-crypto.js';
import { canonicalLabelString, type ProductKey } from '../../src/labels/format/label-url.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { issueLabelRun } from '../../src/labels/runs/issue-run.service.js';
import { newSerial } from '../../src/labels/format/serial.js';
import { apiKeyFor, bearer, buildTestApp, testConfig } from '../support/app.js';
import { buildInterruptedRun, buildLabelledBatch, storeRun } from '../support/kit.js';

describe('label runs', () => {
  const app = buildTestApp();
  const keyring = Keyring.open(testConfig());
  let adminKey: string;

  before(async () => {
    adminKey = await apiKeyFor('admin');
  });

  const issue = (batchId: string, count: unknown, key: string, idempotencyKey: string | null = randomUUID()) => {
    const req = request(app).post(`/api/v1/batches/${batchId}/label-runs`).set(bearer(key));
    if (idempotencyKey !== null) req.set('Idempotency-Key', idempotencyKey);
    return req.send({ count });
  };

  /** Every stored label of the run verifies against the keyring's key named on it. */
  async function expectSignedLabels(runId: string, lot: string, product: ProductKey) {
    const labels = await LabelModel.find({ runId }).sort({ seq: 1 }).lean();
    for (const l of labels) {
      const key = await keyring.findByShortKid(l.kid);
      expect(key, `key ${l.kid}`).to.exist;
      const canonical = canonicalLabelString({ product, lot, serial: l._id, stars: l.stars, validUntil: l.validUntil, kid: l.kid });
      expect(verifyCanonical(key!, canonical, l.sig), `label ${l.seq}`).to.equal(true);
    }
    return labels;
  }

  it('when a producer issues a run for its batch, then it gets an issued run of signed labels with serials of 16 look-alike-free characters', async () => {
    const { producer, product, certification, batch } = await buildLabelledBatch({ stars: 4 });
    const key = await apiKeyFor('producer', producer._id);
    const res = await issue(batch._id, 25, key).expect(201);
    expect(res.body).to.include({ batchId: batch._id, productId: product._id, count: 25, state: 'issued' });
    expect(res.body.links.sheetPdf).to.equal(`/api/v1/label-runs/${res.body.id}/sheet.pdf`);
    expect(res.body.links.labelsCsv).to.equal(`/api/v1/label-runs/${res.body.id}/labels.csv`);
    expect(res.body.links.labelsZpl).to.equal(`/api/v1/label-runs/${res.body.id}/labels.zpl`);

    const labels = await expectSignedLabels(res.body.id, batch.lotCode, { kind: 'product', productId: product._id });
    expect(labels.map((l) => l.seq)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(new Set(labels.map((l) => l._id)).size).to.equal(25);
    for (const l of labels) {
      expect(l._id).to.match(/^[34679ACDEFGHJKMNPQRTUVWXY]{16}$/);
      expect(l.stars).to.equal(4);
      expect(l.validUntil).to.equal(certification!.validUntil.toISOString().slice(2, 10).replace(/-/g, ''));
    }
    const got = await request(app).get(`/api/v1/label-runs/${res.body.id}`).set(bearer(key)).expect(200);
    expect(got.body.state).to.equal('issued');
    const list = await request(app).get(`/api/v1/batches/${batch._id}/label-runs`).set(bearer(key)).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).to.deep.equal([res.body.id]);
    expect(await AuditModel.countDocuments({ targetType: 'label_run', targetId: res.body.id, action: 'label_run.issue' })).to.equal(1);
  });

  it('when the same Idempotency-Key and body are sent again, then the same run comes back with 200 and no labels are added', async () => {
    const { batch } = await buildLabelledBatch();
    const idem = randomUUID();
    const first = await issue(batch._id, 10, adminKey, idem).expect(201);
    const again = await issue(batch._id, 10, adminKey, idem).expect(200);
    expect(again.body.id).to.equal(first.body.id);
    expect(await LabelModel.countDocuments({ runId: first.body.id })).to.equal(10);
    expect(await LabelRunModel.countDocuments({ batchId: batch._id })).to.equal(1);
  });

  it('when the same Idempotency-Key comes with another count, then 409 run/idempotency_conflict and nothing changes', async () => {
    const { batch } = await buildLabelledBatch();
    const idem = randomUUID();
    const first = await issue(batch._id, 3, adminKey, idem).expect(201);
    const res = await issue(batch._id, 4, adminKey, idem).expect(409);
    expect(res.body.error.code).to.equal('run/idempotency_conflict');
    expect(await LabelModel.countDocuments({ runId: first.body.id })).to.equal(3);
  });

  it('when two requests with one Idempotency-Key race, then both get the same run and it has exactly count labels', async () => {
    const { batch } = await buildLabelledBatch({ batch: { quantity: 3000 } });
    const idem = randomUUID();
    const [a, b] = await Promise.all([issue(batch._id, 3000, adminKey, idem), issue(batch._id, 3000, adminKey, idem)]);
    expect([a.status, b.status].every((s) => s === 200 || s === 201), `${a.status} ${b.status}`).to.equal(true);
    expect(a.body.id).to.equal(b.body.id);
    expect(a.body.state).to.equal('issued');
    expect(await LabelRunModel.countDocuments({ batchId: batch._id })).to.equal(1);
    expect(await LabelModel.countDocuments({ runId: a.body.id })).to.equal(3000);
  });

  it('when a run was interrupted half-way, then a retry with its key completes it to exactly count labels and issues it', async () => {
    const fixture = await buildLabelledBatch({ gtin: true });
    const { batch } = fixture;
    const idem = randomUUID();
    // Positions 1–15 and 30 made it before the crash (an unordered chunk can leave holes).
    const survivingSeqs = [...Array.from({ length: 15 }, (_, i) => i + 1), 30];
    const { runId, survivors: before } = await buildInterruptedRun(fixture, { count: 40, idempotencyKey: idem, survivingSeqs, signer: await keyring.signingKey() });

    const res = await issue(batch._id, 40, adminKey, idem).expect(201);
    expect(res.body).to.include({ id: runId, state: 'issued', count: 40 });
    const labels = await LabelModel.find({ runId: res.body.id }).sort({ seq: 1 }).lean();
    expect(labels.map((l) => l.seq)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
    // The survivors were kept, not replaced.
    const kept = new Map(labels.map((l) => [l.seq, l._id]));
    for (const b of before) expect(kept.get(b.seq)).to.equal(b._id);
    expect(await AuditModel.countDocuments({ targetId: res.body.id, action: 'label_run.resume' })).to.equal(1);
    // Its print pages hold every label, the survivors as they were written.
    const csv = (await request(app).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(adminKey)).expect(200)).text;
    expect(csv.trim().split('\r\n').slice(1).map((line) => line.split(',')[1])).to.deep.equal(labels.map((l) => l._id));
  });

  it('when a new serial collides with an existing label, then only that label gets another serial and the run is complete', async () => {
    const { batch } = await buildLabelledBatch();
    const other = await buildLabelledBatch();
    const first = await issue(other.batch._id, 1, adminKey).expect(201);
    const taken = (await LabelModel.findOne({ runId: first.body.id }).lean())!._id;
    const serials = [taken, taken];
    const { run } = await issueLabelRun(
      systemPrincipal,
      { batchId: batch._id, count: 5, idempotencyKey: randomUUID() },
      { keyring, newSerial: () => serials.shift() ?? newSerial() },
    );
    const labels = await LabelModel.find({ runId: run._id }).lean();
    expect(run.state).to.equal('issued');
    expect(labels).to.have.length(5);
    expect(labels.map((l) => l._id)).not.to.include(taken);
    expect((await LabelModel.findById(taken).lean())!.runId).to.equal(first.body.id);
  });

  it('when a run asks for more labels than the batch has packages plus spares, then 409 run/count_exceeds_batch says how many fit and nothing is stored', async () => {
    const { batch } = await buildLabelledBatch({ batch: { quantity: 48, unit: 'jar' } });
    const res = await issue(batch._id, 500, adminKey).expect(409);
    expect(res.body.error.code).to.equal('run/count_exceeds_batch');
    // 48 jars + max(2, 5 % of 48 = 2.4 → 3) spares.
    expect(res.body.error.details).to.deep.equal({ quantity: 48, unit: 'jar', allowance: 51, alreadyIssued: 0, available: 51 });
    expect(res.body.error.message).to.contain('at most 51 labels').and.contain('issue at most 51');
    expect(res.body.error.title.vi).to.contain('dự phòng');
    expect(await LabelRunModel.countDocuments({ batchId: batch._id })).to.equal(0);
    await issue(batch._id, 52, adminKey).expect(409);
    await issue(batch._id, 51, adminKey).expect(201);
    const more = await issue(batch._id, 1, adminKey).expect(409);
    expect(more.body.error.details).to.include({ alreadyIssued: 51, available: 0 });
  });

  it('when a batch already has runs, then pending and issued runs count toward its allowance and a revoked one frees its labels', async () => {
    const fixture = await buildLabelledBatch({ batch: { quantity: 10, unit: 'box' } }); // 10 + 2 spares
    const { batch } = fixture;
    await storeRun(fixture, { state: 'pending', count: 4 });
    await storeRun(fixture, { state: 'revoked', count: 100 });
    const first = await issue(batch._id, 5, adminKey).expect(201);
    const over = await issue(batch._id, 4, adminKey).expect(409);
    expect(over.body.error.details).to.deep.equal({ quantity: 10, unit: 'box', allowance: 12, alreadyIssued: 9, available: 3 });
    await request(app).post(`/api/v1/label-runs/${first.body.id}/revoke`).set(bearer(adminKey)).send({ reason: 'printed on the wrong roll' }).expect(200);
    await issue(batch._id, 8, adminKey).expect(201);
    expect(await LabelRunModel.countDocuments({ batchId: batch._id, state: { $ne: 'revoked' } })).to.equal(2); // the pending 4 and the 8
  });

  it('when runs of one batch are asked for at the same moment, then together they never exceed its allowance', async () => {
    const { batch } = await buildLabelledBatch({ batch: { quantity: 20, unit: 'bottle' } }); // 20 + 2 spares
    const answers = await Promise.all(Array.from({ length: 8 }, () => issue(batch._id, 10, adminKey)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409), statuses.join(' ')).to.equal(true);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.code).to.equal('run/count_exceeds_batch');
    const live = await LabelRunModel.find({ batchId: batch._id, state: { $ne: 'revoked' } }).lean();
    expect(live.reduce((n, r) => n + r.count, 0)).to.be.at.most(22);
    expect(live.every((r) => r.state === 'issued')).to.equal(true);
    expect(await LabelModel.countDocuments({ batchId: batch._id })).to.equal(live.length * 10);
    // Once the race is over, what is left can be issued.
    const left = 22 - live.length * 10;
    if (left > 0) await issue(batch._id, left, adminKey).expect(201);
  });

  it('when a batch is recorded by weight, then its runs are not bounded by its quantity', async () => {
    const { batch } = await buildLabelledBatch({ batch: { quantity: 12.5, unit: 'kg' } });
    await issue(batch._id, 40, adminKey).expect(201);
  });

  for (const state of ['none', 'expired', 'revoked'] as const) {
    const code = { none: 'run/no_certification', expired: 'run/certification_expired', revoked: 'run/certification_revoked' }[state];
    it(`when the product's certification is ${state === 'none' ? 'missing' : state}, then 422 ${code} and nothing is stored`, async () => {
      const { batch } = await buildLabelledBatch({ certification: state });
      const res = await issue(batch._id, 5, adminKey).expect(422);
      expect(res.body.error.code).to.equal(code);
      expect(await LabelRunModel.countDocuments({ batchId: batch._id })).to.equal(0);
      expect(await LabelModel.countDocuments({ batchId: batch._id })).to.equal(0);
    });
  }

  it("when a producer key asks for a run on another producer's batch, then 403 and nothing is stored", async () => {
    const { batch } = await buildLabelledBatch();
    const stranger = await buildLabelledBatch();
    const key = await apiKeyFor('producer', stranger.producer._id);
    const res = await issue(batch._id, 5, key).expect(403);
    expect(res.body.error.code).to.equal('auth/forbidden');
    expect(await LabelRunModel.countDocuments({ batchId: batch._id })).to.equal(0);
  });

  it('when count is 0 or 100001 or the Idempotency-Key is missing, then 400 with a message saying what to fix', async () => {
    const { batch } = await buildLabelledBatch();
    const zero = await issue(batch._id, 0, adminKey).expect(400);
    expect(zero.body.error.message).to.contain('count');
    const tooMany = await issue(batch._id, 100_001, adminKey).expect(400);
    expect(tooMany.body.error.message).to.contain('at most 100000');
    const noKey = await issue(batch._id, 5, adminKey, null).expect(400);
    expect(noKey.body.error.code).to.equal('run/idempotency_key_required');
    const longKey = await issue(batch._id, 5, adminKey, 'k'.repeat(101)).expect(400);
    expect(longKey.body.error.message).to.contain('at most 100 characters');
    expect(await LabelRunModel.countDocuments({ batchId: batch._id })).to.equal(0);
  });

  it('when a label is voided, then it reads void and cannot be voided or printed again; the rest of the run stays printable', async () => {
    const { producer, batch } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const run = await issue(batch._id, 3, key).expect(201);
    const [a, b] = await LabelModel.find({ runId: run.body.id }).sort({ seq: 1 }).lean();
    const res = await request(app).post(`/api/v1/labels/${a!._id}/void`).set(bearer(key)).send({ reason: 'torn in the printer' }).expect(200);
    expect(res.body).to.include({ serial: a!._id, status: 'void', statusReason: 'torn in the printer' });
    const twice = await request(app).post(`/api/v1/labels/${a!._id}/void`).set(bearer(key)).send({}).expect(409);
    expect(twice.body.error.code).to.equal('label/not_active');
    await request(app).get(`/api/v1/labels/${a!._id}.svg`).set(bearer(key)).expect(409);
    await request(app).get(`/api/v1/labels/${b!._id}.svg`).set(bearer(key)).expect(200);
    expect(await AuditModel.countDocuments({ targetType: 'label', targetId: a!._id, action: 'label.void' })).to.equal(1);
  });

  it('when a run is revoked, then it reads revoked, its outputs are refused and a second revoke is a conflict', async () => {
    const { producer, batch } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const run = await issue(batch._id, 2, key).expect(201);
    await request(app).post(`/api/v1/label-runs/${run.body.id}/revoke`).set(bearer(key)).send({}).expect(400);
    const res = await request(app)
      .post(`/api/v1/label-runs/${run.body.id}/revoke`)
      .set(bearer(key))
      .send({ reason: 'roll of labels stolen from the warehouse' })
      .expect(200);
    expect(res.body).to.include({ state: 'revoked', revokedReason: 'roll of labels stolen from the warehouse' });
    expect(res.body.links.sheetPdf).to.equal(null);
    for (const output of ['sheet.pdf', 'sheet.pdf?format=roll', 'labels.zpl', 'labels.csv']) {
      const refused = await request(app).get(`/api/v1/label-runs/${run.body.id}/${output}`).set(bearer(key)).expect(409);
      expect(refused.body.error.code, output).to.equal('run/not_printable');
    }
    const again = await request(app).post(`/api/v1/label-runs/${run.body.id}/revoke`).set(bearer(key)).send({ reason: 'again' }).expect(409);
    expect(again.body.error.code).to.equal('run/already_revoked');
  });
});
