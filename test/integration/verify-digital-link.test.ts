import { expect } from 'chai';
import request from 'supertest';
import type { SigningKey } from '../../src/labels/signing/key-crypto.js';
import { verificationApp } from '../support/app.js';
import { buildBatch, buildIssuedRun, buildProduct, buildProducer, issueLabel, registerKey, uniqueGtin14, type IssuedRun } from '../support/kit.js';

/**
 * GS1 Digital Links that are not our signed labels: a GTIN alone, with a lot, a serial, a
 * variant, data attributes, a partner's GTIN. They walk up to what we know (lot, then
 * product) and never read as a verified label.
 */
const BASE = 'https://trace.example.vn';

describe('resolver: GS1 Digital Links other than our signed labels', () => {
  const { app, keyring } = verificationApp();
  let key: SigningKey;
  let world: IssuedRun;
  let gtin: string;
  let productPage: string;

  before(async () => {
    key = await registerKey('active');
    await keyring.refresh();
    world = await buildIssuedRun({ gtin: true });
    gtin = world.product.gtin!;
    productPage = `/products/${world.product._id}`;
  });

  describe('when a link names the product, a lot or a serial without our signature, then it walks up to what we know', () => {
    const cases: Array<[string, () => string, () => string]> = [
      ['the GTIN alone', () => `/01/${gtin}`, () => productPage],
      ['the GTIN-13 form', () => `/01/${gtin.slice(1)}`, () => productPage],
      ['the convenience alpha /gtin/', () => `/gtin/${gtin}`, () => productPage],
      ['a trailing slash', () => `/01/${gtin}/`, () => productPage],
      ['a lot of ours', () => `/01/${gtin}/10/${world.batch.lotCode}`, () => `${productPage}#lot-${world.batch.lotCode}`],
      ['a lot we never saw', () => `/01/${gtin}/10/NOT-OURS`, () => productPage],
      ['a serial we do not know, in our lot', () => `/01/${gtin}/10/${world.batch.lotCode}/21/UNKNOWN123`, () => `${productPage}#lot-${world.batch.lotCode}`],
      ['a short serial and no lot', () => `/01/${gtin}/21/12345`, () => productPage],
      ['a consumer product variant (22)', () => `/01/${gtin}/22/2A/10/${world.batch.lotCode}`, () => `${productPage}#lot-${world.batch.lotCode}`],
      ['a third-party serial extension (235)', () => `/01/${gtin}/235/TPX-1`, () => productPage],
      ['data attributes in the query', () => `/01/${gtin}?17=291231&3103=000500`, () => `${productPage}?17=291231&3103=000500`],
    ];
    for (const [what, path, target] of cases) {
      it(what, async () => {
        const res = await request(app).get(path()).expect(307);
        expect(res.headers.location).to.equal(target());
        expect(res.headers['access-control-allow-origin']).to.equal('*');
      });
    }
  });

  it('when the link names a real label\'s serial but carries no signature, then it gets the lot, never the verification page', async () => {
    const label = await issueLabel(world, key);
    const res = await request(app).get(`/01/${gtin}/10/${world.batch.lotCode}/21/${label.serial}`).set('Accept', 'text/html').expect(307);
    expect(res.headers.location).to.equal(`${productPage}#lot-${world.batch.lotCode}`);
    // Where it lands: the product with its certificate, the lot's row, and a plain statement that no label was verified.
    const page = await request(app).get(productPage).set('Accept', 'text/html').expect(200);
    expect(page.text).to.contain(`<tr id="lot-${world.batch.lotCode}">`).and.contain('chưa có tem nào được xác thực ở đây').and.contain('id="certification"');
    const en = await request(app).get(`${productPage}?lang=en`).set('Accept', 'text/html').expect(200);
    expect(en.text).to.contain('no label has been verified here');
  });

  it('when a partner\'s product is registered with its GTIN and has no labels of ours, then its links lead to its product page', async () => {
    const producer = await buildProducer();
    const partner = await buildProduct({ producerId: producer._id, gtin: uniqueGtin14() });
    await buildBatch(partner, { lotCode: 'P-2026-01' });
    const res = await request(app).get(`/01/${partner.gtin}/10/P-2026-01/21/SER1?foo=bar`).set('Accept', 'application/json').expect(307);
    expect(res.headers.location).to.equal(`/products/${partner._id}?foo=bar#lot-P-2026-01`);
  });

  it('when the query is passed on, then it reaches the target as sent, before the fragment', async () => {
    const res = await request(app).get(`/01/${gtin}/10/${world.batch.lotCode}?lang=en&utm_source=shelf&x=a%2Bb`).expect(307);
    expect(res.headers.location).to.equal(`${productPage}?lang=en&utm_source=shelf&x=a%2Bb#lot-${world.batch.lotCode}`);
  });

  it('when no product carries the GTIN, then 404 resolver/gtin_not_found, open to every origin; a full label path without signature is not a 400', async () => {
    const other = uniqueGtin14();
    for (const path of [`/01/${other}`, `/01/${other}/10/LOT-7/21/ABCDEFGHJKLMN`]) {
      const res = await request(app).get(path).set('Accept', 'application/json').expect(404);
      expect(res.body.error.code).to.equal('resolver/gtin_not_found');
      expect(res.headers['access-control-allow-origin']).to.equal('*');
    }
  });

  it('when a Digital Link breaks the standard\'s grammar, then 400 label/malformed_uri says which part', async () => {
    const cases: Array<[string, string]> = [
      [`/01/${gtin}/21/S1/10/L1`, 'path'],
      [`/01/${gtin}/10/A%20B`, 'lot'],
      [`/01/${gtin}?17=291331`, 'attribute'],
      [`/01/${gtin}?10=L1`, 'query'],
      [`/01/${gtin}/22/${'V'.repeat(21)}`, 'cpv'],
    ];
    for (const [path, problem] of cases) {
      const res = await request(app).get(path).set('Accept', 'application/json').expect(400);
      expect(res.body.error.code, path).to.equal('label/malformed_uri');
      expect(res.body.error.details.digitalLinkProblem, path).to.equal(problem);
      expect(res.headers['access-control-allow-origin']).to.equal('*');
    }
  });

  it('when a link type is asked for in any spelling of the GS1 vocabulary, then it redirects there; a type we lack gets the default link', async () => {
    for (const spelling of ['gs1:certificationInfo', 'https://ref.gs1.org/voc/certificationInfo', 'https://gs1.org/voc/certificationInfo', 'https://www.gs1.org/voc/certificationInfo']) {
      const res = await request(app).get(`/01/${gtin}`).query({ linkType: spelling }).expect(307);
      expect(res.headers.location, spelling).to.match(new RegExp(`^${productPage}\\?linkType=[^#]+#certification$`));
    }
    const pip = await request(app).get(`/01/${gtin}/10/${world.batch.lotCode}?linkType=gs1:pip`).expect(307);
    expect(pip.headers.location).to.equal(`${productPage}?linkType=gs1:pip#lot-${world.batch.lotCode}`);
    const lacking = await request(app).get(`/01/${gtin}?linkType=gs1:recipeInfo`).expect(307);
    expect(lacking.headers.location).to.equal(`${productPage}?linkType=gs1:recipeInfo`);
  });

  it('when the linkset is asked for, then every level up to the GTIN is an entry with its itemDescription, the default link with href and title only', async () => {
    const asks: Array<[string, (r: request.Test) => request.Test, RegExp]> = [
      ['linkType=linkset', (r) => r.query({ linkType: 'linkset' }), /^application\/linkset\+json/],
      ['linkType=all', (r) => r.query({ linkType: 'all' }), /^application\/linkset\+json/],
      ['Accept: application/linkset+json', (r) => r.set('Accept', 'application/linkset+json'), /^application\/linkset\+json/],
      ['linkType=all as plain JSON', (r) => r.query({ linkType: 'all' }).set('Accept', 'application/json'), /^application\/json/],
    ];
    for (const [what, ask, type] of asks) {
      const res = await ask(request(app).get(`/01/${gtin}/10/${world.batch.lotCode}/21/UNKNOWN123`)).buffer(true).parse(textParser).expect(200);
      expect(res.headers['content-type'], what).to.match(type);
      expect(res.headers.vary).to.match(/Accept/);
      const { linkset } = JSON.parse(res.body as string) as { linkset: Array<Record<string, unknown>> };
      expect(linkset.map((e) => e.anchor), what).to.deep.equal([`${BASE}/01/${gtin}/10/${world.batch.lotCode}`, `${BASE}/01/${gtin}`]);
      for (const entry of linkset) {
        expect(entry.itemDescription).to.be.a('string').and.contain(world.product.name.vi);
        const [def] = entry['https://ref.gs1.org/voc/defaultLink'] as Array<Record<string, unknown>>;
        expect(Object.keys(def!).sort()).to.deep.equal(['href', 'title']);
        // The default link is also described by a descriptive type pointing at the same page.
        const pip = (entry['https://ref.gs1.org/voc/pip'] as Array<Record<string, unknown>>)[0]!;
        expect(pip.href).to.equal(def!.href);
      }
      expect(linkset[1]!['https://ref.gs1.org/voc/certificationInfo']).to.deep.equal([
        { href: `${BASE}${productPage}#certification`, title: 'OCOP certificate / Chứng nhận OCOP', type: 'text/html', hreflang: ['vi', 'en'] },
      ]);
    }
  });

  it('when any resolver answer is sent, then its Link header names the linkset, the JSON-LD context and the links; another spelling names its canonical URI', async () => {
    const res = await request(app).get(`/gtin/${gtin.slice(1)}`).expect(307);
    const link = res.headers.link as string;
    expect(link).to.contain(`<${BASE}/01/${gtin}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
    expect(link).to.match(/rel="http:\/\/www\.w3\.org\/ns\/json-ld#context"/);
    expect(link).to.contain(`<${BASE}/01/${gtin}>; rel="owl:sameAs"`);
    expect(link).to.contain(`<${BASE}${productPage}>; rel="https://ref.gs1.org/voc/pip"; type="text/html"; hreflang="vi"; hreflang="en"`);
    const canonical = await request(app).get(`/01/${gtin}`).expect(307);
    expect(canonical.headers.link).not.to.contain('owl:sameAs');
  });

  it('when a browser sends a CORS preflight or a HEAD, then the resolver answers them', async () => {
    for (const path of [`/01/${gtin}`, `/gtin/${gtin}`, `/p/${world.product._id}/10/L/21/S`, `/${compressGtinLot(gtin, 'L1')}`]) {
      const pre = await request(app).options(path).set({ Origin: 'https://shop.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'accept, accept-language' }).expect(204);
      expect(pre.headers['access-control-allow-origin']).to.equal('*');
      expect(pre.headers['access-control-allow-methods']).to.equal('GET, HEAD, OPTIONS');
      expect(pre.headers['access-control-allow-headers']).to.equal('accept, accept-language');
    }
    const head = await request(app).head(`/01/${gtin}`).expect(307);
    expect(head.headers.location).to.equal(productPage);
  });

  it('when a compressed Digital Link is resolved, then it answers as its uncompressed form and names that form with owl:sameAs', async () => {
    const compressed = compressGtinLot(gtin, world.batch.lotCode);
    const plain = await request(app).get(`/01/${gtin}/10/${world.batch.lotCode}?foo=bar`).expect(307);
    const res = await request(app).get(`/${compressed}?foo=bar`).expect(307);
    expect(res.headers.location).to.equal(plain.headers.location);
    expect(res.headers.link).to.contain(`<${BASE}/01/${gtin}/10/${world.batch.lotCode}>; rel="owl:sameAs"`);
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    const linkset = await request(app).get(`/${compressed}?linkType=linkset`).buffer(true).parse(textParser).expect(200);
    expect(JSON.parse(linkset.body as string).linkset[0].anchor, 'the subject is the uncompressed URI').to.equal(`${BASE}/01/${gtin}/10/${world.batch.lotCode}`);
    const cut = await request(app).get(`/${compressed.slice(0, 12)}`).set('Accept', 'application/json').expect(400);
    expect(cut.body.error.code).to.equal('label/malformed_uri');
    // AI (01), then an optimisation code (a first nibble of hex A), which the resolver does not read.
    const optimised = await request(app).get('/AQnYUc1gm0AAAA').set('Accept', 'application/json').expect(501);
    expect(optimised.body.error.code).to.equal('resolver/compression_not_supported');
  });

  it('when a signed label is opened, then it still gets its verification page in one hop, open to every origin and naming its linkset', async () => {
    const label = await issueLabel(world, key);
    const res = await request(app).get(label.path).set('Accept', 'text/html').expect(200);
    expect(res.text).to.contain('data-verdict="genuine"');
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    expect(res.headers.link).to.equal(`<${label.path}&linkType=linkset>; rel="linkset"; type="application/linkset+json"`);
    const linkset = await request(app).get(`${label.path}&linkType=linkset`).expect(200);
    expect(linkset.headers['content-type']).to.match(/^application\/linkset\+json/);
  });
});

/** GTIN + lot compressed as GS1 Digital Link: Compression writes them (the lot as 7-bit ASCII). */
function compressGtinLot(gtin: string, lot: string): string {
  let bits = `00000001${BigInt(gtin).toString(2).padStart(47, '0')}`;
  bits += `00010000100${lot.length.toString(2).padStart(5, '0')}`;
  for (const c of lot) bits += c.charCodeAt(0).toString(2).padStart(7, '0');
  bits = bits.padEnd(Math.ceil(bits.length / 6) * 6, '0');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return (bits.match(/.{6}/g) ?? []).map((b) => alphabet[parseInt(b, 2)]).join('');
}

function textParser(res: request.Response, callback: (err: Error | null, body: string) => void): void {
  let data = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (data += chunk));
  res.on('end', () => callback(null, data));
}
