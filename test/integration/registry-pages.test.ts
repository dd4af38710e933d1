import { expect } from 'chai';
import request from 'supertest';
import { randomInt } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { buildTestApp } from '../support/app.js';
import { buildBatch, buildCertification, buildIssuedRun, buildProducer, buildProduct, issueLabel, registerKey, uniqueGtin13 } from '../support/kit.js';
import type { ProducerRecord } from '../../src/registry/producers/producer.service.js';
import type { ProductRecord } from '../../src/registry/products/product.service.js';

/**
 * The public registry as a shopper, a retailer or a journalist meets it: search pages,
 * product and producer pages, the GTIN-only Digital Link and the open data. The index
 * is read again on every request here (CACHE_TTL_MS=0), so what a test just stored shows.
 */
type Item = { id: string; name: { vi: string }; certification: { stars: number } | null };

describe('public registry: search, product and producer pages, open data', () => {
  const app = buildTestApp({ CACHE_TTL_MS: '0' });
  // A word no other test uses, so each search sees only this file's products.
  const tag = Array.from({ length: 6 }, () => 'bcdfghklmnpqrstvx'[randomInt(17)]).join('');
  const Tag = tag[0]!.toUpperCase() + tag.slice(1);
  let coop: ProducerRecord;
  let household: ProducerRecord;
  let enterprise: ProducerRecord;
  const p: Record<'exact' | 'contains' | 'prefix' | 'chopsticks' | 'uncertified', ProductRecord> = {} as never;
  let certNumber = '';

  const search = async (query: Record<string, string>) =>
    (await request(app).get('/api/v1/registry/search').query(query).expect(200)).body as { items: Item[]; page: { total: number; offset: number; limit: number }; licence: string };
  const names = (items: Item[]) => items.map((i) => i.name.vi);

  before(async function () {
    this.timeout(60_000);
    coop = await buildProducer({ name: `HTX Gốm ${Tag}`, kind: 'cooperative', address: { provinceCode: '01', communeCode: '00004' } });
    household = await buildProducer({
      name: `Hộ kinh doanh Nguyễn Văn ${Tag}`,
      kind: 'household',
      address: { provinceCode: '04', communeCode: '01273', street: `Số 7 ngõ ${Tag}` },
      contact: { person: `Nguyễn Văn ${Tag}`, phone: '0912345678', email: `ho${tag}@example.vn` },
    });
    enterprise = await buildProducer({ name: `Công ty Tre ${Tag}`, kind: 'enterprise', publicContact: { phone: '02437654321', website: 'https://tre.example.vn' } });
    p.contains = await buildProduct({ producerId: coop._id, name: { vi: `Bình gốm Bát Tràng ${Tag} men lam`, en: null } });
    p.exact = await buildProduct({ producerId: coop._id, name: { vi: `Gốm Bát Tràng ${Tag}`, en: `Bat Trang ceramics ${Tag}` }, gtin: true });
    p.prefix = await buildProduct({ producerId: household._id, name: { vi: `Gốm Bát Tràng ${Tag} cao cấp`, en: null } });
    p.chopsticks = await buildProduct({ producerId: enterprise._id, name: { vi: `Đũa tre ${Tag}`, en: null }, group: 'food' });
    p.uncertified = await buildProduct({ producerId: enterprise._id, name: { vi: `Chổi đót ${Tag}`, en: null } });
    certNumber = (await buildCertification({ productId: p.exact._id, stars: 5 })).decisionNumber;
    await buildCertification({ productId: p.contains._id, stars: 4 });
    await buildCertification({ productId: p.prefix._id, stars: 3 });
    await buildCertification({ productId: p.chopsticks._id, stars: 4 });
    await buildBatch(p.exact, { lotCode: `BT-${tag}` });
  });

  describe('searching', () => {
    it('when a shopper types the name without diacritics, then the products written with them are found, and the same with them', async () => {
      const plain = await search({ q: `gom bat trang ${tag}` });
      expect(names(plain.items)).to.have.members([p.exact.name.vi, p.prefix.name.vi, p.contains.name.vi]);
      const marked = await search({ q: `Gốm Bát Tràng ${Tag}` });
      expect(names(marked.items)).to.deep.equal(names(plain.items));
    });

    it('when "dua" is typed for "Đũa", or "Đũa" itself, then the chopsticks are found', async () => {
      expect(names((await search({ q: `dua tre ${tag}` })).items)).to.deep.equal([p.chopsticks.name.vi]);
      expect(names((await search({ q: `Đũa ${Tag}` })).items)).to.deep.equal([p.chopsticks.name.vi]);
    });

    it('when a name is searched, then the exact name comes first, then names starting with it, then names containing it', async () => {
      const { items } = await search({ q: `gom bat trang ${tag}` });
      expect(names(items)).to.deep.equal([p.exact.name.vi, p.prefix.name.vi, p.contains.name.vi]);
      const byStars = await search({ q: `gom bat trang ${tag}`, sort: 'stars' });
      expect(names(byStars.items)[0], 'the exact match stays first under another order').to.equal(p.exact.name.vi);
    });

    it('when the English name is typed, then the product is found by it', async () => {
      expect(names((await search({ q: `bat trang ceramics ${tag}` })).items)).to.deep.equal([p.exact.name.vi]);
    });

    it('when filtering by province, commune, stars, group, producer kind or status, then only the matching products are listed', async () => {
      const q = tag;
      expect(names((await search({ q, province: '04' })).items)).to.deep.equal([p.prefix.name.vi]);
      expect(names((await search({ q, commune: '00004' })).items)).to.have.members([p.exact.name.vi, p.contains.name.vi]);
      expect(names((await search({ q, stars: '4' })).items)).to.have.members([p.contains.name.vi, p.chopsticks.name.vi]);
      expect(names((await search({ q, group: 'food' })).items)).to.deep.equal([p.chopsticks.name.vi]);
      expect(names((await search({ q, kind: 'household' })).items)).to.deep.equal([p.prefix.name.vi]);
      expect(names((await search({ q, status: 'none' })).items)).to.deep.equal([p.uncertified.name.vi]);
      expect(names((await search({ q })).items), 'without a status: certified products only').to.not.include(p.uncertified.name.vi);
    });

    it('when paging, then each page holds the next products and the total stays the same', async () => {
      const first = await search({ q: tag, limit: '2', sort: 'name' });
      const second = await search({ q: tag, limit: '2', page: '2', sort: 'name' });
      expect(first.page.total).to.equal(4);
      expect(second.page).to.include({ total: 4, offset: 2, limit: 2 });
      expect([...names(first.items), ...names(second.items)]).to.have.members([p.exact.name.vi, p.prefix.name.vi, p.contains.name.vi, p.chopsticks.name.vi]);
    });

    it('when a filter has a value that does not exist, then 400 names the parameter', async () => {
      const res = await request(app).get('/api/v1/registry/search').query({ stars: '9' }).expect(400);
      expect(JSON.stringify(res.body)).to.contain('stars');
    });

    it('when the search page is opened with a query, then it lists the products as links, keeps the query in the form and in the language switch', async () => {
      const res = await request(app).get('/products').query({ q: `gom bat trang ${tag}`, province: '', stars: '5' }).expect(200);
      expect(res.text).to.contain(`href="/products/${p.exact._id}"`);
      expect(res.text).to.not.contain(`href="/products/${p.prefix._id}"`);
      expect(res.text).to.contain(`value="gom bat trang ${tag}"`);
      expect(res.text).to.match(/href="\/products\?q=gom\+bat\+trang\+\w+&amp;stars=5&amp;lang=en"/);
    });

    it('when there are more results than a page holds, then the page links to the next one and the next page holds the rest', async () => {
      const producerId = enterprise._id;
      for (let i = 0; i < 21; i++) await buildProduct({ producerId, name: { vi: `Nón lá ${Tag} ${String(i).padStart(2, '0')}`, en: null } });
      const one = await request(app).get('/products').query({ q: `non la ${tag}`, status: 'none' }).expect(200);
      expect(one.text.match(/class="result-name"/g)).to.have.length(20);
      expect(one.text).to.match(/rel="next"/);
      const two = await request(app).get('/products').query({ q: `non la ${tag}`, status: 'none', page: '2' }).expect(200);
      expect(two.text.match(/class="result-name"/g)).to.have.length(1);
      expect(two.text).to.match(/rel="prev"/);
    });
  });

  describe('product and producer pages', () => {
    it('when a product page is opened, then it shows its stars, certificate number, producer, locality by name and the lots on sale', async () => {
      const res = await request(app).get(`/products/${p.exact._id}`).expect(200);
      expect(res.text).to.contain('5 sao');
      expect(res.text).to.contain(certNumber);
      expect(res.text).to.contain(`href="/producers/${coop._id}"`);
      expect(res.text).to.contain('Phường Ba Đình, Thành phố Hà Nội');
      expect(res.text).to.contain(`BT-${tag}`);
      const en = await request(app).get(`/products/${p.exact._id}?lang=en`).expect(200);
      expect(en.text).to.contain(`Bat Trang ceramics ${Tag}`).and.to.contain('5 stars');
    });

    it('when an unknown product page is opened, then 404 says there is no such product', async () => {
      const res = await request(app).get('/products/zzzzzzzzzz').expect(404);
      expect(res.text).to.contain('product/not_found');
    });

    it("when a household's page is opened, then its products show and its phone, e-mail, contact person and street do not", async () => {
      const res = await request(app).get(`/producers/${household._id}`).expect(200);
      expect(res.text).to.contain(p.prefix.name.vi);
      expect(res.text).to.contain('Tỉnh Cao Bằng');
      for (const secret of ['0912345678', `ho${tag}@example.vn`, `Số 7 ngõ ${Tag}`, `>Nguyễn Văn ${Tag}<`]) expect(res.text).to.not.contain(secret);
    });

    it('when a producer has published a phone and a website, then its page shows them', async () => {
      const res = await request(app).get(`/producers/${enterprise._id}`).expect(200);
      expect(res.text).to.contain('02437654321').and.to.contain('https://tre.example.vn');
    });
  });

  describe('GTIN-only Digital Link', () => {
    it('when /01/{gtin14} names no lot or serial, then 307 leads to the product page with the query kept', async () => {
      const res = await request(app).get(`/01/${p.exact.gtin}?lang=en&utm_source=shelf`).expect(307);
      expect(res.headers.location).to.equal(`/products/${p.exact._id}?lang=en&utm_source=shelf`);
    });

    it('when the GTIN is sent as 13 digits, then it leads to the same product page', async () => {
      const res = await request(app).get(`/01/${p.exact.gtin!.slice(1)}`).expect(307);
      expect(res.headers.location).to.equal(`/products/${p.exact._id}`);
    });

    it('when no product carries the GTIN, then 404 says so on a page', async () => {
      const res = await request(app).get(`/01/0${uniqueGtin13()}`).set('Accept', 'text/html').expect(404);
      expect(res.text).to.contain('resolver/gtin_not_found').and.to.contain('<html');
    });

    it('when a GTIN-only link carries a label\'s signature parameters, then it is a label cut short: 400 label/malformed_uri', async () => {
      const res = await request(app).get(`/01/${p.exact.gtin}?s=5&v=291231&k=AAAAAAAA&sig=${'A'.repeat(86)}`).set('Accept', 'application/json').expect(400);
      expect(res.body.error.code).to.equal('label/malformed_uri');
    });

    it('when a GTIN-only link has a wrong check digit, then it is still a malformed label URL (400)', async () => {
      const gtin = p.exact.gtin!;
      await request(app).get(`/01/${gtin.slice(0, -1)}${(Number(gtin.at(-1)) + 1) % 10}`).expect(400);
    });
  });

  describe('typing the serial printed under the QR', () => {
    it('when a shopper types a label\'s serial in lower case with spaces, then 303 leads to that label\'s verification page', async () => {
      const label = await issueLabel(await buildIssuedRun(), await registerKey('active'));
      const typed = `${label.serial.slice(0, 8)} ${label.serial.slice(8)}`.toLowerCase();
      const res = await request(app).get('/serial').query({ serial: typed }).expect(303);
      expect(res.headers.location).to.equal(label.path);
    });

    it('when no label carries the serial, then 404 says so and offers the form again with what was typed', async () => {
      const res = await request(app).get('/serial').query({ serial: 'QQQQQQQQQQQQQQQQ' }).expect(404);
      expect(res.text).to.contain('Không có tem nào mang số sê-ri QQQQQQQQQQQQQQQQ').and.to.contain('value="QQQQQQQQQQQQQQQQ"');
    });

    it('when what is typed cannot be a serial, then 400 says what a serial looks like', async () => {
      const res = await request(app).get('/serial?lang=en').query({ serial: 'abc' }).expect(400);
      expect(res.text).to.contain('A serial is 13 to 20 letters and digits');
    });
  });

  describe('open data', () => {
    it('when the CSV is downloaded, then it parses back to the same records as the JSON, with the licence alongside', async () => {
      const csv = await request(app).get('/api/v1/registry/products.csv').buffer(true).parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => cb(null, text));
      }).expect(200);
      expect(csv.headers['content-type']).to.match(/^text\/csv/);
      const rows = parse(csv.body as string, { columns: true, bom: true }) as Record<string, string>[];
      const json = (await request(app).get('/api/v1/registry/products.json').expect(200)).body as { licence: string; count: number; items: Record<string, string | number | null>[] };
      expect(json.licence).to.contain('CC BY 4.0');
      expect(rows).to.have.length(json.count);
      const mine = rows.find((r) => r.productId === p.exact._id)!;
      expect(mine).to.include({ productName: p.exact.name.vi, stars: '5', certificationStatus: 'active', certificateNumber: certNumber, provinceName: 'Thành phố Hà Nội', communeName: 'Phường Ba Đình', producerKind: 'cooperative', gtin: p.exact.gtin });
      const asStrings = (o: Record<string, string | number | null>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? '' : String(v)]));
      const byId = new Map(json.items.map((i) => [i.productId, asStrings(i)]));
      for (const row of rows.filter((r) => r.productName!.includes(Tag))) expect(row).to.deep.equal(byId.get(row.productId));
    });

    it('when a product name starts like a spreadsheet formula, then its CSV cell starts with an apostrophe and the JSON keeps the name', async () => {
      // Named without the suite's tag: the test above compares every tagged CSV row with its JSON item.
      const formula = await buildProduct({ producerId: enterprise._id, name: { vi: `=HYPERLINK("http://x.example","Tre ${Date.now()}")`, en: `@SUM(1) ${Date.now()}` } });
      await buildCertification({ productId: formula._id, stars: 3 });
      const csv = await request(app).get('/api/v1/registry/products.csv').buffer(true).parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => cb(null, text));
      }).expect(200);
      const row = (parse(csv.body as string, { columns: true, bom: true }) as Record<string, string>[]).find((r) => r.productId === formula._id)!;
      expect(row.productName).to.equal(`'${formula.name.vi}`);
      expect(row.stars).to.equal('3');
      const json = (await request(app).get('/api/v1/registry/products.json').expect(200)).body as { items: Record<string, unknown>[] };
      expect(json.items.find((i) => i.productId === formula._id)).to.include({ productName: formula.name.vi });
    });

    it('when the search is asked as JSON, then it carries the licence and each product its certification and page', async () => {
      const body = await search({ q: `gom bat trang ${tag}` });
      expect(body.licence).to.contain('CC BY 4.0');
      const first = body.items[0] as unknown as { certification: { stars: number; number: string }; url: string };
      expect(first.certification).to.include({ stars: 5, number: certNumber });
      expect(first.url).to.match(new RegExp(`/products/${p.exact._id}$`));
    });
  });
});
