import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('when nothing is set, then it starts with the embedded database and demo data', () => {
    const c = loadConfig({});
    expect(c.mongodbUri).to.equal(undefined);
    expect(c.port).to.equal(3000);
    expect(c.seedDemo).to.equal(true);
    expect(c.publicBaseUrl).to.equal('http://localhost:3000');
  });

  it('when in production, then demo data is off unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDemo).to.equal(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).seedDemo).to.equal(true);
  });

  it('when rate limits are not set, then the API counts are shared through the database only with MONGODB_URI (several instances), and 0 turns a limit off', () => {
    expect(loadConfig({}).rateLimits).to.include({ shared: false, page: 600, keyReads: 1200, keyWrites: 300, ipReads: 300, ipWrites: 30, authFailures: 30 });
    expect(loadConfig({ MONGODB_URI: 'mongodb://db/ocop' }).rateLimits.shared).to.equal(true);
    expect(loadConfig({ MONGODB_URI: 'mongodb://db/ocop', RATE_LIMIT_STORE: 'memory' }).rateLimits.shared).to.equal(false);
    expect(loadConfig({ RATE_LIMIT_PAGE: '0' }).rateLimits.page).to.equal(0);
  });

  it('when TRUST_PROXY names proxies or a hop count, then the app trusts exactly those', () => {
    expect(loadConfig({}).trustProxy).to.equal('loopback');
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).trustProxy).to.equal('loopback, 10.0.0.0/8, fd00::/8');
  });

  it('when PUBLIC_BASE_URL has a trailing slash, then labels do not get a double slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://trace.example.vn/' }).publicBaseUrl).to.equal('https://trace.example.vn');
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['MONGODB_URI', 'postgres://x'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['BODY_LIMIT', 'lots'],
    ['DECODE_TIME_LIMIT_MS', '0'],
    ['LOG_LEVEL', 'loud'],
    ['RATE_LIMIT_PAGE', '-1'],
    ['RATE_LIMIT_STORE', 'redis'],
    ['TRUST_PROXY', '10.0.0.300'],
    ['TRUST_PROXY', 'everyone'],
  ] as const) {
    it(`when ${name}=${value}, then start-up stops with one line naming ${name}`, () => {
      expect(() => loadConfig({ [name]: value })).to.throw(ConfigError, new RegExp(`^Invalid configuration: ${name}: `));
    });
  }
});
