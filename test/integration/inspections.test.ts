import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { expect } from 'chai';
import sharp from 'sharp';
import request from 'supertest';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { buildProducer, buildUser, formToken, issueRunThroughApi, logIn } from '../support/kit.js';
import { activeLabelsOfRun } from '../../src/labels/runs/labels.service.js';

/**
 * The market inspectors' findings log over real HTTP and a real database: recording an
 * inspection as the scan page's offline queue sends it (retries included), its photos,
 * the lists, the CSV, and who reads what.
 */
const HANOI_BA_DINH = '00004';
const HANOI_HOAN_KIEM = '00070';
const HCMC_THU_DAU_MOT = '25747';

const newId = () => `dev-${randomBytes(12).toString('base64url')}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function inspection<T extends Record<string, unknown>>(overrides: T = {} as T) {
  return { id: newId(), at: minutesAgo(30), commune: HANOI_BA_DINH, place: 'Sạp 12, chợ Đồng Xuân', finding: 'ok', ...overrides };
}

/** Each call gives another picture (a new colour), so two of them are never the same photo. */
let pictures = 0;
async function png(width: number, height: number): Promise<Buffer> {
  pictures += 1;
  const background = { r: pictures % 256, g: Math.floor(pictures / 256) % 256, b: 40 };
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}

/** A small PNG whose header claims a huge canvas: what a decompression bomb looks like at the door. */
async function claimsHugeCanvas(width: number, height: number): Promise<Buffer> {
  const bytes = Buffer.from(await png(64, 64));
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)) >>> 0, 29);
  return bytes;
}

describe('inspections: the findings log', function () {
  this.timeout(60_000);
  const app = buildTestApp();
  let admin: string;
  let inspectorKey: string;
  let labelled: Awaited<ReturnType<typeof issueRunThroughApi>>;
  let serials: string[];
  let labelUrl: string;

  before(async () => {
    admin = await apiKeyFor('admin');
    inspectorKey = await apiKeyFor('inspector');
    labelled = await issueRunThroughApi(app, 3);
    serials = [];
    for await (const l of activeLabelsOfRun({ _id: labelled.runId, count: 3 })) serials.push(l._id);
    labelUrl = (await request(app).get(`/api/v1/labels/${serials[0]}`).set(bearer(labelled.key)).expect(200)).body.url as string;
  });

  const post = (key: string, body: unknown) => request(app).post('/api/v1/inspections').set(bearer(key)).send(body as object);

  it('when an inspector records a finding from a scanned label, then it answers 201 with the record and the producer and product found from the label', async () => {
    const body = inspection({ finding: 'stars_above_certified', starsSeen: 5, gps: { lat: 21.0367, lng: 105.8342, accuracy: 12 }, notes: 'In 5 sao, giấy chứng nhận 4 sao', label: { url: labelUrl, verdict: 'genuine', verdictAsOf: minutesAgo(60) } });
    const res = await post(inspectorKey, body).expect(201);
    expect(res.body).to.include({ id: body.id, finding: 'stars_above_certified', starsSeen: 5, producerId: labelled.producer._id, productId: labelled.product._id, notes: 'In 5 sao, giấy chứng nhận 4 sao' });
    expect(res.body.place).to.include({ communeCode: HANOI_BA_DINH, commune: 'Phường Ba Đình', provinceCode: '01', shop: 'Sạp 12, chợ Đồng Xuân' });
    expect(res.body.place.gps).to.deep.equal({ lat: 21.0367, lng: 105.8342, accuracy: 12 });
    expect(res.body.label).to.include({ url: labelUrl, verdict: 'genuine' });
    expect(res.body.inspector).to.have.property('keyId');
    expect(res.body.photos).to.deep.equal([]);
  });

  it('when the device sends the same inspection again (a lost answer, the queue retrying), then it answers 200 with the same record and keeps one', async () => {
    const body = inspection({ label: { serial: serials[1] }, finding: 'expired_mark', place: `Cửa hàng ${newId()}` });
    const first = await post(inspectorKey, body).expect(201);
    // The same request with its keys in another order and its time written in Vietnam's offset.
    const local = new Date(Date.parse(body.at) + 7 * 3600_000).toISOString().replace('Z', '+07:00');
    const again = await post(inspectorKey, { finding: body.finding, label: body.label, place: body.place, commune: body.commune, at: local, id: body.id }).expect(200);
    expect(again.body).to.deep.equal(first.body);
    const [a, b] = await Promise.all([post(inspectorKey, body), post(inspectorKey, body)]);
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    const list = await request(app).get(`/api/v1/inspections?producerId=${labelled.producer._id}&finding=expired_mark`).set(bearer(admin)).expect(200);
    expect(list.body.items.filter((i: { id: string }) => i.id === body.id)).to.have.length(1);
    expect(first.body.producerId, 'found from the serial alone').to.equal(labelled.producer._id);
  });

  it('when an id is sent again with another body, or by another inspector, then 409 inspection/id_reused and the record stays as it was', async () => {
    const body = inspection();
    const first = await post(inspectorKey, body).expect(201);
    const changed = await post(inspectorKey, { ...body, finding: 'forged_label' }).expect(409);
    expect(changed.body.error.code).to.equal('inspection/id_reused');
    const other = await post(await apiKeyFor('inspector'), body).expect(409);
    expect(other.body.error.code).to.equal('inspection/id_reused');
    const now = await request(app).get(`/api/v1/inspections/${body.id}`).set(bearer(admin)).expect(200);
    expect(now.body).to.deep.equal(first.body);
  });

  it('when the body is wrong, then 400 request/invalid names each field to correct, and nothing is stored', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'short' }, 'id'],
      [{ id: 'has spaces in it, too many' }, 'id'],
      [{ at: new Date(Date.now() + 60 * 60_000).toISOString() }, 'at'],
      [{ at: '2026-12-02 10:00' }, 'at'],
      [{ commune: '99999' }, 'commune'],
      [{ finding: 'bad' }, 'finding'],
      [{ place: '   ' }, 'place'],
      [{ starsSeen: 6 }, 'starsSeen'],
      [{ notes: 'x'.repeat(2001) }, 'notes'],
      [{ gps: { lat: 200, lng: 105 } }, 'gps.lat'],
      [{ label: { url: 'x', colour: 'red' } }, 'label'],
      [{ extra: true }, ''],
    ];
    for (const [change, path] of cases) {
      const body = inspection(change);
      const res = await post(inspectorKey, body);
      expect(res.status, JSON.stringify(change)).to.equal(400);
      expect(res.body.error.code).to.equal('request/invalid');
      expect(res.body.error.details.problems.map((p: { path: string }) => p.path), JSON.stringify(change)).to.include(path);
      if (typeof body.id === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(body.id)) {
        await request(app).get(`/api/v1/inspections/${body.id}`).set(bearer(admin)).expect(404);
      }
    }
    const minutesAhead = await post(inspectorKey, inspection({ at: new Date(Date.now() + 2 * 60_000).toISOString() }));
    expect(minutesAhead.status, 'a phone clock a little ahead is fine').to.equal(201);
  });

  it('when photos are attached, then each is re-encoded (≤ 1600 px, JPEG), the same photo again is not a second one, and a sixth is refused', async () => {
    const body = inspection();
    await post(inspectorKey, body).expect(201);
    const put = (data: Buffer, type = 'image/png', key = inspectorKey) => request(app).put(`/api/v1/inspections/${body.id}/photos`).set(bearer(key)).set('Content-Type', type).send(data);
    const first = await png(2400, 1200);
    const one = await put(first).expect(201);
    expect(one.body.photos).to.have.length(1);
    expect(one.body.photos[0]).to.include({ slot: 1, width: 1600, height: 800 });
    const again = await put(first).expect(200);
    expect(again.body.photos).to.have.length(1);
    const image = await request(app).get(one.body.photos[0].href).set(bearer(admin)).expect(200);
    expect(image.headers['content-type']).to.equal('image/jpeg');
    expect((await sharp(image.body as Buffer).metadata()).format).to.equal('jpeg');

    for (let i = 2; i <= 5; i += 1) await put(await png(40, 40)).expect(201);
    const sixth = await put(await png(40, 40)).expect(409);
    expect(sixth.body.error.code).to.equal('inspection/too_many_photos');

    const other = inspection();
    await post(inspectorKey, other).expect(201);
    const putOther = (data: Buffer, type: string) => request(app).put(`/api/v1/inspections/${other.id}/photos`).set(bearer(inspectorKey)).set('Content-Type', type).send(data);
    expect((await putOther(Buffer.from('not an image at all'), 'image/jpeg').expect(415)).body.error.code).to.equal('inspection/photo_unreadable');
    expect((await putOther(await claimsHugeCanvas(10_000, 10_000), 'image/png').expect(413)).body.error.code).to.equal('inspection/photo_too_large');
    expect((await putOther(Buffer.alloc(6 * 1024 * 1024, 1), 'image/jpeg').expect(413)).body.error.code).to.equal('request/too_large');
    expect((await putOther(await png(40, 40), 'text/plain').expect(415)).body.error.code).to.equal('inspection/photo_unreadable');
    const notRecorder = await putOther(await png(40, 40), 'image/png').set(bearer(await apiKeyFor('inspector')));
    expect(notRecorder.status, 'another inspector (no provinces) may not read it, let alone add to it').to.equal(403);
    const inProvince = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    const byColleague = await inProvince.browser.put(`/api/v1/inspections/${other.id}/photos`).set('X-CSRF-Token', inProvince.csrfToken).set('Content-Type', 'image/png').send(await png(40, 40));
    expect([byColleague.status, byColleague.body.error?.code], 'a colleague of the province reads it, but only its recorder adds photos').to.deep.equal([403, 'auth/forbidden']);
    expect((await request(app).put(`/api/v1/inspections/${newId()}/photos`).set(bearer(inspectorKey)).set('Content-Type', 'image/png').send(await png(10, 10)).expect(404)).body.error.code).to.equal('inspection/not_found');
    const stored = await request(app).get(`/api/v1/inspections/${other.id}`).set(bearer(admin)).expect(200);
    expect(stored.body.photos, 'no refused photo was kept').to.deep.equal([]);
  });

  it('when the list is filtered by time, commune, finding and producer, then only the matching inspections come, newest first, paged', async () => {
    const key = await apiKeyFor('inspector');
    const producer = (await issueRunThroughApi(app, 1)).product;
    const tag = { label: { productId: producer._id } };
    const older = inspection({ ...tag, at: '2026-03-10T08:00:00+07:00', commune: HANOI_HOAN_KIEM, finding: 'no_label' });
    const newer = inspection({ ...tag, at: '2026-03-11T23:30:00+07:00', commune: HANOI_BA_DINH, finding: 'no_label' });
    const other = inspection({ ...tag, at: '2026-03-11T09:00:00+07:00', commune: HANOI_BA_DINH, finding: 'forged_label' });
    for (const b of [older, newer, other]) await post(key, b).expect(201);
    const ids = async (query: string) => (await request(app).get(`/api/v1/inspections?producerId=${producer.producerId}&${query}`).set(bearer(key)).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await ids('')).to.deep.equal([newer.id, other.id, older.id]);
    expect(await ids('finding=no_label')).to.deep.equal([newer.id, older.id]);
    expect(await ids(`commune=${HANOI_BA_DINH}`)).to.deep.equal([newer.id, other.id]);
    expect(await ids('from=2026-03-11&to=2026-03-11'), 'a day is the whole day in Vietnam').to.deep.equal([newer.id, other.id]);
    expect(await ids('to=2026-03-10')).to.deep.equal([older.id]);
    expect(await ids('from=2026-03-11T10:00:00%2B07:00')).to.deep.equal([newer.id]);
    const page = (await request(app).get(`/api/v1/inspections?producerId=${producer.producerId}&limit=2&page=2`).set(bearer(key)).expect(200)).body;
    expect(page.items.map((i: { id: string }) => i.id)).to.deep.equal([older.id]);
    expect(page.page).to.deep.equal({ limit: 2, offset: 2, total: 3 });
    const bad = await request(app).get('/api/v1/inspections?finding=nope&colour=red').set(bearer(key)).expect(400);
    expect(bad.body.error.code).to.equal('request/invalid');
  });

  it('when the list is downloaded as CSV, then it has the filtered rows and text that a spreadsheet would run as a formula starts with an apostrophe', async () => {
    const key = await apiKeyFor('inspector');
    const a = inspection({ place: '=HYPERLINK("http://evil.example","x")', notes: '@SUM(A1)', finding: 'other' });
    const b = inspection({ place: '+84 kiosk, "Bà Lan"', notes: '-1 sao so với chứng nhận', finding: 'other', starsSeen: 3 });
    const c = inspection({ place: 'Không khớp bộ lọc', finding: 'ok' });
    for (const x of [a, b, c]) await post(key, x).expect(201);
    const res = await request(app).get('/api/v1/inspections.csv?finding=other').set(bearer(key)).buffer(true).parse((r, cb) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (s: string) => (text += s));
      r.on('end', () => cb(null, text));
    }).expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    const text = res.body as string;
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).to.match(/^id,at,province_code,/).and.contain(',inspector,');
    expect(lines).to.have.length(3);
    const rowA = lines.find((l) => l.startsWith(a.id))!;
    expect(rowA).to.contain(`"'=HYPERLINK(""http://evil.example"",""x"")"`).and.contain(",'@SUM(A1),");
    const rowB = lines.find((l) => l.startsWith(b.id))!;
    expect(rowB).to.contain(`"'+84 kiosk, ""Bà Lan"""`).and.contain(",'-1 sao so với chứng nhận,").and.contain(',3,');
    expect(text).not.to.contain(c.id);
  });

  it('when a producer reads the findings, then it sees only those about its own products, without who recorded them, and is refused another producer\'s', async () => {
    const mine = await issueRunThroughApi(app, 1);
    const theirs = await issueRunThroughApi(app, 1);
    const aboutMine = inspection({ label: { productId: mine.product._id }, finding: 'forged_label' });
    const aboutTheirs = inspection({ label: { productId: theirs.product._id }, finding: 'forged_label' });
    const inspector = await buildUser('inspector', { name: 'Trần Thị Kiểm', provinces: ['01'] });
    const { browser, csrfToken } = await logIn(app, inspector);
    for (const b of [aboutMine, aboutTheirs]) await browser.post('/api/v1/inspections').set('X-CSRF-Token', csrfToken).send(b).expect(201);

    const list = await request(app).get('/api/v1/inspections').set(bearer(mine.key)).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).to.deep.equal([aboutMine.id]);
    expect(list.body.items[0]).not.to.have.property('inspector');
    expect(JSON.stringify(list.body)).not.to.contain('Trần Thị Kiểm').and.not.contain(inspector.email);
    const one = await request(app).get(`/api/v1/inspections/${aboutMine.id}`).set(bearer(mine.key)).expect(200);
    expect(one.body).not.to.have.property('inspector');
    expect((await request(app).get(`/api/v1/inspections/${aboutTheirs.id}`).set(bearer(mine.key)).expect(403)).body.error.code).to.equal('auth/forbidden');
    await request(app).get(`/api/v1/inspections/${aboutTheirs.id}/photos/1`).set(bearer(mine.key)).expect(403);
    const refused = await request(app).get(`/api/v1/inspections?producerId=${theirs.producer._id}`).set(bearer(mine.key)).expect(403);
    expect(refused.body.error.code).to.equal('auth/forbidden');
    const csv = await request(app).get('/api/v1/inspections.csv').set(bearer(mine.key)).expect(200);
    expect(csv.text).to.contain(aboutMine.id).and.not.contain(aboutTheirs.id).and.not.contain('Trần Thị Kiểm');
    expect(csv.text.split('\r\n')[0]).not.to.contain('inspector');

    const seenByOffice = await request(app).get(`/api/v1/inspections/${aboutMine.id}`).set(bearer(admin)).expect(200);
    expect(seenByOffice.body.inspector).to.include({ name: 'Trần Thị Kiểm', email: inspector.email });
    await post(mine.key, inspection()).expect(403);
  });

  it('when inspectors read the list, then each sees what they recorded and what was found in their provinces, and nothing else', async () => {
    const hanoi = await buildUser('inspector', { provinces: ['01'] });
    const south = await buildUser('inspector', { provinces: ['79'] });
    const hanoiKey = (await logIn(app, hanoi));
    const southKey = (await logIn(app, south));
    const inHanoi = inspection({ commune: HANOI_HOAN_KIEM });
    const inSouthByHanoi = inspection({ commune: HCMC_THU_DAU_MOT });
    const inSouth = inspection({ commune: HCMC_THU_DAU_MOT });
    await hanoiKey.browser.post('/api/v1/inspections').set('X-CSRF-Token', hanoiKey.csrfToken).send(inSouthByHanoi).expect(201);
    await southKey.browser.post('/api/v1/inspections').set('X-CSRF-Token', southKey.csrfToken).send(inSouth).expect(201);
    const keyOnly = await apiKeyFor('inspector');
    await post(keyOnly, inHanoi).expect(201);

    const seen = async (b: typeof hanoiKey.browser) => new Set((await b.get('/api/v1/inspections?limit=100').expect(200)).body.items.map((i: { id: string }) => i.id));
    const hanoiSees = await seen(hanoiKey.browser);
    expect(hanoiSees.has(inHanoi.id) && hanoiSees.has(inSouthByHanoi.id), 'province 01, and their own in 79').to.equal(true);
    expect(hanoiSees.has(inSouth.id)).to.equal(false);
    const southSees = await seen(southKey.browser);
    expect(southSees.has(inSouth.id) && southSees.has(inSouthByHanoi.id) && !southSees.has(inHanoi.id)).to.equal(true);
    const keySees = new Set((await request(app).get('/api/v1/inspections?limit=100').set(bearer(keyOnly)).expect(200)).body.items.map((i: { id: string }) => i.id));
    expect([...keySees]).to.include(inHanoi.id).and.not.include(inSouth.id);
    const adminSees = (await request(app).get(`/api/v1/inspections?commune=${HCMC_THU_DAU_MOT}&limit=100`).set(bearer(admin)).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(adminSees).to.include(inSouth.id).and.include(inSouthByHanoi.id);
  });

  it('when nobody is logged in, then every inspection route answers 401, and a session write without its CSRF token 403 auth/csrf', async () => {
    const body = inspection();
    expect((await request(app).post('/api/v1/inspections').send(body).expect(401)).body.error.code).to.equal('auth/unauthorized');
    await request(app).get('/api/v1/inspections').expect(401);
    await request(app).get('/api/v1/inspections.csv').expect(401);
    await request(app).get(`/api/v1/inspections/${body.id}`).expect(401);
    await request(app).put(`/api/v1/inspections/${body.id}/photos`).set('Content-Type', 'image/png').send(await png(10, 10)).expect(401);

    const { browser, csrfToken } = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    const refused = await browser.post('/api/v1/inspections').send(body).expect(403);
    expect(refused.body.error.code).to.equal('auth/csrf');
    await browser.post('/api/v1/inspections').set('X-CSRF-Token', `x${csrfToken.slice(1)}`).send(body).expect(403);
    await request(app).get(`/api/v1/inspections/${body.id}`).set(bearer(admin)).expect(404);
    await browser.post('/api/v1/inspections').set('X-CSRF-Token', csrfToken).send(body).expect(201);
    const producerUser = await buildUser('producer', { producerId: (await buildProducer())._id });
    const p = await logIn(app, producerUser);
    await p.browser.post('/api/v1/inspections').set('X-CSRF-Token', p.csrfToken).send(inspection()).expect(403);
  });
});

describe('inspections: the findings screens', function () {
  this.timeout(60_000);
  const app = buildTestApp();

  it('when an inspector sends the form for an inspection without a label, then it is recorded once even if sent twice, and shows in their list', async () => {
    const { browser } = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    const form = await browser.get('/inspect/findings/new').expect(200);
    expect(form.text).to.contain('Ghi lần kiểm tra').and.contain('type="datetime-local"');
    const id = /name="id" value="([^"]+)"/.exec(form.text)?.[1];
    expect(id).to.match(/^[A-Za-z0-9_-]{16,64}$/);
    const fields = { _csrf: formToken(form.text), id: id!, commune: HANOI_HOAN_KIEM, place: `Ki-ốt ${newId()}`, finding: 'no_label', starsSeen: '4', at: '2026-11-30T10:15', notes: 'Bán là OCOP, không có tem' };
    const first = await browser.post('/inspect/findings').type('form').send(fields).expect(303);
    expect(first.headers.location).to.equal(`/inspect/findings?saved=${id}&lang=vi`);
    await browser.post('/inspect/findings').type('form').send(fields).expect(303);
    const record = (await request(app).get(`/api/v1/inspections/${id}`).set(bearer(await apiKeyFor('admin'))).expect(200)).body;
    expect(record).to.include({ finding: 'no_label', starsSeen: 4, notes: 'Bán là OCOP, không có tem', producerId: null, label: null });
    expect(record.at).to.equal('2026-11-30T03:15:00.000Z');
    const list = await browser.get(first.headers.location as string).expect(200);
    expect(list.text).to.contain('Đã ghi lần kiểm tra').and.contain(fields.place).and.contain('Không có tem').and.contain('10:15 30/11/2026');
    expect(list.text.split(fields.place).length - 1, 'one row').to.equal(1);
    const changed = await browser.post('/inspect/findings?lang=en').type('form').send({ ...fields, finding: 'other' }).expect(409);
    expect(changed.text).to.contain('already recorded with other content');
  });

  it('when the form is wrong, then it comes back with what was typed and what to correct, in the page language', async () => {
    const { browser } = await logIn(app, await buildUser('inspector'));
    const form = await browser.get('/inspect/findings/new?lang=en').expect(200);
    const res = await browser.post('/inspect/findings?lang=en').type('form').send({ _csrf: formToken(form.text), id: 'x', commune: '12345', place: 'Quầy <b>5</b>', finding: '', at: '2099-01-01T00:00' }).expect(400);
    expect(res.text).to.contain('Enter a commune code of the 2025 list').and.contain('Choose a finding').and.contain('in the future');
    expect(res.text).to.contain('value="Quầy &lt;b&gt;5&lt;/b&gt;"').and.not.contain('<b>5</b>');
    const vi = await browser.post('/inspect/findings?lang=vi').type('form').send({ _csrf: formToken(form.text), commune: HANOI_BA_DINH, place: '', finding: 'ok' }).expect(400);
    expect(vi.text).to.contain('Nhập tên quầy hoặc cửa hàng');
  });

  it('when the lists are opened, then each reader sees their own scope: the office all, a producer its own without the inspector column, and filters that do not read are named', async () => {
    const mine = await issueRunThroughApi(app, 1);
    const key = await apiKeyFor('inspector');
    const about = inspection({ label: { productId: mine.product._id }, finding: 'forged_label', place: `Sạp ${newId()}` });
    await request(app).post('/api/v1/inspections').set(bearer(key)).send(about).expect(201);
    const admin = await logIn(app, await buildUser('admin'));
    const office = await admin.browser.get(`/office/findings?producerId=${mine.producer._id}&lang=en`).expect(200);
    expect(office.text).to.contain(about.place).and.contain('Forged label').and.contain('<th scope="col">Inspector</th>');
    expect(office.text).to.contain(`href="/api/v1/inspections.csv?producerId=${mine.producer._id}"`);
    const csv = await admin.browser.get(`/api/v1/inspections.csv?producerId=${mine.producer._id}`).expect(200);
    expect(csv.text, 'the CSV link works with the session').to.contain(about.id);
    const bad = await admin.browser.get('/office/findings?from=yesterday&lang=vi').expect(400);
    expect(bad.text).to.contain('Bộ lọc không hợp lệ').and.contain('from');

    const producer = await logIn(app, await buildUser('producer', { producerId: mine.producer._id }));
    const own = await producer.browser.get('/producer/findings').expect(200);
    expect(own.text).to.contain(about.place).and.not.contain('<th scope="col">Cán bộ</th>');
    const viaInspect = await producer.browser.get('/inspect/findings').expect(200);
    expect(viaInspect.text).to.contain('Kết quả kiểm tra về sản phẩm của bạn');
    await producer.browser.get('/office/findings').expect(403);
    await producer.browser.get('/inspect/findings/new').expect(403);
    const inspector = await logIn(app, await buildUser('inspector'));
    await inspector.browser.get('/office/findings').expect(403);
    const stranger = await request(app).get('/inspect/findings').set('Accept', 'text/html').expect(401);
    expect(stranger.text).to.contain('name="password"');
  });
});
