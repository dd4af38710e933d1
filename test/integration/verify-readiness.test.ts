import { expect } from 'chai';
import { once } from 'node:events';
import mongoose from 'mongoose';
import request from 'supertest';
import { testDatabase } from '../hooks.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { verificationApp } from '../support/app.js';
import { buildIssuedRun, issueLabel, registerKey, signLabel, strangerKey, type IssuedLabel } from '../support/kit.js';

/**
 * The outage is the database process stopping (SIGSTOP) under the one client the run
 * connected, as in production, where the driver reconnects the same client when the
 * database is back: every app built in this run (and its session store) keeps working
 * after this file, whatever runs next.
 */
/** Until mongoose's connection reads `state` (the driver noticed the database stop or come back). */
async function connectionReads(state: 'connected' | 'disconnected'): Promise<void> {
  const want = state === 'connected' ? 1 : 0;
  while (mongoose.connection.readyState !== want) await once(mongoose.connection, state === 'connected' ? 'connected' : 'disconnected');
}

describe('verification page while the database is down', function () {
  // The driver notices a stopped server at its next heartbeat (every 10 s), at most a heartbeat and a connect timeout later.
  this.timeout(40_000);
  const { keyring, scans, app } = verificationApp();
  let cached: IssuedLabel;
  let notCached: IssuedLabel;
  let forged: IssuedLabel;

  before(async () => {
    const key = await registerKey('active');
    await keyring.refresh();
    const world = await buildIssuedRun({ gtin: true });
    cached = await issueLabel(world, key);
    notCached = await issueLabel(world, key);
    forged = signLabel(world, strangerKey());
    await request(app).get(cached.path).set('Accept', 'application/json').expect(200); // now in the cache
    await scans.flush();
    testDatabase().pause();
    await connectionReads('disconnected');
  });

  after(() => testDatabase().resume());

  it('when a cached label is scanned, then the page still gives its verdict and says it comes from cached data', async () => {
    const res = await request(app).get(cached.path).set('Accept', 'text/html').expect(200);
    expect(res.text).to.contain('data-verdict="genuine"');
    expect(res.text).to.contain('data-cache-only');
    const json = await request(app).get(cached.path).set('Accept', 'application/json').expect(200);
    expect(json.body).to.include({ verdict: 'genuine', fromCacheOnly: true });
  });

  it('when a label that is not cached is scanned, then it gets a 503 page with a clear code, not a stack', async () => {
    const res = await request(app).get(notCached.path).set('Accept', 'text/html').expect(503);
    expect(res.text).to.contain('verify/database_unavailable');
    expect(res.text).not.to.match(/at .*\.ts:\d+/);
    const json = await request(app).get(notCached.path).set('Accept', 'application/json').expect(503);
    expect(json.body.error.code).to.equal('verify/database_unavailable');
  });

  it('when a forged label is scanned, then it is still recognised as forged without the database', async () => {
    const res = await request(app).get(forged.path).set('Accept', 'application/json').expect(200);
    expect(res.body.verdict).to.equal('forged');
  });

  it('when the database comes back, then the scans made meanwhile are written by the next flush', async () => {
    testDatabase().resume();
    await connectionReads('connected');
    await scans.flush();
    expect(await ScanModel.countDocuments({ serial: cached.serial })).to.equal(3);
    expect(await ScanModel.countDocuments({ serial: forged.serial })).to.equal(1);
  });
});
