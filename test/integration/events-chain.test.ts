import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { CaptureModel } from '../../src/events/capture/capture.model.js';
import { healStaleCaptures } from '../../src/events/capture/capture.service.js';
import { EventModel } from '../../src/events/chain/event.model.js';
import { linkHash } from '../../src/events/chain/chain.js';
import { buildEventBatch, buildStalledCapture, epcisDoc, objectEvent, type EventBatch } from '../support/kit.js';

describe('events: the per-batch hash chain', () => {
  const app = buildTestApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  const captureDays = async (w: EventBatch, days: number) => {
    const events = Array.from({ length: days }, (_, i) => objectEvent(w, { eventTime: `2025-05-${String(i + 1).padStart(2, '0')}T09:00:00+07:00` }));
    await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc(events)).expect(201);
  };
  // As an admin: recomputed on request (an anonymous check may be up to a minute old, see below).
  const verify = async (w: EventBatch) => (await request(app).get(`/api/v1/batches/${w.batchId}/events/verify`).set(bearer(admin)).expect(200)).body;

  it('when nothing was altered, then the chain check passes and counts every event', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 4);
    const report = await verify(w);
    expect(report).to.include({ ok: true, count: 4, batchId: w.batchId });
    expect(report.tipHash).to.match(/^[0-9a-f]{64}$/);
  });

  it('when a stored event is edited in the database, then the check names that link as a hash mismatch', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 4);
    const victim = await EventModel.findOne({ batchId: w.batchId, seq: 2 }).lean();
    const edited = JSON.parse(victim!.body) as Record<string, unknown>;
    edited.disposition = 'non_conformant';
    await EventModel.collection.updateOne({ _id: victim!._id } as never, { $set: { body: JSON.stringify(edited) } });
    const report = await verify(w);
    expect(report.ok).to.equal(false);
    expect(report.brokenAt).to.deep.include({ seq: 2, eventID: victim!.eventID, reason: 'hash_mismatch' });
  });

  it('when an event is edited and re-hashed to cover the edit, then the next link no longer points to it', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 3);
    const victim = (await EventModel.findOne({ batchId: w.batchId, seq: 1 }).lean())!;
    const edited = { ...(JSON.parse(victim.body) as Record<string, unknown>), eventTime: '2025-05-09T09:00:00+07:00' };
    const hash = linkHash({ batchId: w.batchId, seq: 1, prevHash: victim.prevHash, event: edited });
    await EventModel.collection.updateOne(
      { batchId: w.batchId, seq: 1 },
      { $set: { body: JSON.stringify(edited), hash, eventTime: new Date(edited.eventTime) } },
    );
    const report = await verify(w);
    expect(report.brokenAt).to.deep.include({ seq: 2, reason: 'prev_hash_mismatch' });
  });

  it('when an event is deleted from the middle, then the check reports a gap at its seq', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 4);
    await EventModel.collection.deleteOne({ batchId: w.batchId, seq: 1 });
    const report = await verify(w);
    expect(report.brokenAt).to.deep.include({ seq: 1, reason: 'gap' });
  });

  it('when the last event is deleted, then the check reports a gap at its seq (the chain head still counts it)', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 4);
    await EventModel.collection.deleteOne({ batchId: w.batchId, seq: 3 });
    const report = await verify(w);
    expect(report).to.deep.include({ ok: false });
    expect(report.brokenAt).to.deep.include({ seq: 3, reason: 'gap' });
  });

  it('when a stored event is mangled into non-JSON, then the export leaves it out and the chain check names it', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 3);
    await EventModel.collection.updateOne({ batchId: w.batchId, seq: 1 }, { $set: { body: '{"type":"Obj' } });
    const exported = await request(app).get('/api/v1/epcis/events').query({ batch: w.batchId }).expect(200);
    expect((JSON.parse(exported.text) as { epcisBody: { eventList: unknown[] } }).epcisBody.eventList).to.have.length(2);
    expect((await verify(w)).brokenAt).to.deep.include({ seq: 1, reason: 'hash_mismatch' });
  });

  it('when a filtering copy (bizStep) is changed, then the check reports the field mismatch', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 2);
    await EventModel.collection.updateOne({ batchId: w.batchId, seq: 0 }, { $set: { bizStep: 'retail_selling' } });
    const report = await verify(w);
    expect(report.brokenAt).to.deep.include({ seq: 0, reason: 'field_mismatch' });
  });

  it('when 10 single events and 4 documents are captured into one batch at once, then one chain without gaps holds them all', async () => {
    const w = await buildEventBatch();
    const singles = Array.from({ length: 10 }, (_, i) =>
      request(app).post('/api/v1/events').set(bearer(admin)).send(objectEvent(w, { eventTime: `2025-06-01T0${i % 10}:00:00+07:00` })),
    );
    const docs = Array.from({ length: 4 }, () =>
      request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc([objectEvent(w), objectEvent(w, { bizStep: 'shipping' }), objectEvent(w, { bizStep: 'receiving' })])),
    );
    const results = await Promise.all([...singles, ...docs]);
    expect(results.map((r) => r.status)).to.deep.equal(Array(14).fill(201));
    const seqs = (await EventModel.find({ batchId: w.batchId }, { seq: 1 }).sort({ seq: 1 }).lean()).map((e) => e.seq);
    expect(seqs).to.deep.equal(Array.from({ length: 22 }, (_, i) => i));
    expect(await verify(w)).to.include({ ok: true, count: 22 });
  });

  it('when a capture died half-way, then its events stay hidden until the healer (run by the next capture) rolls it forward', async () => {
    const w = await buildEventBatch();
    // Three events accepted as one capture; the process died after the first reached the chain.
    const { captureId, items } = await buildStalledCapture(w, { events: 3, written: 1 });

    const before = await request(app).get('/api/v1/events').query({ batch: w.batchId }).expect(200);
    expect(before.body.items).to.have.length(0);

    expect(await healStaleCaptures()).to.be.at.least(1);
    const after = await request(app).get('/api/v1/events').query({ batch: w.batchId }).expect(200);
    expect(after.body.items.map((e: { event: { eventID: string } }) => e.event.eventID)).to.deep.equal(items.map((i) => i.body.eventID));
    expect(await verify(w)).to.include({ ok: true, count: 3 });
    expect((await CaptureModel.findById(captureId).lean())?.state).to.equal('committed');
  });

  it('when a chain is checked without a key, then the answer is the last check with its time, and only a key that answers for the batch recomputes it', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 3);
    const anonymous = async () => (await request(app).get(`/api/v1/batches/${w.batchId}/events/verify`).expect(200)).body;
    const first = await anonymous();
    expect(first).to.include({ ok: true, count: 3 });
    expect(Date.parse(first.checkedAt)).to.be.a('number').and.not.NaN;

    const victim = (await EventModel.findOne({ batchId: w.batchId, seq: 1 }).lean())!;
    await EventModel.collection.updateOne({ _id: victim._id } as never, { $set: { body: victim.body.replace('conformant', 'non_conformant') } });
    expect(await anonymous()).to.deep.equal(first); // the same check, not a new read of the batch

    const recomputed = await verify(w);
    expect(recomputed).to.include({ ok: false });
    expect(recomputed.brokenAt).to.include({ seq: 1, reason: 'hash_mismatch' });
    expect(await anonymous()).to.deep.equal(recomputed); // from now on everyone gets the newer check
  });

  it('when many callers without a key check an unchecked chain at once, then they share one check', async () => {
    const w = await buildEventBatch();
    await captureDays(w, 2);
    const answers = await Promise.all(Array.from({ length: 10 }, () => request(app).get(`/api/v1/batches/${w.batchId}/events/verify`).expect(200)));
    expect(new Set(answers.map((a) => a.body.checkedAt as string)).size).to.equal(1);
  });

  it('when the batch does not exist, then the chain check answers 404', async () => {
    const res = await request(app).get('/api/v1/batches/zzzzzzzzzz/events/verify').expect(404);
    expect(res.body.error.code).to.equal('batch/not_found');
  });
});
