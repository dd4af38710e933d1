import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Eta } from 'eta';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { batchTimeline, type Timeline } from '../../src/events/timeline/timeline.js';
import { EventModel } from '../../src/events/chain/event.model.js';
import { seedDemoEvents } from '../../src/events/events.demo.js';
import { buildEventBatch, epcisDoc, fillFixture, objectEvent } from '../support/kit.js';
import { epcisSchemaErrors } from '../fixtures/events/epcis-schema.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const teaJourney = readFileSync(path.join(here, '..', 'fixtures', 'events', 'tea-journey.jsonld'), 'utf8');
// The verification page renders the partial with the same engine settings.
const eta = new Eta({ views: path.resolve(here, '..', '..', 'views'), autoEscape: true, autoTrim: false });
const renderTimeline = (timeline: Timeline, lang: 'vi' | 'en') => eta.render('events/timeline', { timeline, lang });

describe('events: the batch timeline of the verification page', () => {
  const app = buildTestApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  it('when a journey was captured, then the timeline lists its stages in time order with places and local times, in both languages', async () => {
    const w = await buildEventBatch();
    await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(fillFixture(teaJourney, w)).expect(201);
    const timeline = await batchTimeline(w.batchId);
    expect(timeline.chain).to.deep.equal({ ok: true, count: 7 });
    expect(timeline.steps.map((s) => s.bizStep)).to.deep.equal(['commissioning', 'commissioning', 'packing', 'inspecting', 'shipping', 'receiving', 'retail_selling']);
    expect(timeline.steps[0]).to.deep.include({ eventTime: '2025-03-10T06:15:00+07:00', place: { code: '05503', name: 'Xã Tân Cương, Tỉnh Thái Nguyên' } });
    expect(timeline.steps[1]).to.include({ type: 'TransformationEvent', detail: '300 kg' });

    const vi = renderTimeline(timeline, 'vi');
    expect(vi).to.contain('Hành trình sản phẩm').and.contain('Chế biến').and.contain('Bán lẻ').and.contain('06:15 10/03/2025');
    expect(vi).to.contain('Phường Hoàn Kiếm, Thành phố Hà Nội').and.contain('7 bản ghi hành trình chưa bị sửa đổi');
    expect(vi).not.to.match(/<script|style=/);
    const en = renderTimeline(timeline, 'en');
    expect(en).to.contain('Product journey').and.contain('Retail sale').and.contain('15 Mar 2025, 19:20').and.contain('none of the 7 journey records');
  });

  it('when a stored event was altered, then the timeline says the records were altered', async () => {
    const w = await buildEventBatch();
    await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc([objectEvent(w), objectEvent(w, { bizStep: 'shipping' })])).expect(201);
    await EventModel.collection.updateOne({ batchId: w.batchId, seq: 1 }, { $set: { body: '{}' } });
    const timeline = await batchTimeline(w.batchId);
    expect(timeline.chain).to.deep.equal({ ok: false, count: 2, brokenAt: 1 });
    expect(renderTimeline(timeline, 'en')).to.contain('Warning: the journey records were altered');
  });

  it('when an event is declared erroneous and a corrective event recorded, then the timeline marks the original corrected and shows the correction', async () => {
    const w = await buildEventBatch();
    const wrong = objectEvent(w, { eventID: `urn:uuid:${randomUUID()}`, bizStep: 'shipping', eventTime: '2025-03-03T08:00:00+07:00' });
    await request(app).post('/api/v1/events').set(bearer(admin)).send(wrong).expect(201);
    const correctiveID = `urn:uuid:${randomUUID()}`;
    const declaration = { ...wrong, errorDeclaration: { declarationTime: '2025-03-04T09:00:00+07:00', reason: 'urn:epcglobal:cbv:er:incorrect_data', correctiveEventIDs: [correctiveID] } };
    const corrective = objectEvent(w, { eventID: correctiveID, bizStep: 'shipping', eventTime: '2025-03-03T10:00:00+07:00' });
    await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc([declaration, corrective])).expect(201);

    const timeline = await batchTimeline(w.batchId);
    expect(timeline.chain).to.include({ ok: true, count: 3 });
    expect(timeline.steps.map((s) => [s.eventTime, s.corrected === true])).to.deep.equal([
      ['2025-03-03T08:00:00+07:00', true],
      ['2025-03-03T10:00:00+07:00', false],
    ]);
    expect(renderTimeline(timeline, 'vi')).to.contain('Đã đính chính');
    const exported = await request(app).get('/api/v1/epcis/events').query({ batch: w.batchId }).expect(200);
    const doc = JSON.parse(exported.text) as { epcisBody: { eventList: Record<string, unknown>[] } };
    expect(epcisSchemaErrors(doc)).to.equal(null);
    const list = doc.epcisBody.eventList;
    expect(list.find((e) => e.errorDeclaration)?.errorDeclaration).to.deep.include({ reason: 'incorrect_data', correctiveEventIDs: [correctiveID] });
  });

  it('when an error declaration names an eventID nobody captured, then it is refused with 400', async () => {
    const w = await buildEventBatch();
    const res = await request(app)
      .post('/api/v1/events')
      .set(bearer(admin))
      .send(objectEvent(w, { eventID: `urn:uuid:${randomUUID()}`, errorDeclaration: { declarationTime: '2025-03-04T09:00:00+07:00' } }))
      .expect(400);
    expect(res.body.error.code).to.equal('event/unknown_declared_event');
  });

  it('when demo events are seeded for a batch, then it gets a full origin-to-retail journey whose chain checks out', async () => {
    const w = await buildEventBatch();
    const result = await seedDemoEvents([w.batchId]);
    expect(result.events).to.be.greaterThan(5);
    const timeline = await batchTimeline(w.batchId);
    expect(timeline.chain.ok).to.equal(true);
    const steps = timeline.steps.map((s) => (s.type === 'TransformationEvent' ? 'processing' : s.bizStep));
    expect(steps).to.include.members(['commissioning', 'processing', 'packing', 'inspecting', 'shipping', 'receiving', 'retail_selling']);
    expect(steps.indexOf('retail_selling')).to.be.greaterThan(steps.indexOf('processing'));
  });
});
