import path from 'node:path';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Eta } from 'eta';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildEventBatch, buildProducer, epcisDoc, objectEvent } from '../support/kit.js';
import { withCheckDigit } from '../../src/reference/gs1.js';
import { batchTimeline } from '../../src/events/timeline/timeline.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const eta = new Eta({ views: path.resolve(here, '..', '..', 'views'), autoEscape: true, autoTrim: false });

/** A fresh GLN under a 7-digit company prefix 893xxxx, as its SGLN and its digits. */
function freshPlace(extension = '0') {
  const prefix = `893${String(randomInt(1e4)).padStart(4, '0')}`;
  const ref = String(randomInt(1e5)).padStart(5, '0');
  return { gln: withCheckDigit(`${prefix}${ref}`), sgln: `urn:epc:id:sgln:${prefix}.${ref}.${extension}` };
}

describe('registry: locations (GLN / SGLN → commune) and events placed by them', () => {
  const app = buildTestApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  it('when an admin registers an SGLN, then it is stored with its GLN, extension and commune, and can be read and listed', async () => {
    const place = freshPlace('12');
    const producer = await buildProducer();
    const res = await request(app).post('/api/v1/locations').set(bearer(admin)).send({ id: place.sgln, name: 'Kho lạnh số 2', communeCode: '577', producerId: producer._id }).expect(201);
    expect(res.body).to.include({ id: `${place.gln}:12`, gln: place.gln, extension: '12', sgln: place.sgln, communeCode: '00577', producerId: producer._id, name: 'Kho lạnh số 2' });
    expect(res.body.communeName).to.contain('Bát Tràng');
    await request(app).get(`/api/v1/locations/${encodeURIComponent(res.body.id)}`).expect(200);
    const list = await request(app).get('/api/v1/locations').query({ producer: producer._id }).expect(200);
    expect(list.body.items.map((l: { id: string }) => l.id)).to.deep.equal([res.body.id]);
    await request(app).get('/api/v1/locations/0000000000000').expect(404);
  });

  it('when the same GLN is registered again, in any spelling, then 409 location/duplicate names the existing one', async () => {
    const place = freshPlace();
    await request(app).post('/api/v1/locations').set(bearer(admin)).send({ gln: place.gln, name: 'Cửa hàng OCOP', communeCode: '00577' }).expect(201);
    for (const again of [{ gln: place.gln }, { id: place.sgln }, { id: `https://id.gs1.org/414/${place.gln}` }]) {
      const res = await request(app).post('/api/v1/locations').set(bearer(admin)).send({ ...again, name: 'Lần nữa', communeCode: '00577' }).expect(409);
      expect(res.body.error.code).to.equal('location/duplicate');
      expect(res.body.error.details.existingLocationId).to.equal(place.gln);
    }
  });

  it('when a GLN has a wrong check digit or the commune is unknown, then 400 location/invalid says which', async () => {
    const place = freshPlace();
    const wrong = `${place.gln.slice(0, 12)}${(Number(place.gln[12]) + 1) % 10}`;
    const bad = await request(app).post('/api/v1/locations').set(bearer(admin)).send({ gln: wrong, name: 'Sai số', communeCode: '00577' }).expect(400);
    expect(bad.body.error).to.include({ code: 'location/invalid' });
    expect(bad.body.error.message).to.contain('check digit');
    const commune = await request(app).post('/api/v1/locations').set(bearer(admin)).send({ gln: place.gln, name: 'Không xã', communeCode: '99999' }).expect(400);
    expect(commune.body.error.message).to.contain('99999');
  });

  it("when a producer key registers a location, then it may register its own producer's only", async () => {
    const mine = await buildProducer();
    const theirs = await buildProducer();
    const key = await apiKeyFor('producer', mine._id);
    const own = await request(app).post('/api/v1/locations').set(bearer(key)).send({ id: freshPlace().sgln, name: 'Xưởng gốm', communeCode: '00577' }).expect(201);
    expect(own.body.producerId).to.equal(mine._id);
    const other = await request(app).post('/api/v1/locations').set(bearer(key)).send({ id: freshPlace().sgln, name: 'Không phải của tôi', communeCode: '00577', producerId: theirs._id }).expect(403);
    expect(other.body.error.code).to.equal('auth/forbidden');
    await request(app).post('/api/v1/locations').set(bearer(key)).send({ id: freshPlace().sgln, name: 'Chợ chung', communeCode: '00577', producerId: null }).expect(403);
    await request(app).post('/api/v1/locations').send({ id: freshPlace().sgln, name: 'Ẩn danh', communeCode: '00577' }).expect(401);
    const listed = await request(app).get('/api/v1/locations').set(bearer(key)).query({ producer: mine._id }).expect(200);
    expect(listed.body.items.map((l: { id: string }) => l.id)).to.deep.equal([own.body.id]);
  });

  it('when an event is placed only by an unregistered SGLN, then 400 event/unknown_location says to register it; once registered, the event is accepted and its timeline names the place', async () => {
    const w = await buildEventBatch();
    const place = freshPlace('3');
    const event = objectEvent(w, {
      readPoint: { id: place.sgln },
      bizLocation: undefined,
      bizStep: 'storing',
      sensorElementList: [
        { sensorMetadata: { startTime: '2025-03-02T06:00:00+07:00', endTime: '2025-03-02T08:00:00+07:00', 'ex:probe': 'P-7' }, sensorReport: [{ type: 'Temperature', minValue: 2.5, maxValue: 6, uom: 'CEL' }, { type: 'Temperature', value: 9, uom: 'CEL', exception: 'ALARM_CONDITION' }] },
      ],
    });
    const refused = await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc([event], [{ ex: 'https://cold.example.vn/' }])).expect(400);
    expect(refused.body.error.code).to.equal('event/unknown_location');
    expect(refused.body.error.message).to.contain(`${place.sgln} is not a registered location: register it (POST /api/v1/locations`);

    await request(app).post('/api/v1/locations').set(bearer(admin)).send({ id: place.sgln, name: 'Kho lạnh Bát Tràng', communeCode: '00577' }).expect(201);
    await request(app).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc([event], [{ ex: 'https://cold.example.vn/' }])).expect(201);

    const timeline = await batchTimeline(w.batchId);
    expect(timeline.steps[0]?.place?.code).to.equal('00577');
    expect(timeline.steps[0]?.place?.name).to.contain('Kho lạnh Bát Tràng');
    expect(timeline.steps[0]?.sensor).to.deep.equal({ temperature: '2.5–9 °C', alarm: true });
    const en = eta.render('events/timeline', { timeline, lang: 'en' });
    expect(en).to.contain('Temperature recorded: 2.5–9 °C').and.contain('A sensor reported an alarm').and.contain('Kho lạnh Bát Tràng');
    const vi = eta.render('events/timeline', { timeline, lang: 'vi' });
    expect(vi).to.contain('Nhiệt độ ghi được: 2.5–9 °C');

    const stored = await request(app).get('/api/v1/events').query({ batch: w.batchId, EQ_readPoint: '00577' }).expect(200);
    expect(stored.body.items).to.have.length(1);
    expect(stored.body.items[0].event.sensorElementList[0].sensorMetadata['ex:probe']).to.equal('P-7');
  });

  it('when a timeline step has a custom business step URI, then the timeline shows the URI as its label', async () => {
    const w = await buildEventBatch();
    await request(app).post('/api/v1/events').set(bearer(admin)).send(objectEvent(w, { bizStep: 'https://example.vn/bizstep/u-men' })).expect(201);
    const timeline = await batchTimeline(w.batchId);
    expect(eta.render('events/timeline', { timeline, lang: 'vi' })).to.contain('https://example.vn/bizstep/u-men');
  });
});
