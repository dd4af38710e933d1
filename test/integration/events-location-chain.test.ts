import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildEventBatch, buildProducer, epcisDoc, lotUri, objectEvent, type EventBatch } from '../support/kit.js';
import { epcisSchemaErrors } from '../fixtures/events/epcis-schema.js';

/**
 * Events that name no goods of one batch of ours — returnable assets, a service relation,
 * sensor readings of a room, goods of several batches of one producer — captured at a
 * location registered to a producer: kept in that location's own chain (docs/epcis.md §2).
 */
type Ev = Record<string, unknown>;
const sgln = () => `urn:epc:id:sgln:893${String(randomInt(1e4)).padStart(4, '0')}.${String(randomInt(1e5)).padStart(5, '0')}.0`;
const eventID = () => `urn:uuid:${randomUUID()}`;
const assetEvent = (place: string, overrides: Ev = {}): Ev => ({
  type: 'AssociationEvent',
  eventID: eventID(),
  eventTime: '2025-06-01T08:00:00+07:00',
  eventTimeZoneOffset: '+07:00',
  action: 'ADD',
  bizStep: 'assembling',
  parentID: `urn:epc:id:grai:8930000.00001.${randomInt(1e6)}`,
  childEPCs: [`urn:epc:id:giai:8930000.${randomInt(1e6)}`],
  readPoint: { id: place },
  ...overrides,
});
const sensorEvent = (place: string, overrides: Ev = {}): Ev => ({
  type: 'ObjectEvent',
  eventID: eventID(),
  eventTime: '2025-06-02T08:00:00+07:00',
  eventTimeZoneOffset: '+07:00',
  action: 'OBSERVE',
  bizStep: 'inspecting',
  epcList: [],
  readPoint: { id: place },
  sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 4.5, uom: 'CEL' }] }],
  ...overrides,
});

