import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { certificationStatus } from '../../src/registry/certifications/certification-status.js';
import { gtinProblem } from '../../src/reference/gs1.js';
import { passwordMatches } from '../../src/accounts/password.js';

const run = promisify(execFile);

/**
 * `npm run seed` against a database of its own on the test server (the shared test
 * database already holds other tests' producers, so it is never "empty").
 */
describe('registry: demo seed', function () {
  this.timeout(60_000);
  let uri: string;
  let conn: mongoose.Connection;

  before(async () => {
    const { host, port } = mongoose.connection;
    uri = `mongodb://${host}:${port}/ocop_seed_${Date.now()}`;
    conn = await mongoose.createConnection(uri).asPromise();
  });
  after(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  let firstOutput = '';
  const seed = () => run('npx', ['tsx', 'scripts/seed.ts'], { env: { ...process.env, MONGODB_URI: uri, NODE_ENV: 'test' } });

  it('when seeded twice, then the first run loads the demo data and the second does nothing', async () => {
    const first = await seed();
    firstOutput = first.stdout;
    expect(first.stdout).to.match(/demo data loaded in \d+ ms: \{"producers":6,"products":9,"certifications":10/);
    const second = await seed();
    expect(second.stdout).to.contain('nothing loaded');
    expect(await conn.collection('producers').countDocuments()).to.equal(6);
    expect(await conn.collection('products').countDocuments()).to.equal(9);
    expect(await conn.collection('certifications').countDocuments()).to.equal(10);
    expect(first.stdout).to.match(/"batches":3,"labels":72,"events":\d+/);
    expect(first.stdout).to.match(/demo labels:\nhttp:\/\/localhost:3000\/01\/\d{14}\/10\/[\w.-]+\/21\/[34679ACDEFGHJKMNPQRTUVWXY]{16}\?s=5&v=\d{6}&k=[\w-]{8}&sig=[\w-]{86}/);
  });

  it('when seeded, then the printed demo accounts (office, Hà Nội office, producer, inspector) log in with their printed passwords, stored only as hashes', async () => {
    const printed = [...firstOutput.matchAll(/^(\S+@demo\.ocop\.vn) (\S+) /gm)].map((m) => ({ email: m[1]!, password: m[2]! }));
    expect(printed).to.have.length(4);
    const users = await conn.collection('users').find().toArray();
    expect(users.map((u) => [u.role, u.province ?? null]).sort()).to.deep.equal([['admin', null], ['admin', '01'], ['inspector', null], ['producer', null]]);
    for (const { email, password } of printed) {
      const user = users.find((u) => u.email === email)!;
      expect(JSON.stringify(user)).not.to.contain(password);
      expect(await passwordMatches(user.passwordHash as string, password), email).to.equal(true);
      expect(await passwordMatches(user.passwordHash as string, `${password}x`), email).to.equal(false);
    }
  });

  it('when seeded, then every demo batch has an issued sheet of labels and a value-chain timeline', async () => {
    const batches = await conn.collection('batches').find().toArray();
    expect(batches).to.have.length(3);
    const runs = await conn.collection('label_runs').find().toArray();
    expect(runs.map((r) => r.state)).to.deep.equal(['issued', 'issued', 'issued']);
    expect(await conn.collection('labels').countDocuments()).to.equal(72);
    for (const b of batches) {
      expect(await conn.collection('events').countDocuments({ batchId: b._id })).to.be.at.least(5);
    }
  });

  it('when seeded, then it shows 3–5★, an expired, a revoked and a superseded certification, valid GTINs and audit entries', async () => {
    const certs = await conn.collection('certifications').find().toArray();
    const statuses = certs.map((c) => certificationStatus({ status: c.status as string, validUntil: c.validUntil as Date }));
    expect(statuses.filter((s) => s === 'active')).to.have.length(7);
    expect(statuses).to.include.members(['expired', 'revoked', 'superseded']);
    expect(new Set(certs.map((c) => c.stars))).to.deep.equal(new Set([3, 4, 5]));
    const fiveStar = certs.find((c) => c.stars === 5);
    expect(fiveStar?.authority.level).to.equal('ministry');

    const products = await conn.collection('products').find().toArray();
    const gtins = products.map((p) => p.gtin as string | null).filter((g): g is string => g !== null);
    expect(gtins.length).to.be.within(1, products.length - 1);
    for (const g of gtins) {
      expect(g).to.match(/^0893\d{10}$/);
      expect(gtinProblem(g)).to.equal(null);
    }

    const producers = await conn.collection('producers').find().toArray();
    expect(producers.find((p) => p.address.communeCode === '00577')?.address.legacyDistrict).to.equal('Gia Lâm');
    expect(new Set(producers.map((p) => p.address.provinceCode))).to.deep.equal(new Set(['01', '19', '33']));
    expect(await conn.collection('audit_log').countDocuments({ actor: 'system' })).to.be.at.least(6 + 9 + 10 + 1);
  });
});
