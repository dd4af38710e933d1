import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import type { SigningKey } from '../../src/labels/signing/key-crypto.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { verificationApp } from '../support/app.js';
import { buildIssuedRun, issueLabel, registerKey, signLabel, strangerKey, uniqueGtin14 } from '../support/kit.js';

describe('verification resolver: GS1 answers, keys and scans', () => {
  const { config, keyring, scans, app } = verificationApp();
  let key: SigningKey;
  let revokedKey: SigningKey;

  before(async () => {
    key = await registerKey('active');
    revokedKey = await registerKey('revoked');
    await keyring.refresh();
  });

  describe('when the URI is malformed, then the resolver answers 400 label/malformed_uri with the reason', () => {
    const gtin = uniqueGtin14();
    const badCheckDigit = `${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}`;
    const sig = 'A'.repeat(86);
    const cases: Array<[string, string, RegExp]> = [
      ['a GTIN with a wrong check digit', `/01/${badCheckDigit}/10/L1/21/ABCDEFGHJKLMN?s=4&v=281231&k=abcdefgh&sig=${sig}`, /check digit/],
      ['a path with qualifiers out of order', `/01/${gtin}/21/ABCDEFGHJKLMN/10/L1`, /order/],
      ['a lot with characters GS1 does not allow', `/01/${gtin}/10/L%20X/21/ABCDEFGHJKLMN?s=4&v=281231&k=abcdefgh&sig=${sig}`, /lot/],
      ['stars out of range', `/01/${gtin}/10/L1/21/ABCDEFGHJKLMN?s=6&v=281231&k=abcdefgh&sig=${sig}`, /star/],
      ['no signature parameters', `/p/abcdefghij/10/L1/21/ABCDEFGHJKLMN`, /signature parameters/],
    ];
    for (const [what, path, reason] of cases) {
      it(what, async () => {
        const res = await request(app).get(path).set('Accept', 'application/json').expect(400);
        expect(res.body.error.code).to.equal('label/malformed_uri');
        expect(res.body.error.message).to.match(reason);
      });
    }

    it('a browser gets a verdict page saying it is not a valid OCOP label (verify-page-verdicts.test.ts has the rest)', async () => {
      const res = await request(app).get(`/01/${badCheckDigit}/10/L1/21/ABCDEFGHJKLMN`).set('Accept', 'text/html').expect(400);
      expect(res.type).to.equal('text/html');
      expect(res.text).to.contain('data-verdict="malformed"').and.contain('Không phải tem OCOP hợp lệ');
    });
  });

  it('when a client asks for a linkset, then it gets an RFC 9264 linkset with the GS1 link types', async () => {
    const world = await buildIssuedRun({ gtin: true });
    const label = await issueLabel(world, key);
    for (const ask of [
      (r: request.Test) => r.set('Accept', 'application/linkset+json'),
      (r: request.Test) => r.query({ linkType: 'linkset' }),
      (r: request.Test) => r.query({ linkType: 'all' }), // deprecated alias
    ]) {
      const res = await ask(request(app).get(label.path)).buffer(true).parse(textParser).expect(200);
      expect(res.headers['content-type']).to.match(/^application\/linkset\+json/);
      const body = JSON.parse(res.body as string);
      const entry = body.linkset[0];
      expect(entry.anchor).to.equal(`https://trace.example.vn/01/${world.product.gtin}/10/${world.batch.lotCode}/21/${label.serial}`);
      expect(entry.itemDescription).to.be.a('string').and.contain(world.batch.lotCode);
      for (const type of ['pip', 'certificationInfo', 'traceability']) {
        const [link] = entry[`https://ref.gs1.org/voc/${type}`];
        expect(link.href).to.match(/^https:\/\/trace\.example\.vn\/01\//);
        expect(link).to.include.keys('title', 'type', 'hreflang');
      }
      // The default link has its target and title only (GS1 resolver standard).
      expect(Object.keys(entry['https://ref.gs1.org/voc/defaultLink'][0]).sort()).to.deep.equal(['href', 'title']);
    }
  });

  it('when a forged label is asked for its linkset, then only the default link (the page that says forged) is offered', async () => {
    const world = await buildIssuedRun();
    const label = signLabel(world, strangerKey());
    const res = await request(app).get(label.path).query({ linkType: 'linkset' }).buffer(true).parse(textParser).expect(200);
    const entry = JSON.parse(res.body as string).linkset[0];
    expect(Object.keys(entry).filter((k) => k.startsWith('https://ref.gs1.org/voc/'))).to.deep.equal(['https://ref.gs1.org/voc/defaultLink']);
  });

  it('when a client asks for one link type, then it is redirected there with 307; an unknown type is a 404', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const res = await request(app).get(label.path).query({ linkType: 'gs1:certificationInfo' }).expect(307);
    expect(res.headers.location).to.equal(`${label.url}#certification`);
    const missing = await request(app).get(label.path).query({ linkType: 'gs1:recipeInfo' }).set('Accept', 'application/json').expect(404);
    expect(missing.body.error.code).to.equal('resolver/link_type_not_found');
  });

  it('when anyone fetches the JWKS, then it lists verifying keys (not revoked ones), cacheable and open to every origin', async () => {
    const res = await request(app).get('/.well-known/jwks.json').expect(200);
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    expect(res.headers['cache-control']).to.equal('public, max-age=300');
    const body = JSON.parse(res.text) as { keys: Array<{ kid: string; alg: string; d?: string }> };
    const kids = body.keys.map((k) => k.kid);
    expect(kids).to.include(key.kid);
    expect(kids).not.to.include(revokedKey.kid);
    expect(body.keys.every((k) => k.alg === 'ES256' && k.d === undefined)).to.equal(true);
  });

  it('when a GS1 client asks for the resolver description, then it names the resolver root and link types', async () => {
    const res = await request(app).get('/.well-known/gs1resolver').expect(200);
    expect(res.body.resolverRoot).to.equal('https://trace.example.vn');
    expect(res.body.supportedLinkType.map((l: { linkType: string }) => l.linkType)).to.include('gs1:pip');
    expect(res.body.supportedPrimaryKeys).to.deep.equal(['01']);
    expect(res.body.supportedQualifiers['01']).to.deep.equal(['22', '10', '21', '235']);
    expect(res.body.jsonLdContextLocation).to.equal('https://ref.gs1.org/voc/data/gs1Voc.jsonld');
    expect(res.headers['access-control-allow-origin']).to.equal('*');
  });

  it('when a label is scanned, then each scan is stored after the flush and the page counts it, also in a fresh process', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    for (let i = 1; i <= 3; i += 1) {
      const res = await request(app).get(label.path).query({ place: '00577' }).set('Accept', 'application/json').expect(200);
      expect(res.body.scans.count).to.equal(i);
    }
    await scans.flush();
    const stored = await ScanModel.find({ serial: label.serial }).lean();
    expect(stored).to.have.length(3);
    expect(stored.every((s) => s.verdict === 'genuine' && s.place === '00577' && s.clientHash.length === 16)).to.equal(true);

    const otherScans = new ScanRecorder({ flushMs: 60_000 });
    const otherProcess = createApp({ config, logger: createLogger('silent'), keyring, scans: otherScans });
    const page = await request(otherProcess).get(label.path).set('Accept', 'text/html').expect(200);
    expect(page.text).to.match(/Tem đã được quét 4 lần/);
  });

  it('when a label is scanned by many different phones on several networks within a day, then it warns of a possible clone', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const scanAs = (i: number) =>
      request(app).get(label.path).set('User-Agent', `phone-${i}`).set('X-Forwarded-For', `198.51.100.${i}`).set('Accept', 'application/json').expect(200);
    for (let i = 0; i < 5; i += 1) {
      const res = await scanAs(i);
      expect(res.body.warnings).to.deep.equal([]);
    }
    const sixth = await scanAs(5);
    expect(sixth.body.verdict).to.equal('genuine');
    expect(sixth.body.warnings.map((w: { code: string }) => w.code)).to.deep.equal(['clone_suspected']);
  });

  it('when one client scans a genuine label many times, or cycles browser names from one address, then it never warns of a clone', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    let last: request.Response | undefined;
    for (let i = 0; i < 30; i += 1) {
      last = await request(app).get(label.path).query({ place: i % 2 ? '00577' : '00004' }).set('User-Agent', `browser-${i}`).set('Accept', 'application/json').expect(200);
      expect(last.body.warnings, `scan ${i + 1}`).to.deep.equal([]);
    }
    expect(last?.body.scans.count).to.equal(30);
  });

  it('when two instances record scans of one label at once, then a third counts every scan once and none is lost', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const instances = [0, 1].map(() => {
      const recorder = new ScanRecorder({ flushMs: 60_000 });
      return { recorder, app: createApp({ config, logger: createLogger('silent'), keyring, scans: recorder }) };
    });
    // Rounds of scans on both, each round flushed by both at once: each flush races the other for the next version.
    for (let round = 0; round < 6; round += 1) {
      await Promise.all(instances.flatMap(({ app: a }, n) => [0, 1, 2].map((i) => request(a).get(label.path).set('User-Agent', `p${n}-${round}-${i}`).expect(200))));
      await Promise.all(instances.map(({ recorder }) => recorder.flush()));
    }
    const tallies = instances.map(({ recorder }) => recorder.tallies.stats);
    expect(tallies.reduce((n, t) => n + t.pendingLabels + t.unconfirmedLabels, 0), 'everything written').to.equal(0);
    expect(tallies.reduce((n, t) => n + t.conflicts, 0), 'the instances did race for versions').to.be.greaterThan(0);

    const third = createApp({ config, logger: createLogger('silent'), keyring, scans: new ScanRecorder({ flushMs: 60_000 }) });
    const res = await request(third).get(label.path).set('Accept', 'application/json').expect(200);
    expect(res.body.scans.count).to.equal(2 * 6 * 3 + 1);
  });
});

function textParser(res: request.Response, callback: (err: Error | null, body: string) => void): void {
  let data = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (data += chunk));
  res.on('end', () => callback(null, data));
}
