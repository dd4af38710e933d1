import { expect } from 'chai';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startBuiltService, type Service } from '../support/service.js';

/**
 * A database that stops answering (FerretDB paused with SIGSTOP, as a stalled host or a
 * long GC pause would): the service must answer at once that it cannot serve, not hold
 * requests open. The service runs in a process of its own on a database of its own, so
 * pausing it touches nothing else. A request that gets no answer in HANG_MS fails the
 * test as a hang; that limit is far above the service's own time limits, not a speed target.
 */
const HANG_MS = 15_000;

describe('a stalled database: requests fail fast instead of hanging', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let service: Service;
  let base: string;
  const pause = () => db.pause();
  const resume = () => db?.resume();

  before(async () => {
    db = await createTestDatabase('ocop_outage');
    service = await startBuiltService(db.uri);
    base = `http://127.0.0.1:${service.port}`;
  });

  after(async () => {
    resume();
    await service?.stop();
    await db?.drop();
  });

  afterEach(resume);

  it('when the database is paused, then /readyz says 503 and a registry read answers 503 database/unavailable; once it resumes, both work again', async () => {
    await request(base).get('/readyz').timeout(HANG_MS).expect(200);
    await request(base).get('/api/v1/products').timeout(HANG_MS).expect(200);

    pause();
    const ready = await request(base).get('/readyz').timeout(HANG_MS);
    expect(ready.status).to.equal(503);
    const read = await request(base).get('/api/v1/products').timeout(HANG_MS);
    expect(read.status).to.equal(503);
    expect(read.body.error.code).to.equal('database/unavailable');
    expect(read.body.error.title.vi).to.be.a('string').and.not.equal('');
    // The process itself is fine: liveness does not depend on the database.
    await request(base).get('/healthz').timeout(HANG_MS).expect(200);

    resume();
    let back = 0;
    for (let tries = 0; tries < 100 && back !== 200; tries++) {
      back = (await request(base).get('/api/v1/products').timeout(HANG_MS)).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 100)); // waiting for the driver to reconnect
    }
    expect(back, 'the registry reads again after the database resumes').to.equal(200);
    await request(base).get('/readyz').timeout(HANG_MS).expect(200);
  });
});
