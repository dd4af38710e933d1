import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp, PUBLIC_BASE_URL } from '../support/app.js';
import { buildBatch, buildProduct, buildProducer } from '../support/kit.js';

/**
 * The GS1 Digital Link material in test/conformance/digital-link/ (provenance in its
 * README), run against the resolver over HTTP: the standard's URI examples (valid ones
 * never 400, invalid ones always), the compression pairs (the compressed form answered
 * as the uncompressed one) and the conformant-resolver criteria, each by its own check.
 * The figures (pass / total per source, and the deviations with their reasons) are
 * printed and every check must pass.
 */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'conformance', 'digital-link');
const load = <T>(file: string): T => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
type Example = { uri: string; note: string };
const examples = load<{ gtins: string[]; valid: Example[]; invalid: Example[] }>('uri-examples.json');
const compression = load<{ pairs: Array<[string, string]> }>('compression.json');
const criteria = load<{ criteria: Array<{ id: string; level: string; text: string; check?: string; deviation?: string }> }>('resolver-criteria.json').criteria;

type Linkset = { linkset: Array<Record<string, unknown>> };
type Link = { href: string; title?: string };
const VOC = 'https://ref.gs1.org/voc/';
const GTIN = '09506000134352';
const LOT = 'ABC123';
const lotOf = (entry: Record<string, unknown>, type: string) => (entry[`${VOC}${type}`] as Link[] | undefined) ?? [];

