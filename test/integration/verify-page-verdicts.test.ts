import { expect } from 'chai';
import request from 'supertest';
import { formatInstant } from '../../src/display-dates.js';
import type { SigningKey } from '../../src/labels/signing/key-crypto.js';
import { shortKid } from '../../src/labels/signing/key-crypto.js';
import { revokeRun, voidLabel } from '../../src/labels/runs/labels.service.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { revokeCertification } from '../../src/registry/certifications/certification.service.js';
import { translator } from '../../src/i18n.js';
import { renderFragment } from '../../src/templates.js';
import { verifyMessages } from '../../src/verify/page/verify.messages.js';
import { verificationApp } from '../support/app.js';
import { buildCertification, buildIssuedRun, daysAgo, issueLabel, registerKey, signLabel, strangerKey, uniqueGtin14, type IssuedLabel } from '../support/kit.js';

/**
 * One verdict, said once: every card of the page agrees with it, the mark is valid only
 * on a genuine verdict, and a verdict that is not genuine says which record, when, the
 * reason recorded, what to do and where to report.
 */
describe('verification page: every card agrees with the verdict', () => {
  const { keyring, app } = verificationApp();
  let key: SigningKey;

  before(async () => {
    key = await registerKey('active');
    await keyring.refresh();
  });

  const html = async (path: string, lang: 'vi' | 'en' = 'vi') => {
    const res = await request(app).get(`${path}&lang=${lang}`).set('Accept', 'text/html').expect(200);
    return res.text;
  };
  const section = (page: string, id: string) => new RegExp(`<section class="[^"]*" id="${id}"[\\s\\S]*?</section>`).exec(page)?.[0] ?? '';
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const reportLink = (label: IssuedLabel) => `/report?label=${encodeURIComponent(label.path)}`;

  /** What every page of a verdict that is not genuine must say, whatever the cause. */
  function expectNotGenuine(page: string, label: IssuedLabel, lang: 'vi' | 'en') {
    const summary = section(page, 'product');
    expect(summary, 'the stars are shown as not valid').to.contain('rating-void');
    expect(summary).to.contain(lang === 'vi' ? 'không hợp lệ với tem này' : 'not valid on this label');
    expect(page).not.to.contain(lang === 'vi' ? 'Sản phẩm OCOP 4 sao' : 'OCOP 4-star product');
    expect(page, 'no card reads as valid in green').not.to.contain('cert-ok');
    const advice = section(page, 'advice');
    expect(advice).to.contain(lang === 'vi' ? 'Bạn nên làm gì?' : 'What should you do?');
    expect(decode(advice)).to.contain(`href="${reportLink(label)}"`);
    expect(advice).to.contain(lang === 'vi' ? 'Báo cáo sản phẩm này' : 'Report this product');
  }

  const offlineHere = (page: string) => decode(/data-valid-here="([^"]*)"/.exec(page)?.[1] ?? '');

  it('when a genuine label is opened, then the mark and stars read valid, the certificate in green, and only a quiet report link is offered', async () => {
    const world = await buildIssuedRun({ gtin: true, stars: 4 });
    const label = await issueLabel(world, key);
    const page = await html(label.path);
    expect(section(page, 'product')).to.contain('rating-valid').and.contain('class="ocop"').and.contain('Sản phẩm OCOP 4 sao');
    expect(section(page, 'certification')).to.contain('cert-ok');
    expect(page).not.to.contain('id="advice"');
    expect(decode(page)).to.contain(`<a href="${reportLink(label)}">Thấy điều bất thường? Báo cáo sản phẩm này</a>`);
    expect(page).not.to.contain('data-valid-here');
  });

  it('when the producer voided the label with a reason, then the page says voided, when and why, and the certificate card says it is no reassurance', async () => {
    const world = await buildIssuedRun({ stars: 4 });
    const label = await issueLabel(world, key);
    const voided = await voidLabel(systemPrincipal, label.serial, 'in hỏng khi dán nhãn');
    const on = { vi: formatInstant(voided.statusChangedAt!, 'vi'), en: formatInstant(voided.statusChangedAt!, 'en') };
    for (const lang of ['vi', 'en'] as const) {
      const page = await html(label.path, lang);
      expect(page).to.contain('data-verdict="revoked"');
      const verdict = section(page, 'verdict');
      expect(verdict).to.contain(lang === 'vi' ? 'Tem này đã bị chủ thể sản xuất hủy' : 'This label was voided by its producer');
      expect(verdict).to.contain(on[lang]).and.contain('in hỏng khi dán nhãn');
      expectNotGenuine(page, label, lang);
      expect(section(page, 'certification')).to.contain(lang === 'vi' ? 'Quyết định này còn hiệu lực, nhưng tem này không hợp lệ' : 'This decision is in force, but this label is not valid');
      expect(offlineHere(page)).to.equal(lang === 'vi' ? `Chữ ký hợp lệ, nhưng tem này đã bị hủy ngày ${on.vi}. Đây không phải tem OCOP hợp lệ.` : `Signature valid, but this label was voided on ${on.en}. This is not a valid OCOP label.`);
    }
  });

  it('when the whole run was revoked, then the page names the run, its revocation date and recorded reason', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const run = await revokeRun(systemPrincipal, world.run._id, 'cuộn tem bị mất trộm');
    const page = await html(label.path);
    const verdict = section(page, 'verdict');
    expect(verdict).to.contain('Cả đợt in chứa tem này đã bị thu hồi').and.contain(formatInstant(run.revokedAt!, 'vi')).and.contain('cuộn tem bị mất trộm');
    expectNotGenuine(page, label, 'vi');
    expect(offlineHere(page)).to.contain('Chữ ký hợp lệ, nhưng đợt in của tem đã bị thu hồi ngày');
  });

  it('when the certification the label was printed under was revoked, then both the verdict and the certificate card give its decision, date and reason', async () => {
    const world = await buildIssuedRun({ certification: 'revoked' });
    const label = await issueLabel(world, key);
    const on = formatInstant(world.certification.statusChangedAt!, 'en');
    const page = await html(label.path, 'en');
    const verdict = decode(section(page, 'verdict'));
    expect(verdict).to.contain("The product's OCOP certification decision has been revoked");
    expect(verdict).to.contain(world.certification.decisionNumber).and.contain(on).and.contain('quality inspection failed');
    const card = section(page, 'certification');
    expect(card).to.contain('cert-revoked').and.contain('Revoked on').and.contain(on).and.contain('quality inspection failed');
    expectNotGenuine(page, label, 'en');
  });

  it('when the signing key was revoked, then the page dates the revocation and shows no recorded reason of the key', async () => {
    const revoking = await registerKey('active');
    await keyring.refresh();
    const world = await buildIssuedRun();
    const label = await issueLabel(world, revoking);
    await keyring.revoke(shortKid(revoking.kid), 'key file leaked from build server');
    const page = await html(label.path);
    const verdict = section(page, 'verdict');
    expect(verdict).to.contain('Khóa ký tem đã bị thu hồi').and.contain('Ngày: ');
    expect(page).not.to.contain('key file leaked');
    expectNotGenuine(page, label, 'vi');
  });

  it('when the certificate expired, then the page says so with its end date, the mark reads not valid, and the card says the decision is no longer in force', async () => {
    const world = await buildIssuedRun({ certification: 'expired' });
    const label = await issueLabel(world, key);
    const page = await html(label.path);
    expect(page).to.contain('data-verdict="expired"');
    expect(section(page, 'verdict')).to.contain('Hết hạn ngày');
    expect(section(page, 'certification')).to.contain('cert-expired').and.contain('Quyết định này đã hết hiệu lực');
    expectNotGenuine(page, label, 'vi');
    expect(offlineHere(page)).to.contain('nhưng chứng nhận OCOP đã hết hạn ngày').and.contain('Tem là thật nhưng nhãn OCOP không còn giá trị.');
  });

  it('when the product was re-rated and that newest decision revoked, then its old label reads revoked with the revoked decision, never the superseded one as in force', async () => {
    const world = await buildIssuedRun({ stars: 4 });
    const label = await issueLabel(world, key);
    const newer = await buildCertification({ productId: world.product._id, stars: 5, decisionDate: daysAgo(2) });
    await revokeCertification(newer._id, 'hồ sơ đánh giá không trung thực', systemPrincipal);
    const json = await request(app).get(label.path).set('Accept', 'application/json').expect(200);
    expect(json.body).to.include({ verdict: 'revoked', reason: 'certification_revoked' });
    expect(json.body.certification).to.include({ decisionNumber: newer.decisionNumber, status: 'revoked', statusReason: 'hồ sơ đánh giá không trung thực' });
    expect(json.body.warnings).to.deep.equal([]);

    const page = await html(label.path);
    expect(section(page, 'verdict')).to.contain('Quyết định công nhận OCOP mới nhất của sản phẩm đã bị thu hồi');
    const card = section(page, 'certification');
    expect(decode(card)).to.contain(newer.decisionNumber).and.not.contain(world.certification.decisionNumber);
    expect(page).not.to.contain('Còn hiệu lực');
    expect(page).not.to.contain('chứng nhận hiện hành');
    expectNotGenuine(page, label, 'vi');
  });

  it('when a label is not ours, then its printed stars read not valid and the shopper is told what to do', async () => {
    const world = await buildIssuedRun({ gtin: true });
    const forged = signLabel(world, strangerKey());
    const unknown = signLabel(world, key);
    for (const [label, verdict] of [[forged, 'forged'], [unknown, 'unknown']] as const) {
      const page = await html(label.path, 'en');
      expect(page).to.contain(`data-verdict="${verdict}"`);
      expect(section(page, 'printed')).to.contain('rating-void').and.contain('printed on the label: not valid').and.contain(world.product.gtin!);
      expect(decode(section(page, 'advice'))).to.contain(`href="${reportLink(label)}"`);
    }
    expect(await html(unknown.path)).to.contain('data-valid-here="Chữ ký hợp lệ, nhưng hệ thống không cấp tem có số sê-ri này. Đây không phải tem OCOP hợp lệ."');
    expect(await html(forged.path)).not.to.contain('data-valid-here');
  });

  it('when a label is scanned again, then the scan line writes its time as the rest of the page does, in Vietnam time', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    await html(label.path);
    const page = await html(label.path);
    const scans = /<p class="scans" id="scans">([^<]*)<\/p>/.exec(page)?.[1] ?? '';
    expect(scans).to.match(/^Tem đã được quét 2 lần, lần đầu lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}\.$/);
    expect(section(page, 'certification')).to.match(/<dt>Hiệu lực đến<\/dt><dd>\d{2}\/\d{2}\/\d{4}<\/dd>/);
  });

  it('when the batch is counted in jars and has no recorded journey, then the quantity reads in each language and the journey says nothing about zero records', async () => {
    const world = await buildIssuedRun({ batch: { quantity: 120, unit: 'hũ' } });
    const label = await issueLabel(world, key);
    const vi = await html(label.path, 'vi');
    expect(section(vi, 'batch')).to.contain('<dd>120 hũ</dd>');
    expect(vi).to.contain('Chưa có công đoạn nào được ghi nhận').and.not.contain('0 bản ghi');
    const en = await html(label.path, 'en');
    expect(section(en, 'batch')).to.contain('<dd>120 jars</dd>');
    expect(en).not.to.contain('none of the 0');
  });
});

