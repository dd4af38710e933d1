import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildEventBatch, epcisDoc, lotUri, objectEvent, unitUri, type EventBatch } from '../support/kit.js';
import { epcisSchemaErrors } from '../fixtures/events/epcis-schema.js';

/** The EPCIS 2.0 REST query parameters: each filters as the standard says; unknown names are refused. */
describe('events: EPCIS query parameters', () => {
  const app = buildTestApp();
  let admin: string;
  let w: EventBatch;
  const id = (name: string) => `urn:uuid:${name}-${randomUUID()}`.slice(0, 45);
  const ids: Record<string, string> = {};

  before(async () => {
    admin = await apiKeyFor('admin');
    w = await buildEventBatch();
    for (const n of ['commission', 'ship', 'pack', 'sell', 'order', 'bind']) ids[n] = id(n);
    const sgtin = `urn:epc:id:sgtin:${w.gtin!.slice(1, 8)}.${w.gtin![0]}${w.gtin!.slice(8, 13)}`;
    const events = [
      objectEvent(w, { eventID: ids.commission, action: 'ADD', bizStep: 'commissioning', disposition: 'active', eventTime: '2025-05-01T08:00:00+07:00', quantityList: undefined, epcList: [unitUri(w, 'U1'), unitUri(w, 'U2')] }),
      objectEvent(w, {
        eventID: ids.ship, bizStep: 'shipping', disposition: 'in_transit', eventTime: '2025-05-02T08:00:00+07:00', readPoint: { id: 'urn:ocop:commune:00070:kho' },
        sensorElementList: [{ sensorReport: [{ type: 'Temperature', minValue: 2, maxValue: 7.5, uom: 'CEL' }] }],
      }),
      { type: 'AggregationEvent', eventID: ids.pack, eventTime: '2025-05-03T08:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'ADD', bizStep: 'packing', parentID: 'urn:epc:id:sscc:8930000.0000000001', childEPCs: [unitUri(w, 'U1')], bizLocation: { id: 'urn:ocop:commune:00577' } },
      { type: 'TransactionEvent', eventID: ids.order, eventTime: '2025-05-04T08:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'ADD', bizStep: 'https://example.org/bizstep/ordering', bizTransactionList: [{ type: 'po', bizTransaction: 'urn:ocop:po:Q-1' }], quantityList: [{ epcClass: lotUri(w), quantity: 5, uom: 'KGM' }], bizLocation: { id: 'urn:ocop:commune:00577' } },
      { type: 'AssociationEvent', eventID: ids.bind, eventTime: '2025-05-05T08:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'ADD', bizStep: 'assembling', parentID: 'urn:epc:id:grai:8930000.00001.7', childQuantityList: [{ epcClass: lotUri(w), quantity: 1 }], readPoint: { id: 'urn:ocop:commune:00577' } },
      objectEvent(w, { eventID: ids.sell, action: 'DELETE', bizStep: 'retail_selling', disposition: 'retail_sold', eventTime: '2025-05-06T08:00:00+07:00', quantityList: undefined, epcList: [unitUri(w, 'U2')] }),
    ];
    const res = await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc(events)).expect(201);
    expect(res.body.events.every((e: { batchId: string }) => e.batchId === w.batchId)).to.equal(true);
    // One more of the product but no lot of ours: kept in the product's chain, found by product queries.
    const productLevel = objectEvent(w, { eventID: id('observe'), eventTime: '2025-05-07T08:00:00+07:00', quantityList: undefined, epcList: [`${sgtin}.S9`] });
    const one = await request(app).post('/api/v1/events').set(bearer(admin)).send(productLevel).expect(201);
    expect(one.body).to.include({ batchId: null, productChain: w.productId });
    ids.observe = productLevel.eventID as string;
  });

  const eventIDs = async (query: Record<string, string>) => {
    const res = await request(app).get('/api/v1/events').query(query).expect(200);
    return res.body.items.map((i: { event: { eventID: string } }) => i.event.eventID);
  };
  const both = async (query: Record<string, string>) => {
    const byBatch = await eventIDs({ batch: w.batchId, ...query });
    const byProduct = (await eventIDs({ product: w.productId, ...query })).filter((e: string) => e !== ids.observe);
    expect(byProduct, `product query ${JSON.stringify(query)}`).to.deep.equal(byBatch);
    return byBatch;
  };

  it('when events are filtered by type, action, step and disposition, then only matching ones come back (lists separated by |)', async () => {
    expect(await both({ eventType: 'AggregationEvent|AssociationEvent' })).to.deep.equal([ids.pack, ids.bind]);
    expect(await both({ eventType: 'TransactionEvent' })).to.deep.equal([ids.order]);
    expect(await both({ EQ_action: 'DELETE' })).to.deep.equal([ids.sell]);
    expect(await both({ EQ_action: 'ADD' })).to.deep.equal([ids.commission, ids.pack, ids.order, ids.bind]);
    expect(await both({ EQ_bizStep: 'urn:epcglobal:cbv:bizstep:shipping|retail_selling' })).to.deep.equal([ids.ship, ids.sell]);
    expect(await both({ EQ_bizStep: 'https://example.org/bizstep/ordering' })).to.deep.equal([ids.order]);
    expect(await both({ EQ_disposition: 'https://ref.gs1.org/cbv/Disp-in_transit' })).to.deep.equal([ids.ship]);
  });

  it('when events are filtered by time, then EQ_, GE_ and LT_eventTime bound them', async () => {
    expect(await both({ GE_eventTime: '2025-05-02T08:00:00+07:00', LT_eventTime: '2025-05-04T08:00:00+07:00' })).to.deep.equal([ids.ship, ids.pack]);
    expect(await both({ EQ_eventTime: '2025-05-06T01:00:00Z' })).to.deep.equal([ids.sell]);
  });

  it('when events are filtered by place, then EQ_readPoint and EQ_bizLocation take a URI or a commune code', async () => {
    expect(await both({ EQ_readPoint: 'urn:ocop:commune:00070:kho' })).to.deep.equal([ids.ship]);
    expect(await both({ EQ_readPoint: '00577' })).to.deep.equal([ids.commission, ids.bind, ids.sell]);
    expect(await both({ EQ_bizLocation: 'urn:ocop:commune:00577' })).to.deep.equal([ids.commission, ids.ship, ids.pack, ids.order, ids.sell]);
  });

  it('when events are matched by EPC and class, then MATCH_epc, MATCH_anyEPC and MATCH_epcClass follow the standard', async () => {
    expect(await both({ MATCH_epc: unitUri(w, 'U1') })).to.deep.equal([ids.commission, ids.pack]);
    expect(await both({ MATCH_anyEPC: 'urn:epc:id:sscc:8930000.0000000001|urn:epc:id:grai:8930000.00001.7' })).to.deep.equal([ids.pack, ids.bind]);
    expect(await both({ MATCH_parentID: 'urn:epc:id:grai:8930000.00001.7' })).to.deep.equal([ids.bind]);
    expect(await both({ MATCH_epcClass: lotUri(w) })).to.deep.equal([ids.ship, ids.order, ids.bind]);
    expect(await both({ EXISTS_sensorElementList: 'true' })).to.deep.equal([ids.ship]);
    const pattern = `urn:epc:idpat:sgtin:${w.gtin!.slice(1, 8)}.${w.gtin![0]}${w.gtin!.slice(8, 13)}.*`;
    expect(await eventIDs({ product: w.productId, MATCH_epc: pattern })).to.deep.equal([ids.observe]);
  });

  it('when results are paged, then perPage and nextPageToken walk the filtered events once each', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const res: request.Response = await request(app).get('/api/v1/events').query({ product: w.productId, EQ_action: 'ADD|OBSERVE', perPage: 2, ...(token ? { nextPageToken: token } : {}) }).expect(200);
      seen.push(...res.body.items.map((i: { event: { eventID: string } }) => i.event.eventID));
      token = res.body.nextPageToken;
    } while (token);
    expect(seen).to.deep.equal([ids.commission, ids.ship, ids.pack, ids.order, ids.bind, ids.observe]);
  });

  it("when an event names the product but no batch of ours, then it sits in the product's own chain, which checks out and exports valid", async () => {
    const check = await request(app).get(`/api/v1/products/${w.productId}/events/verify`).set(bearer(admin)).expect(200);
    expect(check.body).to.include({ batchId: `product:${w.productId}`, ok: true, count: 1 });
    const exported = await request(app).get('/api/v1/epcis/events').query({ product: w.productId, MATCH_epc: `urn:epc:idpat:sgtin:${w.gtin!.slice(1, 8)}.${w.gtin![0]}${w.gtin!.slice(8, 13)}.*` }).expect(200);
    const doc = JSON.parse(exported.text) as { epcisBody: { eventList: Record<string, unknown>[] } };
    expect(epcisSchemaErrors(doc)).to.equal(null);
    expect(doc.epcisBody.eventList.map((e) => [e.eventID, e['ocop:productId'], e['ocop:batchId']])).to.deep.equal([[ids.observe, w.productId, undefined]]);
  });

  for (const path of ['/api/v1/events', '/api/v1/epcis/events']) {
    it(`when ${path} gets a parameter it does not know, then 400 query/unknown_parameter names it instead of answering everything`, async () => {
      for (const name of ['MATCH_epcs', 'EQ_color', 'madeUp']) {
        const res = await request(app).get(path).query({ batch: w.batchId, [name]: 'x' }).expect(400);
        expect(res.body.error.code).to.equal('query/unknown_parameter');
        expect(res.body.error.message).to.contain(`"${name}"`);
        expect(res.body.error.details.parameters).to.deep.equal([name]);
      }
    });
  }

  it('when a parameter has a value outside its vocabulary, then 400 request/invalid says so', async () => {
    const res = await request(app).get('/api/v1/events').query({ batch: w.batchId, EQ_action: 'UPDATE' }).expect(400);
    expect(res.body.error.code).to.equal('request/invalid');
    expect(res.body.error.message).to.contain('EQ_action');
  });
});