describe('events: the own chain of a registered location', () => {
  const app = buildTestApp();
  let admin: string;
  let w: EventBatch;
  let w2: EventBatch;
  let own: string;
  let other: string;
  let site: string; // the producer's
  let market: string; // registered to nobody
  const exported = async (query: Record<string, string>) => {
    const res = await request(app).get('/api/v1/epcis/events').query(query).set(bearer(admin)).expect(200);
    const doc = JSON.parse(res.text) as { epcisBody: { eventList: Ev[] } };
    expect(epcisSchemaErrors(doc), `export of ${JSON.stringify(query)}`).to.equal(null);
    return doc.epcisBody.eventList;
  };
  const ids = (list: Ev[]) => list.map((e) => e.eventID);

  before(async () => {
    admin = await apiKeyFor('admin');
    w = await buildEventBatch();
    w2 = await buildEventBatch({ producerId: w.producerId });
    own = await apiKeyFor('producer', w.producerId);
    other = await apiKeyFor('producer', (await buildProducer())._id);
    site = sgln();
    market = sgln();
    await request(app).post('/api/v1/locations').set(bearer(admin)).send({ id: site, name: 'Kho lạnh', communeCode: '00577', producerId: w.producerId }).expect(201);
    await request(app).post('/api/v1/locations').set(bearer(admin)).send({ id: market, name: 'Chợ đầu mối', communeCode: '00577' }).expect(201);
  });

  it("when an event names only returnable assets at the producer's site, then it is kept in the site's chain, which checks out and exports valid", async () => {
    const sent = assetEvent(site);
    const res = await request(app).post('/api/v1/events').set(bearer(own)).send(sent).expect(201);
    const key = res.body.locationChain as string;
    expect(res.body).to.include({ batchId: null, seq: 0 });
    expect(key).to.match(/^893\d{10}$/);
    const list = await exported({ location: site });
    expect(ids(list)).to.deep.equal([sent.eventID]);
    expect(list[0]).to.include({ 'ocop:locationId': key }).and.not.have.any.keys('ocop:batchId', 'ocop:productId');
    // The location key, the SGLN and the GLN Digital Link name one chain.
    expect(ids(await exported({ location: key }))).to.deep.equal([sent.eventID]);
    const check = await request(app).get(`/api/v1/locations/${encodeURIComponent(site)}/events/verify`).set(bearer(own)).expect(200);
    expect(check.body).to.include({ batchId: `location:${key}`, ok: true, count: 1 });
    const json = await request(app).get('/api/v1/events').query({ location: site }).expect(200);
    expect(json.body.items[0]).to.include({ batchId: null, productId: null, locationChain: key });
  });

  it('when location-chain events are queried, then MATCH_anyEPC, MATCH_parentID, EQ_readPoint, EQ_bizLocation and eventType find them, and no batch timeline holds them', async () => {
    const sent = assetEvent(site, { eventTime: '2025-06-03T08:00:00+07:00' });
    await request(app).post('/api/v1/events').set(bearer(own)).send(sent).expect(201);
    const parent = sent.parentID as string;
    expect(ids(await exported({ location: site, MATCH_anyEPC: parent }))).to.deep.equal([sent.eventID]);
    expect(ids(await exported({ location: site, MATCH_parentID: parent }))).to.deep.equal([sent.eventID]);
    // An admin's unscoped query finds them as any other event.
    expect(ids(await exported({ MATCH_anyEPC: parent }))).to.deep.equal([sent.eventID]);
    expect(ids(await exported({ EQ_readPoint: site, MATCH_epc: (sent.childEPCs as string[])[0] as string }))).to.deep.equal([sent.eventID]);
    expect(ids(await exported({ location: site, eventType: 'ObjectEvent' }))).to.not.include(sent.eventID);
    expect(await exported({ batch: w.batchId, MATCH_anyEPC: parent })).to.deep.equal([]);
    // Home is the bizLocation when the readPoint is no producer's registered location; the commune code finds it too.
    const stocked = assetEvent('urn:ocop:commune:00577:ben-xe', { eventTime: '2025-06-03T09:00:00+07:00', bizLocation: { id: site } });
    const res = await request(app).post('/api/v1/events').set(bearer(own)).send(stocked).expect(201);
    expect(res.body.locationChain).to.be.a('string');
    for (const place of [site, '00577']) expect(ids(await exported({ location: site, EQ_bizLocation: place }))).to.deep.equal([stocked.eventID]);
    expect(ids(await exported({ location: site, EQ_readPoint: site, GE_eventTime: '2025-06-03T00:00:00+07:00' }))).to.deep.equal([sent.eventID]);
    const both = await request(app).get('/api/v1/events').query({ batch: w.batchId, location: site }).expect(400);
    expect(both.body.error.code).to.equal('request/invalid');
  });

  it("when an ObjectEvent with an empty epcList carries sensor readings of the producer's site, then it is kept there; elsewhere it is refused saying what to register", async () => {
    const sent = sensorEvent(site);
    const res = await request(app).post('/api/v1/epcis/capture').set(bearer(own)).send(epcisDoc([sent])).expect(201);
    expect(res.body.events[0].locationChain).to.be.a('string');
    expect(ids(await exported({ location: site, EXISTS_sensorElementList: 'true' }))).to.deep.equal([sent.eventID]);
    // At a place of nobody's, at an OCOP place, or named to a batch.
    for (const refused of [sensorEvent(market), sensorEvent('urn:ocop:commune:00577'), sensorEvent(site, { 'ocop:batchId': w.batchId })]) {
      const no = await request(app).post('/api/v1/events').set(bearer(admin)).send(refused).expect(400);
      expect(no.body.error.code).to.equal('event/invalid');
      expect(no.body.error.message).to.contain('needs epcList or quantityList').and.contain('register its readPoint or bizLocation');
    }
    // No epcList member at all is the same event.
    await request(app).post('/api/v1/events').set(bearer(own)).send(sensorEvent(site, { epcList: undefined })).expect(201);
  });

  it("when an event associates lots of two of the producer's batches at its site, then the site's chain keeps it once and a query by either lot finds it", async () => {
    const sent = assetEvent(site, { childEPCs: undefined, childQuantityList: [{ epcClass: lotUri(w), quantity: 10 }, { epcClass: lotUri(w2), quantity: 20 }] });
    const res = await request(app).post('/api/v1/events').set(bearer(own)).send(sent).expect(201);
    expect(res.body).to.include({ batchId: null });
    for (const lot of [lotUri(w), lotUri(w2)]) expect(ids(await exported({ location: site, MATCH_epcClass: lot }))).to.deep.equal([sent.eventID]);
    for (const b of [w, w2]) expect(await exported({ batch: b.batchId })).to.deep.equal([]);
    // At a place of nobody's, or with a batch of another producer, it stays refused.
    const elsewhere = await request(app).post('/api/v1/events').set(bearer(admin)).send({ ...sent, eventID: eventID(), readPoint: { id: market } }).expect(400);
    expect(elsewhere.body.error.code).to.equal('event/many_batches');
    expect(elsewhere.body.error.message).to.contain('send one event per batch').and.contain('POST /api/v1/locations with producerId');
    const foreign = await buildEventBatch();
    const mixed = await request(app)
      .post('/api/v1/events')
      .set(bearer(admin))
      .send({ ...sent, eventID: eventID(), childQuantityList: [{ epcClass: lotUri(w), quantity: 1 }, { epcClass: lotUri(foreign), quantity: 1 }] })
      .expect(400);
    expect(mixed.body.error.code).to.equal('event/many_batches');
  });

  it("when the goods are of one batch, then the event stays in the batch's chain even at the producer's site", async () => {
    const res = await request(app).post('/api/v1/events').set(bearer(own)).send(objectEvent(w, { eventID: eventID(), readPoint: { id: site } })).expect(201);
    expect(res.body.batchId).to.equal(w.batchId);
  });

  it('when assets are named at a place registered to nobody, or an unregistered one, then the refusal says what to register', async () => {
    const none = await request(app).post('/api/v1/events').set(bearer(admin)).send(assetEvent(market)).expect(400);
    expect(none.body.error.code).to.equal('event/no_batch');
    expect(none.body.error.message).to.contain('register its readPoint or bizLocation to the producer');
    const unknown = await request(app).post('/api/v1/events').set(bearer(admin)).send(assetEvent(sgln())).expect(400);
    expect(unknown.body.error.code).to.equal('event/unknown_location');
  });

  it("when another producer's key captures at the site, then 403 and nothing is stored", async () => {
    const sent = assetEvent(site);
    const res = await request(app).post('/api/v1/events').set(bearer(other)).send(sent).expect(403);
    expect(res.body.error.code).to.equal('auth/forbidden');
    expect(res.body.error.message).to.contain('the chain of location');
    expect(ids(await exported({ location: site }))).to.not.include(sent.eventID);
  });

  it("when an event of the site's chain is declared erroneous, then the declaration joins the same chain, which still checks out", async () => {
    const sent = assetEvent(site, { eventTime: '2025-06-04T08:00:00+07:00' });
    await request(app).post('/api/v1/events').set(bearer(own)).send(sent).expect(201);
    const declaration = { ...sent, errorDeclaration: { declarationTime: '2025-06-05T08:00:00+07:00', reason: 'incorrect_data' } };
    const res = await request(app).post('/api/v1/events').set(bearer(own)).send(declaration).expect(201);
    expect(res.body.locationChain).to.be.a('string');
    const list = await exported({ location: site, MATCH_parentID: sent.parentID as string });
    expect(list.map((e) => Boolean(e.errorDeclaration))).to.deep.equal([false, true]);
    const check = await request(app).get(`/api/v1/locations/${encodeURIComponent(site)}/events/verify`).set(bearer(admin)).expect(200);
    expect(check.body.ok).to.equal(true);
    await request(app).get('/api/v1/locations/8930000000001/events/verify').expect(404);
  });
});