describe('verification page: what the product publishes', () => {
  it('when a product lists the standards it applies, then the product card names them; without them the card shows no empty line', () => {
    const details = (standards?: string[]) => ({
      product: { name: 'Trà Tân Cương', gtin: '08936045120019', ...(standards ? { standards } : {}) },
      producer: null,
      rating: { state: 'none', mark: false, starList: [], text: 'Không có chứng nhận OCOP còn hiệu lực', badge: null },
      certification: null,
      batch: { lot: 'T1', quantity: null, productionDate: '01/03/2026', expiryDate: null, expired: null, origin: null },
    });
    const render = (standards?: string[]) => renderFragment('verify/label-details', { details: details(standards), t: translator(verifyMessages, 'vi'), timeline: null, amount: (d: string) => d, lang: 'vi' });
    expect(render(['TCVN 7975:2008', 'QCVN 8-2:2011/BYT'])).to.contain('<dt>Tiêu chuẩn áp dụng</dt><dd>TCVN 7975:2008; QCVN 8-2:2011/BYT</dd>');
    expect(render()).not.to.contain('Tiêu chuẩn áp dụng');
  });
});

describe('verification page: a damaged or tampered link', () => {
  const { app } = verificationApp();
  const gtin = uniqueGtin14();
  const sig = 'A'.repeat(86);
  const good = `/01/${gtin}/10/LOT-7/21/ABCDEFGHJKLMN`;
  const typo = `${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}`;
  const cases: Array<[string, string, string, string]> = [
    ['stars out of range (s=7)', `${good}?s=7&v=281231&k=abcdefgh&sig=${sig}`, 'stars', 'Số sao phải từ 1 đến 5.'],
    ['a cut signature', `${good}?s=4&v=281231&k=abcdefgh&sig=${sig.slice(0, 40)}`, 'signature', 'Chữ ký số không đủ độ dài'],
    // The same path without any signature parameter is a valid GS1 Digital Link, not a damaged
    // label: the resolver walks it up to its product (verify-digital-link.test.ts).
    ['a GTIN typo', `/01/${typo}/10/LOT-7/21/ABCDEFGHJKLMN?s=4&v=281231&k=abcdefgh&sig=${sig}`, 'gtin', 'Mã GTIN không đủ 14 chữ số'],
  ];

  for (const [what, path, problem, vi] of cases) {
    it(`when a browser opens ${what}, then it gets a "not a valid OCOP label" verdict in its language with what could be read; JSON gets 400 label/malformed_uri`, async () => {
      const page = await request(app).get(path).set('Accept', 'text/html').expect(400);
      expect(page.type).to.equal('text/html');
      expect(page.text).to.contain('<html lang="vi">').and.contain('Không phải tem OCOP hợp lệ').and.contain(vi);
      expect(page.text).to.contain('<dd>LOT-7</dd>').and.contain('<dd>ABCDEFGHJKLMN</dd>');
      expect(page.text).to.contain(problem === 'gtin' ? '<dd>không đọc được</dd>' : `<dd>${gtin}</dd>`);
      expect(page.text).to.contain('Bạn nên làm gì?').and.contain(`/report?label=${encodeURIComponent(path).replace(/&/g, '&amp;')}`);
      expect(page.text, 'no developer text on a reader page').not.to.match(/HTTP 400|label\/malformed_uri|must be|is not valid\./);

      const en = await request(app).get(path).set({ Accept: 'text/html', 'Accept-Language': 'en' }).expect(400);
      expect(en.text).to.contain('<html lang="en">').and.contain('Not a valid OCOP label').and.contain('What should you do?');

      const json = await request(app).get(path).set('Accept', 'application/json').expect(400);
      expect(json.body.error.code).to.equal('label/malformed_uri');
      expect(json.body.error.details.problem).to.equal(problem);
      expect(json.body.error.details.reason.vi).to.contain(vi);
      expect(json.body.error.details.reason.en).to.be.a('string').and.not.equal('');
    });
  }

  it('when the damaged-link page switches language, then the link keeps the query it was opened with', async () => {
    const path = `${good}?s=7&v=281231&k=abcdefgh&sig=${sig}`;
    const page = await request(app).get(path).set('Accept', 'text/html').expect(400);
    const switchHref = /<a class="lang" href="([^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    expect(switchHref).to.equal(`${good}?s=7&v=281231&k=abcdefgh&sig=${sig}&lang=en`);
    const switched = await request(app).get(switchHref!).set('Accept', 'text/html').expect(400);
    expect(switched.text).to.contain('Not a valid OCOP label');
  });
});

