import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { EventModel } from '../../src/events/chain/event.model.js';
import { batchTimeline } from '../../src/events/timeline/timeline.js';
import { forgetCheck } from '../../src/events/timeline/timeline-check.js';
import { TimelinePageModel, timelinePageId } from '../../src/events/timeline/timeline-page.model.js';
import { buildEventBatch, epcisDoc, objectEvent, type EventBatch } from '../support/kit.js';

/**
 * Batches longer than one page (100 links): the timeline reads sealed pages of
 * entries plus the open page's events, and must still show every step and notice
 * altered records.
 */
describe('events: the timeline of a batch longer than one page', () => {
  const app = buildTestApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  const STEPS = ['commissioning', 'inspecting', 'storing', 'shipping', 'receiving'];
  /** Events whose times run backwards against capture order, one minute apart. */
  const capture = async (w: EventBatch, sizes: number[]) => {
    let n = sizes.reduce((a, b) => a + b, 0);
    for (const size of sizes) {
      const events = Array.from({ length: size }, () => {
        n -= 1;
        const at = new Date(Date.UTC(2025, 3, 1, 0, 0) + n * 60_000).toISOString().replace('Z', '+00:00');
        return objectEvent(w, { eventTime: at, bizStep: STEPS[n % STEPS.length] });
      });
      await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc(events)).expect(201);
    }
  };
  const bodyAt = async (w: EventBatch, seq: number) => JSON.parse((await EventModel.findOne({ batchId: w.batchId, seq }).lean())!.body) as Record<string, unknown>;

  it('when a batch holds 250 events, then every step shows in time order and the chain checks out, on the first and on later reads', async () => {
    const w = await buildEventBatch();
    await capture(w, [100, 100, 50]);
    const first = await batchTimeline(w.batchId);
    expect(first.chain).to.deep.equal({ ok: true, count: 250 });
    expect(first.steps).to.have.length(250);
    const times = first.steps.map((s) => Date.parse(s.eventTime));
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    expect(first.steps[0]).to.deep.include({ eventTime: '2025-04-01T07:00:00+07:00', bizStep: 'commissioning', detail: '100 kg' });

    expect(await TimelinePageModel.countDocuments({ batchId: w.batchId })).to.equal(2);
    const later = await batchTimeline(w.batchId);
    expect(later.steps).to.deep.equal(first.steps);
    expect(later.chain).to.deep.equal(first.chain);
  });

  it('when events are added after a read, then the next read shows them at once', async () => {
    const w = await buildEventBatch();
    await capture(w, [100, 20]);
    expect((await batchTimeline(w.batchId)).steps).to.have.length(120);
    await request(app).post('/api/v1/events').set(bearer(admin)).send(objectEvent(w, { eventTime: '2026-01-01T09:00:00+07:00', bizStep: 'retail_selling' })).expect(201);
    const timeline = await batchTimeline(w.batchId);
    expect(timeline.chain).to.deep.equal({ ok: true, count: 121 });
    expect(timeline.steps[120]).to.include({ bizStep: 'retail_selling', eventTime: '2026-01-01T09:00:00+07:00' });
  });

  it('when an event after the last sealed page is altered, then the very next read says the records were altered', async () => {
    const w = await buildEventBatch();
    await capture(w, [100, 30]);
    expect((await batchTimeline(w.batchId)).chain.ok).to.equal(true);
    await EventModel.collection.updateOne({ batchId: w.batchId, seq: 112 }, { $set: { body: JSON.stringify({ ...(await bodyAt(w, 112)), disposition: 'destroyed' }) } });
    expect((await batchTimeline(w.batchId)).chain).to.deep.equal({ ok: false, count: 130, brokenAt: 112 });
  });

  it('when an event inside a sealed page is altered, then the timeline says so once the batch is checked in full again', async () => {
    const w = await buildEventBatch();
    await capture(w, [100, 10]);
    expect((await batchTimeline(w.batchId)).chain.ok).to.equal(true);
    await EventModel.collection.updateOne({ batchId: w.batchId, seq: 5 }, { $set: { body: JSON.stringify({ ...(await bodyAt(w, 5)), disposition: 'destroyed' }) } });
    forgetCheck(w.batchId); // as when the last full check grows older than MAX_AGE_MS
    expect((await batchTimeline(w.batchId)).chain).to.deep.equal({ ok: false, count: 110, brokenAt: 5 });
    // Still altered on later reads, from the read model, while that check is young.
    expect((await batchTimeline(w.batchId)).chain).to.deep.equal({ ok: false, count: 110, brokenAt: 5 });
  });

  it('when a sealed timeline page is edited in the database, then the chain check and the timeline report the records altered at the edited step', async () => {
    const w = await buildEventBatch();
    await capture(w, [100]);
    await batchTimeline(w.batchId);
    const page = (await TimelinePageModel.findById(timelinePageId(w.batchId, 0)).lean())!;
    const entries = JSON.parse(page.entries) as { bizStep: string }[];
    entries[7]!.bizStep = 'retail_selling';
    await TimelinePageModel.collection.updateOne({ _id: page._id } as never, { $set: { entries: JSON.stringify(entries) } });
    // An admin's check is recomputed on request (an anonymous one may be up to a minute old).
    const report = (await request(app).get(`/api/v1/batches/${w.batchId}/events/verify`).set(bearer(admin)).expect(200)).body;
    expect(report).to.include({ ok: false, count: 100 });
    expect(report.brokenAt).to.include({ seq: 7, reason: 'field_mismatch' });
    forgetCheck(w.batchId);
    expect((await batchTimeline(w.batchId)).chain).to.deep.equal({ ok: false, count: 100, brokenAt: 7 });
  });

  it('when a full page was never sealed (its writer stopped first), then the timeline still shows every step from the events', async () => {
    const w = await buildEventBatch();
    await capture(w, [100, 100, 5]);
    const before = await batchTimeline(w.batchId);
    await TimelinePageModel.collection.deleteOne({ _id: timelinePageId(w.batchId, 0) } as never);
    const after = await batchTimeline(w.batchId);
    expect(after.chain).to.deep.equal({ ok: true, count: 205 });
    expect(after.steps).to.deep.equal(before.steps);
  });
});
