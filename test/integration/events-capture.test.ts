import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { EventModel } from '../../src/events/chain/event.model.js';
import { buildEventBatch, epcisDoc, fillFixture, lotUri, objectEvent, unitUri } from '../support/kit.js';
import { epcisSchema, epcisSchemaErrors } from '../fixtures/events/epcis-schema.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const teaJourney = readFileSync(path.join(here, '..', 'fixtures', 'events', 'tea-journey.jsonld'), 'utf8');
const partnerReceipt = readFileSync(path.join(here, '..', 'fixtures', 'events', 'partner-receipt.jsonld'), 'utf8');

describe('events: capture, query and EPCIS export', () => {
  const app = buildTestApp();
  let admin: string;

  before(async () => {
    expect(epcisSchema.$schema).to.equal('http://json-schema.org/draft-07/schema#');
    admin = await apiKeyFor('admin');
  });

  it('when a producer captures a whole journey, then queries return it and the export validates against GS1 EPCIS 2.0', async () => {
    const w = await buildEventBatch();
    const producerKey = await apiKeyFor('producer', w.producerId);
    const capture = await request(app).post('/api/v1/epcis/capture').set(bearer(producerKey)).send(fillFixture(teaJourney, w)).expect(201);
    expect(capture.body.eventCount).to.equal(7);
    expect(capture.body.events.map((e: { seq: number }) => e.seq)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(capture.body.events.every((e: { batchId: string }) => e.batchId === w.batchId)).to.equal(true);

    const list = await request(app).get('/api/v1/events').query({ batch: w.batchId }).expect(200);
    expect(list.body.items).to.have.length(7);
    const packing = list.body.items.find((e: { event: { type: string } }) => e.event.type === 'AggregationEvent');
    expect(packing.event.bizStep).to.equal('packing'); // sent as urn:epcglobal:cbv:bizstep:packing
    const shipping = list.body.items.find((e: { event: { bizStep: string } }) => e.event.bizStep === 'shipping');
    expect(shipping.event.destinationList[0].type).to.equal('owning_party');
    expect(shipping.event).not.to.have.property('bizTransactionList'); // private without a key

    const exported = await request(app).get('/api/v1/epcis/events').query({ batch: w.batchId }).expect(200);
    expect(exported.type).to.equal('application/ld+json');
    const doc = JSON.parse(exported.text) as { '@context': unknown[]; epcisBody: { eventList: Record<string, unknown>[] } };
    expect(epcisSchemaErrors(doc)).to.equal(null);
    expect(doc['@context']).to.deep.include({ ocop: 'urn:ocop:epcis:' });
    expect(doc.epcisBody.eventList.map((e) => e.bizStep)).to.deep.equal([
      'commissioning', 'commissioning', 'packing', 'inspecting', 'shipping', 'receiving', 'retail_selling',
    ]);
    expect(doc.epcisBody.eventList.every((e) => e['ocop:batchId'] === w.batchId)).to.equal(true);

    const owner = await request(app).get('/api/v1/epcis/events').set(bearer(producerKey)).query({ batch: w.batchId, bizStep: 'shipping' }).expect(200);
    const ownerDoc = JSON.parse(owner.text) as { epcisBody: { eventList: Record<string, unknown>[] } };
    expect(ownerDoc.epcisBody.eventList).to.have.length(1);
    expect(ownerDoc.epcisBody.eventList[0]?.bizTransactionList).to.deep.equal([{ type: 'po', bizTransaction: 'urn:ocop:po:HN-2025-0042' }]);
    expect(epcisSchemaErrors(ownerDoc)).to.equal(null);
  });

  it('when a partner system sends a plain EPCIS document (EPC URNs, its own terms, no batch id), then it maps to our batch and exports valid', async () => {
    const w = await buildEventBatch();
    const res = await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(fillFixture(partnerReceipt, w)).expect(201);
    expect(res.body.events.map((e: { batchId: string }) => e.batchId)).to.deep.equal([w.batchId, w.batchId]);
    const exported = await request(app).get('/api/v1/epcis/events').query({ batch: w.batchId }).expect(200);
    const doc = JSON.parse(exported.text) as { epcisBody: { eventList: Record<string, unknown>[] } };
    expect(epcisSchemaErrors(doc)).to.equal(null);
    const [commissioned, received] = doc.epcisBody.eventList;
    expect(commissioned).to.include({ bizStep: 'commissioning', disposition: 'active' });
    expect(received).to.include({ bizStep: 'receiving', 'dx:deliveryNote': 'PN-2025-0402-17' });
    // The partner's own prefix keeps its meaning in our export.
    expect(received?.['@context']).to.deep.equal([{ dx: 'https://distributor.example.vn/epcis/' }]);
    expect((received?.sourceList as { type: string }[])[0]?.type).to.equal('possessing_party');
  });

  it('when a client asks for its capture afterwards, then it sees the capture committed; another producer\'s key sees nothing', async () => {
    const w = await buildEventBatch();
    const key = await apiKeyFor('producer', w.producerId);
    const sent = await request(app).post('/api/v1/epcis/capture').set(bearer(key)).send(epcisDoc([objectEvent(w), objectEvent(w, { bizStep: 'shipping' })])).expect(201);
    const status = await request(app).get(`/api/v1/epcis/capture/${sent.body.captureId}`).set(bearer(key)).expect(200);
    expect(status.body).to.include({ captureId: sent.body.captureId, state: 'committed', eventCount: 2 });
    expect(status.body.batchIds).to.deep.equal([w.batchId]);
    const other = await apiKeyFor('producer', (await buildEventBatch()).producerId);
    await request(app).get(`/api/v1/epcis/capture/${sent.body.captureId}`).set(bearer(other)).expect(404);
  });

  it('when one event is posted with label Digital Link URIs and no batch id, then it joins the batch named by product and lot', async () => {
    const w = await buildEventBatch({ gtin: false });
    const res = await request(app)
      .post('/api/v1/events')
      .set(bearer(admin))
      .send(objectEvent(w, { quantityList: undefined, epcList: [unitUri(w, 'A1B2C3D4E5F6G7')], bizStep: 'urn:epcglobal:cbv:bizstep:shipping', disposition: 'https://ref.gs1.org/cbv/Disp-in_transit' }))
      .expect(201);
    expect(res.body).to.include({ batchId: w.batchId, seq: 0 });
    expect(res.body.eventID).to.match(/^urn:uuid:/);
    const stored = await request(app).get('/api/v1/events').query({ batch: w.batchId }).expect(200);
    expect(stored.body.items[0].event).to.include({ bizStep: 'shipping', disposition: 'in_transit' });
  });

  it('when events are queried by time, place and step and paged, then each page is stable and complete', async () => {
    const w = await buildEventBatch();
    const times = ['2025-04-01T08:00:00+07:00', '2025-04-02T08:00:00+07:00', '2025-04-03T08:00:00+07:00', '2025-04-04T08:00:00+07:00', '2025-04-05T08:00:00+07:00'];
    const events = times.map((t, i) => objectEvent(w, { eventTime: t, bizLocation: { id: i % 2 ? 'urn:ocop:commune:00070' : 'urn:ocop:commune:00577:kho' } }));
    await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc(events)).expect(201);

    const seen: string[] = [];
    let token: string | null = null;
    do {
      const res: request.Response = await request(app)
        .get('/api/v1/events')
        .query({ batch: w.batchId, perPage: 2, orderDirection: 'DESC', ...(token ? { nextPageToken: token } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((e: { event: { eventTime: string } }) => e.event.eventTime));
      token = res.body.nextPageToken;
    } while (token);
    expect(seen).to.deep.equal([...times].reverse());

    const window = await request(app).get('/api/v1/events').query({ batch: w.batchId, GE_eventTime: times[1], LT_eventTime: times[3] }).expect(200);
    expect(window.body.items.map((e: { event: { eventTime: string } }) => e.event.eventTime)).to.deep.equal([times[1], times[2]]);
    const atSite = await request(app).get('/api/v1/events').query({ batch: w.batchId, bizLocation: '00577' }).expect(200);
    expect(atSite.body.items).to.have.length(3);
    const none = await request(app).get('/api/v1/events').query({ batch: w.batchId, bizStep: 'urn:epcglobal:cbv:bizstep:shipping' }).expect(200);
    expect(none.body.items).to.have.length(0);
  });

  it('when the same query names the batch or only its product, then both answer the same events and pages (read by position, or by one query)', async () => {
    const w = await buildEventBatch();
    const times = ['2025-06-01T08:00:00+07:00', '2025-06-01T08:00:00+07:00', '2025-06-02T08:00:00+07:00', '2025-06-03T08:00:00+07:00', '2025-06-04T08:00:00+07:00'];
    const events = times.map((t, i) => objectEvent(w, { eventTime: t, bizStep: i % 2 ? 'shipping' : 'inspecting', bizLocation: { id: i % 2 ? 'urn:ocop:commune:00070' : 'urn:ocop:commune:00577:kho' } }));
    await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc(events)).expect(201);
    const pages = async (query: Record<string, unknown>) => {
      const seen: string[][] = [];
      let token: string | null = null;
      do {
        const res: request.Response = await request(app).get('/api/v1/events').query({ ...query, perPage: 2, ...(token ? { nextPageToken: token } : {}) }).expect(200);
        seen.push(res.body.items.map((e: { id: string }) => e.id));
        token = res.body.nextPageToken;
      } while (token);
      return seen;
    };
    for (const filter of [{}, { orderDirection: 'DESC' }, { bizLocation: '00577' }, { bizStep: 'shipping', orderDirection: 'DESC' }, { GE_eventTime: times[1], LT_eventTime: times[4] }]) {
      const byBatch = await pages({ batch: w.batchId, ...filter });
      expect(byBatch.flat(), JSON.stringify(filter)).not.to.have.length(0);
      expect(await pages({ product: w.productId, ...filter }), JSON.stringify(filter)).to.deep.equal(byBatch);
    }
  });

  it('when an anonymous reader asks for all events without a batch or product, then 400 asks to name one; an admin key may', async () => {
    const res = await request(app).get('/api/v1/events').expect(400);
    expect(res.body.error.message).to.contain('Name a batch');
    await request(app).get('/api/v1/events').set(bearer(admin)).query({ perPage: 1 }).expect(200);
  });

  it('when a read sends a key that is not valid, then it gets 401 rather than the public view', async () => {
    await request(app).get('/api/v1/events').set(bearer('ok_nope')).query({ batch: 'abcdefghij' }).expect(401);
  });

  describe('when a document is invalid, then it is rejected with a clear 4xx and nothing is stored', () => {
    const cases: [string, (w: Awaited<ReturnType<typeof buildEventBatch>>) => Record<string, unknown>, number, string, RegExp][] = [
      ['missing eventTime', (w) => objectEvent(w, { eventTime: undefined }), 400, 'event/invalid', /eventList\[1\]: eventTime: is required/],
      ['unknown event type', (w) => objectEvent(w, { type: 'TeleportEvent' }), 400, 'event/unsupported_type', /eventList\[1\]: type: "TeleportEvent"/],
      ['bad bizStep', (w) => objectEvent(w, { bizStep: 'shiping' }), 400, 'event/invalid_vocabulary', /eventList\[1\]: bizStep: "shiping" is not a CBV 2.0 business step/],
      ['only an unregistered SGLN as place', (w) => objectEvent(w, { readPoint: undefined, bizLocation: { id: 'urn:epc:id:sgln:8930000.00001.0' } }), 400, 'event/unknown_location', /eventList\[1\]: bizLocation.id: urn:epc:id:sgln:8930000.00001.0 is not a registered location: register it \(POST \/api\/v1\/locations/],
      ['no place at all', (w) => objectEvent(w, { readPoint: undefined, bizLocation: { id: 'https://example.org/warehouse/7' } }), 400, 'event/invalid_place', /eventList\[1\]: bizLocation.id: every event needs a place/],
      ['a lot no batch has', (w) => objectEvent(w, { quantityList: [{ epcClass: `${lotUri(w)}X`, quantity: 1, uom: 'KGM' }] }), 400, 'event/unknown_batch', /eventList\[1\]: .*has no batch with lot/],
      ['a sensor report of a type GS1 does not name', (w) => objectEvent(w, { sensorElementList: [{ sensorReport: [{ type: 'temperature', value: 3, uom: 'CEL' }] }] }), 400, 'event/invalid', /eventList\[1\]: sensorElementList.0.sensorReport.0.type: must be a GS1 measurement type \(e.g. AbsoluteHumidity\) or a URI of your own/],
      ['a non-IRI member inside errorDeclaration', (w) => objectEvent(w, { eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001', errorDeclaration: { declarationTime: '2025-03-04T09:00:00+07:00', note: 'x' } }), 400, 'event/invalid', /eventList\[1\]: errorDeclaration.note: is not a member here; extension members are IRIs/],
      ['missing time zone offset', (w) => objectEvent(w, { eventTimeZoneOffset: undefined }), 400, 'event/invalid', /eventTimeZoneOffset: is required/],
    ];
    for (const [name, bad, status, code, message] of cases) {
      it(`when the second of three events has ${name}, then ${status} ${code} names it and none is stored`, async () => {
        const w = await buildEventBatch();
        const doc = epcisDoc([objectEvent(w), bad(w), objectEvent(w, { bizStep: 'shipping' })]);
        const res = await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(doc).expect(status);
        expect(res.body.error.code).to.equal(code);
        expect(res.body.error.message).to.match(message);
        expect(await EventModel.countDocuments({ batchId: w.batchId })).to.equal(0);
      });
    }

    it('when a producer key sends an event for another producer\'s batch, then 403 auth/forbidden names the event and none is stored', async () => {
      const mine = await buildEventBatch();
      const theirs = await buildEventBatch();
      const key = await apiKeyFor('producer', mine.producerId);
      const res = await request(app).post('/api/v1/epcis/capture').set(bearer(key)).send(epcisDoc([objectEvent(mine), objectEvent(theirs)])).expect(403);
      expect(res.body.error.code).to.equal('auth/forbidden');
      expect(res.body.error.message).to.contain('eventList[1]');
      expect(await EventModel.countDocuments({ batchId: { $in: [mine.batchId, theirs.batchId] } })).to.equal(0);
    });

    it('when the same eventID is captured twice, then the second capture is refused with 409 and the batch keeps one copy', async () => {
      const w = await buildEventBatch();
      const eventID = `urn:uuid:${crypto.randomUUID()}`;
      await request(app).post('/api/v1/events').set(bearer(admin)).send(objectEvent(w, { eventID })).expect(201);
      const res = await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc([objectEvent(w, { bizStep: 'shipping' }), objectEvent(w, { eventID })])).expect(409);
      expect(res.body.error.code).to.equal('event/duplicate_event_id');
      expect(await EventModel.countDocuments({ batchId: w.batchId })).to.equal(1);
    });

    it('when a request has no API key, then capture answers 401', async () => {
      const w = await buildEventBatch();
      await request(app).post('/api/v1/events').send(objectEvent(w)).expect(401);
    });

    it('when the document is not an EPCISDocument, then 400 says which member is wrong', async () => {
      const res = await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send({ type: 'EPCISQueryDocument', epcisBody: { eventList: [] } }).expect(400);
      expect(res.body.error.message).to.match(/type: must be "EPCISDocument"/);
    });
  });
});
