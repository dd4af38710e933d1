import { expect } from 'chai';
import express, { type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { errorCatalogue } from '../../src/errors/catalogue.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { rateLimit } from '../../src/limits/rate-limit.js';
import { createLogger } from '../../src/logger.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { apiKeyFor, bearer, testConfig } from '../support/app.js';
import { buildIssuedRun, issueLabel, registerKey } from '../support/kit.js';

/**
 * Rate limits over real HTTP on the real database. Every test sends from addresses of its
 * own (X-Forwarded-For, which the app trusts from loopback), so counts kept in the shared
 * database by other tests of the run never meet its own.
 */
let nextAddress = 0;
const freshAddress = () => `198.51.100.${(nextAddress += 1)}`;

function appWith(limits: Record<string, string>): Express {
  return createApp({ config: testConfig(limits), logger: createLogger('silent'), scans: new ScanRecorder({ flushMs: 60_000 }) });
}

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status);

function expectRateLimited(res: request.Response, code: 'request/rate_limited' | 'verify/rate_limited' = 'request/rate_limited'): void {
  expect(res.status).to.equal(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter, 'Retry-After in whole seconds').to.be.a('number').and.satisfy(Number.isInteger);
  expect(retryAfter).to.be.within(1, 600);
  if (res.type === 'application/json') {
    expect(res.body.error.code).to.equal(code);
    expect(res.body.error.title).to.deep.equal({ vi: errorCatalogue[code].vi, en: errorCatalogue[code].en });
    expect(res.body.error.message).to.contain(`try again in ${retryAfter} s`);
    expect(res.body.error.details.retryAfterSeconds).to.equal(retryAfter);
  }
}

