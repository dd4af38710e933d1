import { expect } from 'chai';
import sharp from 'sharp';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildProducer, buildUser, logIn } from '../support/kit.js';

/**
 * "Report this product": the form a shopper reaches from a non-genuine verdict, the
 * receipt, and the list the office and inspectors read. Over real HTTP, real database,
 * real image decoding (sharp). Each test sends from an address of its own, so the report
 * limit of one test never meets another's.
 */
let nextAddress = 0;
const fromAddress = () => `203.0.113.${(nextAddress += 1)}`;
const LABEL = '/01/08930000000019/10/LOT-A/21/ACDEFGHJKMNPQRT3?s=4&v=290101&k=abcdefgh&sig=x';

async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 2400, height: 1200, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Model X' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 1/1 0/1' } })
    .toBuffer();
}

describe('product reports', function () {
  this.timeout(30_000);
  const app = buildTestApp();

  function send(fields: Record<string, string>, photo?: { data: Buffer; name: string }, address = fromAddress(), lang = 'vi') {
    let req = request(app).post(`/report?lang=${lang}`).set('X-Forwarded-For', address);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (photo) req = req.attach('photo', photo.data, photo.name);
    return req;
  }
  const receiptOf = (html: string) => /id="receipt">(BC-[A-Z0-9]{8})</.exec(html)?.[1];

  it('when a shopper opens the form from a label page, then it is in their language with the scanned label prefilled and every field labelled', async () => {
    const vi = await request(app).get(`/report?label=${encodeURIComponent(LABEL)}`).expect(200);
    expect(vi.text).to.contain('Báo cáo sản phẩm').and.contain('name="label" value="/01/08930000000019/10/LOT-A/21/ACDEFGHJKMNPQRT3?s=4&amp;v=290101');
    expect(vi.text).to.contain('<option value="01">');
    const en = await request(app).get(`/report?lang=en&label=${encodeURIComponent(LABEL)}`).expect(200);
    expect(en.text).to.contain('Report a product').and.contain('What is wrong?').and.contain('href="/report?lang=vi&amp;label=');
    expect(en.headers['cache-control']).to.equal('no-store');
  });

  it('when a report with a photo is sent, then it gets a receipt number, and the office lists it with the label read, the commune resolved and a photo with no camera or GPS metadata, at most 1600 px a side', async () => {
    const res = await send(
      { label: LABEL, kind: 'fake_label', details: 'Tem in mờ, giá rẻ bất thường', province: '01', commune: 'Phường Ba Đình', place: 'Chợ Đồng Xuân', contact: '0912 345 678' },
      { data: await jpegWithGps(), name: 'photo.jpg' },
    ).expect(201);
    const receipt = receiptOf(res.text);
    expect(receipt, 'receipt number on the page').to.match(/^BC-[34679ACDEFGHJKMNPQRTUVWXY]{8}$/);
    expect(res.text).to.contain('Đã nhận báo cáo');

    const admin = await apiKeyFor('admin');
    const report = (await request(app).get(`/api/v1/reports/${receipt}`).set(bearer(admin)).expect(200)).body;
    expect(report).to.include({ receipt, status: 'open', kind: 'fake_label', details: 'Tem in mờ, giá rẻ bất thường', contact: '0912 345 678' });
    expect(report.label).to.include({ url: LABEL, gtin: '08930000000019', lot: 'LOT-A', serial: 'ACDEFGHJKMNPQRT3', stars: 4 });
    expect(report.place).to.include({ provinceCode: '01', commune: 'Phường Ba Đình', shop: 'Chợ Đồng Xuân' });
    expect(report.place.communeCode, 'the typed commune is one commune of Hà Nội').to.match(/^\d{5}$/);
    expect(report.photo).to.include({ width: 1600, height: 800 });

    const photo = await request(app).get(report.photo.href).set(bearer(admin)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(photo.headers['content-type']).to.equal('image/jpeg');
    const meta = await sharp(photo.body as Buffer).metadata();
    expect(meta).to.include({ format: 'jpeg', width: 1600, height: 800 });
    expect(meta.exif, 'no EXIF (camera, GPS) left').to.equal(undefined);

    const inspector = await apiKeyFor('inspector');
    const list = (await request(app).get('/api/v1/reports?province=01&limit=100').set(bearer(inspector)).expect(200)).body;
    expect(list.items.map((r: { receipt: string }) => r.receipt)).to.include(receipt);

    // The write is in the audit log as one from the public (no key, no account), filed under the shop's province.
    const audit = (await request(app).get('/api/v1/audit').query({ record: receipt }).set(bearer(admin)).expect(200)).body.items;
    expect(audit.map((e: { action: string; actor: string; userId: string | null; role: string; provinces: string[] }) => [e.action, e.actor, e.userId, e.role, e.provinces]))
      .to.deep.equal([['report.create', 'public', null, 'public', ['01']]]);
    const office = await logIn(app, await buildUser('admin'));
    const screen = await office.browser.get(`/office/audit?lang=en&record=${receipt}`).expect(200);
    expect(screen.text).to.contain('report.create').and.contain('Member of the public (no account)');
  });

  it('when anyone but an admin or inspector asks for reports, then anonymous callers get 401 and producer keys 403', async () => {
    await request(app).get('/api/v1/reports').expect(401);
    const producer = await buildProducer();
    const key = await apiKeyFor('producer', producer._id);
    const res = await request(app).get('/api/v1/reports').set(bearer(key)).expect(403);
    expect(res.body.error.code).to.equal('auth/forbidden');
    await request(app).get('/api/v1/reports/BC-99999999').set(bearer(await apiKeyFor('admin'))).expect(404);
  });

  it('when a report misses what is wrong and the province, then the form comes back with 400, what was typed kept and what to correct in the page language, and nothing is stored', async () => {
    const admin = await apiKeyFor('admin');
    const before = (await request(app).get('/api/v1/reports?limit=1').set(bearer(admin))).body.page.total;
    const res = await send({ label: LABEL, details: 'Quán bán hàng giả <b>', place: 'Chợ Bến Thành' }, undefined, fromAddress(), 'en').expect(400);
    expect(res.text).to.contain('Choose what is wrong.').and.contain('Choose the province or city where you saw the product.');
    expect(res.text, 'typed values kept, escaped').to.contain('Quán bán hàng giả &lt;b&gt;</textarea>').and.contain('value="Chợ Bến Thành"');
    const after = (await request(app).get('/api/v1/reports?limit=1').set(bearer(admin))).body.page.total;
    expect(after).to.equal(before);
  });

  it('when the photo is not an image, or a JPEG cut short, then the form says so and keeps the rest', async () => {
    const res = await send({ kind: 'other', province: '79', details: 'xem ảnh' }, { data: Buffer.from('%PDF-1.4 not an image'), name: 'photo.jpg' }).expect(400);
    expect(res.text).to.contain('Ảnh không đọc được').and.contain('xem ảnh</textarea>');
    const jpeg = await jpegWithGps();
    const cut = await send({ kind: 'other', province: '79', details: 'ảnh hỏng' }, { data: jpeg.subarray(0, Math.floor(jpeg.length / 2)), name: 'cut.jpg' }).expect(400);
    expect(cut.text).to.contain('Ảnh không đọc được').and.contain('ảnh hỏng</textarea>');
  });

  it('when one address sends more reports than the limit, then the next is refused with 429 report/rate_limited in the page language and Retry-After', async () => {
    const limited = buildTestApp({ RATE_LIMIT_REPORTS: '2', RATE_LIMIT_STORE: 'memory' });
    const address = fromAddress();
    const post = () => request(limited).post('/report?lang=en').set('X-Forwarded-For', address).field('kind', 'other').field('province', '01');
    await post().expect(201);
    await post().expect(201);
    const res = await post().expect(429);
    expect(Number(res.headers['retry-after'])).to.be.within(1, 600);
    expect(res.text).to.contain('Several reports came from your network');
  });
});