describe('GS1 Digital Link conformance: the standard\'s examples and the conformant-resolver criteria', function () {
  this.timeout(60_000);
  const app = buildTestApp();
  const figures: string[] = [];

  before(async () => {
    const producer = await buildProducer();
    for (const gtin of examples.gtins) {
      const product = await buildProduct({ producerId: producer._id, gtin, name: { vi: `Sản phẩm mẫu GS1 ${gtin}` } });
      await buildBatch(product, { lotCode: LOT });
    }
  });

  after(() => {
    // The figures are the point of this test: shown with the results, as mocha's own lines are.
    process.stdout.write(['\n  GS1 Digital Link conformance', ...figures, ''].join('\n'));
  });

  const get = (uri: string) => request(app).get(uri).buffer(true).parse(textParser);

  it('when the standard\'s valid URI examples are resolved, then none gets 400; the invalid ones all get 400 and never 200', async () => {
    const wrong: string[] = [];
    for (const { uri, note } of examples.valid) {
      const res = await get(uri);
      if (res.status === 400) wrong.push(`valid ${uri} (${note}): 400 ${res.body as string}`);
    }
    for (const { uri, note } of examples.invalid) {
      const res = await get(uri).set('Accept', 'application/json');
      if (res.status !== 400) wrong.push(`invalid ${uri} (${note}): ${res.status}`);
    }
    const total = examples.valid.length + examples.invalid.length;
    figures.push(`  uri-examples.json: ${total - wrong.length} / ${total} answered as the standard says`);
    expect(wrong).to.deep.equal([]);
  });

  it('when each compressed example is resolved, then it answers as its uncompressed form and names it with owl:sameAs', async () => {
    const wrong: string[] = [];
    for (const [compressed, plain] of compression.pairs) {
      const [a, b] = [await get(`${compressed}?foo=bar`), await get(`${plain}?foo=bar`)];
      if (a.status !== b.status || a.headers.location !== b.headers.location) wrong.push(`${compressed}: ${a.status} ${a.headers.location} vs ${b.status} ${b.headers.location}`);
      if (!String(a.headers.link).includes(`<${PUBLIC_BASE_URL}${plain}>; rel="owl:sameAs"`)) wrong.push(`${compressed}: no owl:sameAs ${plain}`);
    }
    figures.push(`  compression.json: ${compression.pairs.length - new Set(wrong.map((w) => w.split(':')[0])).size} / ${compression.pairs.length} pairs answered alike`);
    expect(wrong).to.deep.equal([]);
  });

  const checks: Record<string, () => Promise<void>> = {
    async methods() {
      await request(app).get(`/01/${GTIN}`).expect(307);
      await request(app).head(`/01/${GTIN}`).expect(307);
      await request(app).options(`/01/${GTIN}`).set('Access-Control-Request-Method', 'GET').expect(204);
    },
    async cors() {
      const res = await request(app).get(`/01/${GTIN}`).set('Origin', 'https://elsewhere.example');
      expect(res.headers['access-control-allow-origin']).to.equal('*');
      const pre = await request(app).options(`/01/${GTIN}`).set({ Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'GET' });
      expect(pre.headers['access-control-allow-origin']).to.equal('*');
      expect(pre.headers['access-control-allow-methods']).to.contain('GET');
    },
    async decompress() {
      const [compressed, plain] = compression.pairs[1]!;
      expect((await get(compressed)).headers.location).to.equal((await get(plain)).headers.location);
    },
    async sameAs() {
      const [compressed, plain] = compression.pairs[2]!;
      expect((await get(compressed)).headers.link).to.contain(`<${PUBLIC_BASE_URL}${plain}>; rel="owl:sameAs"`);
    },
    async syntax400() {
      await request(app).get(`/01/${GTIN.slice(0, 13)}3`).set('Accept', 'application/json').expect(400);
    },
    async no200error() {
      for (const uri of [`/01/${GTIN.slice(0, 13)}3`, '/01/09506000117843', `/01/${GTIN}/21/1/10/2`]) expect((await get(uri)).status, uri).not.to.equal(200);
    },
    async linkset() {
      const res = await get(`/01/${GTIN}/10/${LOT}/21/UNKNOWN-1?linkType=linkset`).expect(200);
      expect(res.headers['content-type']).to.match(/^application\/linkset\+json/);
      const body = JSON.parse(res.body as string) as Linkset;
      expect(body.linkset.map((e) => e.anchor)).to.deep.equal([`${PUBLIC_BASE_URL}/01/${GTIN}/10/${LOT}`, `${PUBLIC_BASE_URL}/01/${GTIN}`]);
      // The shape GS1's linkset schema asks: anchor and itemDescription strings, each link type an array of links with href.
      for (const entry of body.linkset) {
        expect(entry.itemDescription).to.be.a('string');
        for (const [key, links] of Object.entries(entry).filter(([k]) => k.startsWith(VOC))) {
          expect(links, key).to.be.an('array').that.is.not.empty;
          for (const l of links as Link[]) expect(l.href, key).to.match(/^https:\/\//);
        }
      }
      const [compressed, plain] = compression.pairs[1]!;
      const fromCompressed = JSON.parse((await get(`${compressed}?linkType=linkset`).expect(200)).body as string) as Linkset;
      expect(fromCompressed.linkset[0]!.anchor).to.equal(`${PUBLIC_BASE_URL}${plain}`);
    },
    async linkHeader() {
      const res = await get(`/01/${GTIN}`).expect(307);
      expect(res.headers.link).to.contain(`<${PUBLIC_BASE_URL}/01/${GTIN}?linkType=linkset>; rel="linkset"`);
    },
    async defaultLink() {
      const body = JSON.parse((await get(`/01/${GTIN}/10/${LOT}?linkType=linkset`)).body as string) as Linkset;
      for (const entry of body.linkset) expect(lotOf(entry, 'defaultLink')).to.have.length(1);
    },
    async linkFields() {
      const body = JSON.parse((await get(`/01/${GTIN}/10/${LOT}?linkType=linkset`)).body as string) as Linkset;
      for (const entry of body.linkset) {
        for (const [key, links] of Object.entries(entry).filter(([k]) => k.startsWith(VOC))) for (const l of links as Link[]) expect(l, key).to.include.keys('href', 'title');
      }
      const header = String((await get(`/01/${GTIN}`)).headers.link);
      for (const part of header.split(/,\s*(?=<)/)) expect(part).to.match(/^<[^>]+>; rel="[^"]+"/);
    },
    async redirectDefault() {
      const body = JSON.parse((await get(`/01/${GTIN}?linkType=linkset`)).body as string) as Linkset;
      const def = lotOf(body.linkset[0]!, 'defaultLink')[0]!;
      expect(`${PUBLIC_BASE_URL}${(await get(`/01/${GTIN}`)).headers.location as string}`).to.equal(def.href);
    },
    async redirectLinkType() {
      const body = JSON.parse((await get(`/01/${GTIN}?linkType=linkset`)).body as string) as Linkset;
      const cert = lotOf(body.linkset[0]!, 'certificationInfo')[0]!;
      const res = await get(`/01/${GTIN}?linkType=gs1:certificationInfo`).expect(307);
      expect(`${PUBLIC_BASE_URL}${(res.headers.location as string).replace('?linkType=gs1:certificationInfo', '')}`).to.equal(cert.href);
    },
    async queryPassed() {
      expect((await get(`/01/${GTIN}?foo=bar&17=291231`).expect(307)).headers.location).to.match(/\?foo=bar&17=291231$/);
    },
    async description() {
      const res = await request(app).get('/.well-known/gs1resolver').expect(200);
      expect(res.body.resolverRoot).to.match(/^https?:\/\/[^/]+/);
      expect(res.body.supportedPrimaryKeys).to.include('01');
    },
    async vocabulary() {
      const spellings = ['gs1:pip', 'https://ref.gs1.org/voc/pip', 'https://gs1.org/voc/pip', 'https://www.gs1.org/voc/pip'];
      const targets = new Set<string>();
      for (const s of spellings) targets.add(String((await get(`/01/${GTIN}?linkType=${encodeURIComponent(s)}`).expect(307)).headers.location).split('?')[0]!);
      expect([...targets]).to.have.length(1);
    },
    async trailingSlash() {
      const [a, b] = [await get(`/01/${GTIN}/10/${LOT}`), await get(`/01/${GTIN}/10/${LOT}/`)];
      expect([a.status, a.headers.location]).to.deep.equal([b.status, b.headers.location]);
    },
  };

  it('when each conformant-resolver criterion is checked, then every one passes; the others are named with their reason', async () => {
    const failed: string[] = [];
    for (const c of criteria) {
      if (!c.check) continue;
      const check = checks[c.check];
      if (!check) {
        failed.push(`${c.id}: no check named ${c.check}`);
        continue;
      }
      try {
        await check();
      } catch (e) {
        failed.push(`${c.id}: ${(e as Error).message}`);
      }
    }
    const checked = criteria.filter((c) => c.check);
    const shall = checked.filter((c) => c.level === 'SHALL');
    figures.push(`  resolver-criteria.json: ${checked.length - failed.length} / ${checked.length} checked criteria pass (${shall.length} SHALL, ${checked.length - shall.length} SHOULD); not checked:`);
    for (const c of criteria.filter((x) => x.deviation)) figures.push(`    - ${c.id} (${c.level}): ${c.deviation}`);
    expect(failed).to.deep.equal([]);
  });
});

function textParser(res: request.Response, callback: (err: Error | null, body: string) => void): void {
  let data = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (data += chunk));
  res.on('end', () => callback(null, data));
}
