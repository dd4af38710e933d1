import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { errorCatalogue } from '../../src/errors/catalogue.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { createLogger } from '../../src/logger.js';
import { EventModel } from '../../src/events/chain/event.model.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildEventBatch, epcisDoc, objectEvent } from '../support/kit.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('errors: catalogued texts, pages and the documents the resolver points to', () => {
  const app = buildTestApp();
  const notFoundText = errorCatalogue['route/not_found'];

  it('when a JSON client gets an error, then it has the code, the specific message and the catalogued title in Vietnamese and English', async () => {
    const res = await request(app).get('/api/v1/nothing-here').expect(404);
    expect(res.body.error).to.deep.equal({
      code: 'route/not_found',
      message: 'Nothing at GET /api/v1/nothing-here.',
      title: { vi: notFoundText.vi, en: notFoundText.en },
    });
  });

  it("when a browser gets an error page, then it reads the catalogued text in the page's language, the detail and the code", async () => {
    const vi = await request(app).get('/nothing-here').set('Accept', 'text/html').expect(404);
    expect(vi.text).to.contain('lang="vi"').and.contain(notFoundText.vi).and.not.contain(notFoundText.en);
    expect(vi.text).to.contain('Nothing at GET /nothing-here.').and.contain('route/not_found');
    const en = await request(app).get('/nothing-here').set({ Accept: 'text/html', 'Accept-Language': 'en' }).expect(404);
    expect(en.text).to.contain(notFoundText.en).and.not.contain(notFoundText.vi);
    const asked = await request(app).get('/nothing-here?lang=en').set({ Accept: 'text/html', 'Accept-Language': 'vi' }).expect(404);
    expect(asked.text).to.contain(notFoundText.en);
  });

  it('when something unexpected fails, then the answer is 500 internal/error with the catalogued text and nothing of what failed', async () => {
    const failing = express()
      .get('/boom', () => {
        throw new Error('connection to db-7.internal:5432 refused');
      })
      .use(errorHandler(createLogger('silent')));
    const json = await request(failing).get('/boom').set('Accept', 'application/json').expect(500);
    expect(json.body.error).to.deep.include({ code: 'internal/error', message: errorCatalogue['internal/error'].en });
    const page = await request(failing).get('/boom').set('Accept', 'text/html').expect(500);
    expect(page.text).to.contain(errorCatalogue['internal/error'].vi);
    expect(json.text + page.text).not.to.contain('db-7');
  });

  it('when a document repeats an eventID within itself, then it is refused with 409 event/duplicate_event_id and nothing is stored', async () => {
    const w = await buildEventBatch();
    const admin = await apiKeyFor('admin');
    const eventID = `urn:uuid:${randomUUID()}`;
    const res = await request(app)
      .post('/api/v1/epcis/capture')
      .set(bearer(admin))
      .send(epcisDoc([objectEvent(w, { eventID }), objectEvent(w, { eventID })]))
      .expect(409);
    expect(res.body.error.code).to.equal('event/duplicate_event_id');
    expect(res.body.error.message).to.contain('eventList[1]');
    expect(await EventModel.countDocuments({ batchId: w.batchId })).to.equal(0);
  });

  it("when a verifier follows the resolver description's documentation link, then it gets docs/label-format.md as markdown", async () => {
    const description = await request(app).get('/.well-known/gs1resolver').expect(200);
    const link = new URL(description.body.signature.documentation);
    expect(link.origin).to.equal('https://trace.example.vn');
    const res = await request(app).get(link.pathname).expect(200);
    expect(res.headers['content-type']).to.equal('text/markdown; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    expect(res.text).to.equal(readFileSync(path.join(root, 'docs', 'label-format.md'), 'utf8'));
  });
});