describe('verification page: compression, icon, previews and the language kept', () => {
  const { keyring, app } = verificationApp();
  let key: SigningKey;
  before(async () => {
    key = await registerKey('active');
    await keyring.refresh();
  });

  it('when a client accepts brotli or gzip, then pages, styles and scripts come compressed; without Accept-Encoding they come as they are', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const br = await request(app).get(label.path).set({ Accept: 'text/html', 'Accept-Encoding': 'gzip, deflate, br' }).expect(200);
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.headers['vary']).to.match(/Accept-Encoding/);
    const gzip = await request(app).get(label.path).set({ Accept: 'text/html', 'Accept-Encoding': 'gzip' }).expect(200);
    expect(gzip.headers['content-encoding']).to.equal('gzip');
    expect(gzip.text).to.contain('data-verdict="genuine"');
    for (const file of ['/static/site.css', '/static/verify-offline.js']) {
      const res = await request(app).get(file).set('Accept-Encoding', 'gzip').expect(200);
      expect(res.headers['content-encoding'], file).to.equal('gzip');
    }
    const plain = await request(app).get(label.path).set({ Accept: 'text/html', 'Accept-Encoding': 'identity' }).expect(200);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(Number(plain.headers['content-length'])).to.equal(Buffer.byteLength(plain.text));
  });

  it('when a browser asks for /favicon.ico, then it gets a small icon cacheable for a year', async () => {
    const res = await request(app).get('/favicon.ico').buffer(true).expect(200);
    expect(res.headers['content-type']).to.equal('image/x-icon');
    expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    const body = res.body as Buffer;
    expect(body.length).to.be.below(2048);
    expect(body.readUInt16LE(2), 'an icon resource').to.equal(1);
  });

  it('when a link is shared, then a genuine label previews product, stars and verdict, and a forged one only generic words', async () => {
    const world = await buildIssuedRun({ gtin: true, stars: 4 });
    const label = await issueLabel(world, key);
    const head = (text: string) => text.slice(0, text.indexOf('</head>'));
    const meta = (text: string, name: string) => decodeEntities(new RegExp(`<meta (?:name|property)="${name}" content="([^"]*)">`).exec(head(text))?.[1] ?? '');
    const genuine = (await request(app).get(label.path).set('Accept', 'text/html').expect(200)).text;
    expect(meta(genuine, 'og:title')).to.equal(`Tem thật: ${world.product.name!.vi}`);
    expect(meta(genuine, 'description')).to.contain(world.product.name!.vi).and.contain('sản phẩm OCOP 4 sao');
    expect(meta(genuine, 'og:description')).to.equal(meta(genuine, 'description'));

    const forged = signLabel(world, strangerKey(), { stars: 5 });
    const fake = (await request(app).get(`${forged.path}&lang=en`).set('Accept', 'text/html').expect(200)).text;
    expect(meta(fake, 'og:title')).to.equal('Forged label');
    expect(meta(fake, 'description')).to.equal('OCOP label verification: this label could not be confirmed. Do not trust what is printed on it.');
    expect(head(fake)).not.to.contain(world.product.name!.en).and.not.contain('5');
  });

  it('when the reader picks a language, then a cookie keeps it for the next label, and a page already in that language sets none', async () => {
    const world = await buildIssuedRun();
    const [first, second] = [await issueLabel(world, key), await issueLabel(world, key)];
    const chosen = await request(app).get(`${first.path}&lang=en`).set('Accept', 'text/html').expect(200);
    const cookie = [chosen.headers['set-cookie']].flat().find((c) => c?.startsWith('lang='));
    expect(cookie).to.match(/^lang=en; Path=\/; Max-Age=31536000; SameSite=Lax$/);
    const next = await request(app).get(second.path).set({ Accept: 'text/html', Cookie: 'lang=en' }).expect(200);
    expect(next.text).to.contain('<html lang="en">');
    const again = await request(app).get(`${second.path}&lang=en`).set({ Accept: 'text/html', Cookie: 'lang=en' }).expect(200);
    expect(again.headers['set-cookie']).to.equal(undefined);
  });
});

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
