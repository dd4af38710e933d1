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

  it('when PUBLIC_BASE_URL has a trailing slash, then labels do not get a double slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://trace.example.vn/' }).publicBaseUrl).to.equal('https://trace.example.vn');
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['MONGODB_URI', 'postgres://x'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['BODY_LIMIT', 'lots'],
    ['LOG_LEVEL', 'loud'],
  ] as const) {
    it(`when ${name}=${value}, then start-up stops with one line naming ${name}`, () => {
      expect(() => loadConfig({ [name]: value })).to.throw(ConfigError, new RegExp(`^Invalid configuration: ${name}: `));
    });
  }
});