describe('rate limits', function () {
  this.timeout(60_000);

  describe('the API', () => {
    it('when anonymous reads from one address go past the limit, then each one over it gets 429 request/rate_limited with Retry-After, and those under it pass', async () => {
      const app = appWith({ RATE_LIMIT_IP_READS: '5' });
      const ip = freshAddress();
      const under = [];
      for (let i = 0; i < 5; i += 1) under.push(await request(app).get('/api/v1/product-groups').set('X-Forwarded-For', ip));
      expect(statuses(under)).to.deep.equal([200, 200, 200, 200, 200]);

      const over = await request(app).get('/api/v1/product-groups').set('X-Forwarded-For', ip);
      expectRateLimited(over);
      expect(over.body.error.details).to.include({ limit: 5, windowSeconds: 60 });
      expect(over.body.error.message).to.match(/^Too many API reads from this address without an API key/);
    });

    it('when a burst of 40 concurrent reads meets a limit of 10, then exactly 10 pass and 30 get 429', async () => {
      const app = appWith({ RATE_LIMIT_IP_READS: '10' });
      const ip = freshAddress();
      const burst = await Promise.all(Array.from({ length: 40 }, () => request(app).get('/api/v1/product-groups').set('X-Forwarded-For', ip)));
      expect(burst.filter((r) => r.status === 200)).to.have.length(10);
      const refused = burst.filter((r) => r.status === 429);
      expect(refused).to.have.length(30);
      refused.forEach((r) => expectRateLimited(r));
    });

    it('when an API key has used up its reads, then anonymous reads from the same address and another key keep their own budgets', async () => {
      const app = appWith({ RATE_LIMIT_KEY_READS: '3', RATE_LIMIT_IP_READS: '3' });
      const ip = freshAddress();
      const [key, otherKey] = [await apiKeyFor('inspector'), await apiKeyFor('inspector')];
      const read = (headers: Record<string, string> = {}) => request(app).get('/api/v1/products').set({ 'X-Forwarded-For': ip, ...headers });

      const keyed = [await read(bearer(key)), await read(bearer(key)), await read(bearer(key)), await read(bearer(key))];
      expect(statuses(keyed)).to.deep.equal([200, 200, 200, 429]);
      expect(keyed[3]!.body.error.message).to.match(/^Too many API reads from this API key/);

      expect(statuses([await read(), await read(), await read()])).to.deep.equal([200, 200, 200]);
      expect((await read(bearer(otherKey))).status).to.equal(200);
      expectRateLimited(await read());
    });

    it('when a key has used up its writes, then its writes get 429 while its reads still pass', async () => {
      const app = appWith({ RATE_LIMIT_KEY_WRITES: '2', RATE_LIMIT_KEY_READS: '100' });
      const ip = freshAddress();
      const key = await apiKeyFor('admin');
      // An empty producer is refused by validation (400): it counts as a write all the same.
      const write = () => request(app).post('/api/v1/producers').set({ 'X-Forwarded-For': ip, ...bearer(key) }).send({});
      expect(statuses([await write(), await write()])).to.deep.equal([400, 400]);
      const over = await write();
      expectRateLimited(over);
      expect(over.body.error.message).to.match(/^Too many API writes from this API key \(at most 2 a minute\)/);
      await request(app).get('/api/v1/producers').set({ 'X-Forwarded-For': ip, ...bearer(key) }).expect(200);
    });

    it('when one key alternates between two instances on one database, then together they allow the limit once, not once each', async () => {
      // A long wait for the shared count: on a busy test machine the answer must not come too late to count.
      const limits = { RATE_LIMIT_KEY_READS: '6', RATE_LIMIT_STORE: 'database', RATE_LIMIT_STORE_TIMEOUT_MS: '10000' };
      const [first, second] = [appWith(limits), appWith(limits)];
      const key = await apiKeyFor('inspector');
      const answers = [];
      for (let i = 0; i < 8; i += 1) {
        answers.push(await request(i % 2 ? second : first).get('/api/v1/products').set({ 'X-Forwarded-For': freshAddress(), ...bearer(key) }));
      }
      expect(statuses(answers)).to.deep.equal([200, 200, 200, 200, 200, 200, 429, 429]);
      expectRateLimited(answers[6]!);
    });

    it('when one address sends invalid keys past the limit, then it gets 429 instead of 401, also with a valid key, while other addresses and its anonymous reads go on', async () => {
      const app = appWith({ RATE_LIMIT_AUTH_FAILURES: '3' });
      const ip = freshAddress();
      const key = await apiKeyFor('inspector');
      const guess = (n: number) => request(app).get('/api/v1/products').set({ 'X-Forwarded-For': ip, ...bearer(`ok_${'A'.repeat(12)}_${String(n).padStart(40, '0')}`) });
      expect(statuses([await guess(1), await guess(2), await guess(3)])).to.deep.equal([401, 401, 401]);
      const fourth = await guess(4);
      expectRateLimited(fourth);
      expect(fourth.body.error.message).to.match(/invalid API key from this address/);
      expect(Number(fourth.headers['retry-after'])).to.be.within(540, 600);

      expectRateLimited(await request(app).get('/api/v1/products').set({ 'X-Forwarded-For': ip, ...bearer(key) }));
      await request(app).get('/api/v1/products').set('X-Forwarded-For', ip).expect(200);
      await request(app).get('/api/v1/products').set({ 'X-Forwarded-For': freshAddress(), ...bearer(key) }).expect(200);
    });

    it('when two IPv6 addresses of one /64 read anonymously, then they share one budget; another /64 has its own', async () => {
      const app = appWith({ RATE_LIMIT_IP_READS: '2' });
      const prefix = `2001:db8:${(nextAddress += 1).toString(16)}:7`;
      const read = (ip: string) => request(app).get('/api/v1/product-groups').set('X-Forwarded-For', ip);
      expect(statuses([await read(`${prefix}::1`), await read(`${prefix}:0:0:0:2`), await read(`${prefix}::ff:3`)])).to.deep.equal([200, 200, 429]);
      expect((await read(`${prefix.replace(/:7$/, ':8')}::1`)).status).to.equal(200);
    });
  });

  describe('any other route (login, a report form)', () => {
    it('when a route puts rateLimit() in front of its handler, then past the limit it answers 429 with Retry-After and the handler never runs', async () => {
      const config = testConfig({ RATE_LIMIT_STORE: 'database', RATE_LIMIT_STORE_TIMEOUT_MS: '10000' });
      let handled = 0;
      const app = express();
      app.set('trust proxy', config.trustProxy);
      app.post('/login', rateLimit(config, { name: 'test_login', points: 2, windowSec: 600, what: 'Too many login attempts from this address' }), (_req, res) => {
        handled += 1;
        res.json({ ok: true });
      });
      app.use(errorHandler(createLogger('silent')));
      const ip = freshAddress();
      const login = () => request(app).post('/login').set({ 'X-Forwarded-For': ip, Accept: 'application/json' });
      expect(statuses([await login(), await login()])).to.deep.equal([200, 200]);
      const over = await login();
      expectRateLimited(over);
      expect(over.body.error.message).to.equal(`Too many login attempts from this address: try again in ${over.headers['retry-after']} s.`);
      expect(Number(over.headers['retry-after'])).to.be.within(590, 600);
      expect(handled).to.equal(2);
    });
  });

  describe('label URLs', () => {
    const keyring = Keyring.open(testConfig());
    let labelPath: string;

    before(async () => {
      const key = await registerKey('active');
      await keyring.refresh();
      labelPath = (await issueLabel(await buildIssuedRun(), key)).path;
    });

    const pageApp = (limits: Record<string, string>) =>
      createApp({ config: testConfig(limits), logger: createLogger('silent'), keyring, scans: new ScanRecorder({ flushMs: 60_000 }) });

    it('when one address checks labels past RATE_LIMIT_PAGE, then the page answers 429 verify/rate_limited in the reader\'s language with Retry-After', async () => {
      const app = pageApp({ RATE_LIMIT_PAGE: '3', RATE_LIMIT_IP_READS: '1000' });
      const ip = freshAddress();
      const scan = (accept: string) => request(app).get(labelPath).set({ 'X-Forwarded-For': ip, Accept: accept });
      const under = [await scan('text/html'), await scan('application/json'), await scan('text/html')];
      expect(statuses(under)).to.deep.equal([200, 200, 200]);

      const page = await scan('text/html');
      expectRateLimited(page, 'verify/rate_limited');
      expect(page.type).to.equal('text/html');
      expect(page.text).to.contain(errorCatalogue['verify/rate_limited'].vi);
      const json = await scan('application/json');
      expectRateLimited(json, 'verify/rate_limited');

      // Another address scans on; the API has limits of its own.
      await request(app).get(labelPath).set({ 'X-Forwarded-For': freshAddress(), Accept: 'application/json' }).expect(200);
      await request(app).get('/api/v1/product-groups').set('X-Forwarded-For', ip).expect(200);
    });

    it('when RATE_LIMIT_PAGE is 0, then 50 checks from one address all pass', async () => {
      const app = pageApp({ RATE_LIMIT_PAGE: '0' });
      const ip = freshAddress();
      const answers = await Promise.all(Array.from({ length: 50 }, () => request(app).get(labelPath).set({ 'X-Forwarded-For': ip, Accept: 'application/json' })));
      expect(statuses(answers).filter((s) => s !== 200)).to.deep.equal([]);
    });
  });
});
