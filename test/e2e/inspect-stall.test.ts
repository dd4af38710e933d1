import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { browse, type Browsing } from '../support/browser.js';
import { aCommune, buildUser, issueRunThroughApi } from '../support/kit.js';
import { capturePosts, consoleErrors, fakeCamera, labelUrlsOf, logInToScanPage, onlineWithFirstAnswerLost, recordsAt, writeQrVideo } from './inspect-kit.js';

/**
 * A stall inspected with no network, in chromium with its fake camera: the camera
 * plays three labels one after another (a 3-star and a 4-star product, a revoked run),
 * with nothing in view between them. The inspector, offline, reads each in turn (the
 * scanner goes on after each verdict and after each record), sees its stars beside the
 * stars typed from the package, and records a finding for each, one with a phone-sized
 * photo attached (7 MB, above the API's limit, with camera metadata). Back online,
 * with the first photo upload's answer lost on the way, the office has the three
 * records, once each, and one photo: 1600 px, JPEG, no metadata, shown as a thumbnail
 * on the office's findings list. Screenshots in test-artifacts/inspect-stall/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'inspect-stall');

/** A 4000×3000 phone-camera-like JPEG (gradients, squares and grain) with EXIF, as a phone saves it. */
async function writePhonePhoto(file: string): Promise<void> {
  const [w, h] = [4000, 3000];
  const raw = Buffer.alloc(w * h * 3);
  let seed = 7;
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  const grain = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 60;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const n = grain();
      raw[i] = clamp((x * 255) / w + n);
      raw[i + 1] = clamp((y * 255) / h + n);
      raw[i + 2] = clamp((((x >> 6) ^ (y >> 6)) & 1 ? 200 : 60) + n);
    }
  }
  const jpeg = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 95 }).withExif({ IFD0: { Make: 'TestPhone', Model: 'Camera 12MP' } }).toBuffer();
  fs.writeFileSync(file, jpeg);
}

type Seen = { verdict: string; stars: string; checked: string };

/** Waits for the result of a label not read yet, read from the device; its serial and what the page shows. */
async function nextLabel(page: Page, done: ReadonlySet<string>): Promise<[string, Seen]> {
  const handle = await page.waitForFunction((serials) => {
    const result = document.getElementById('inspect-result')!;
    const serial = document.getElementById('inspect-serial')?.textContent ?? '';
    return !result.hidden && result.dataset.source === 'device' && serial && !serials.includes(serial) ? serial : null;
  }, [...done]);
  const serial = (await handle.jsonValue()) as string;
  return [serial, { verdict: (await page.getAttribute('#inspect-result', 'data-verdict'))!, stars: (await page.textContent('#inspect-stars'))!, checked: (await page.textContent('#inspect-checked'))! }];
}

describe('a stall inspected offline: labels one after another, findings with a photo (chromium fake camera)', function () {
  this.timeout(240_000);
  // CACHE_TTL_MS=0: the revocation list is rebuilt on every request, so a run just revoked is in it.
  const app = buildTestApp({ CACHE_TTL_MS: '0' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-stall-'));
  const photo = path.join(scratch, 'stall.jpg');
  const serialOf = (url: string) => new URL(url).pathname.split('/').at(-1)!;
  let urls: { three: string; four: string; revoked: string };
  let browsing: Browsing;

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const three = (await labelUrlsOf(app, await issueRunThroughApi(app, 1, { stars: 3, gtin: true })))[0]!;
    const four = (await labelUrlsOf(app, await issueRunThroughApi(app, 1, { stars: 4 })))[0]!;
    const stolen = await issueRunThroughApi(app, 1, { stars: 4 });
    const revoked = (await labelUrlsOf(app, stolen))[0]!;
    await request(app).post(`/api/v1/label-runs/${stolen.runId}/revoke`).set(bearer(stolen.key)).send({ reason: 'stolen roll' }).expect(200);
    urls = { three, four, revoked };
    // Three seconds of each label, then three of nothing in view, looped by the camera.
    writeQrVideo([three, null, four, null, revoked, null], path.join(scratch, 'stall.y4m'), 15);
    await writePhonePhoto(photo);
  });
  after(async () => {
    await browsing?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('when an inspector with no network scans a stall\u2019s products in turn and records a finding for each, one with a photo, then back online the office has each record once and the photo once, at 1600 px', async () => {
    const original = fs.statSync(photo).size;
    expect(original, 'the phone photo alone is above the API\u2019s 5 MB per photo').to.be.greaterThan(5 * 1024 * 1024);
    // No bypassCSP: the site's policy is under test too (blob: thumbnails, the worker's WebAssembly).
    browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, fakeCamera(path.join(scratch, 'stall.y4m')));
    const page = await browsing.context.newPage();
    const errors = consoleErrors(page);
    const posts = capturePosts(page);
    const puts: Buffer[] = [];
    page.on('request', (req) => req.method() === 'PUT' && puts.push(req.postDataBuffer() ?? Buffer.alloc(0)));
    await logInToScanPage(page, browsing.origin, await buildUser('inspector', { provinces: ['01'] }));
    await page.waitForSelector('#inspect-result[data-source="server"]');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await browsing.context.setOffline(true);
    await page.reload();
    await page.waitForSelector('#inspect[data-ready="true"]');
    expect(await page.textContent('#inspect-network')).to.equal('Offline: results are checked on this device.');

    const stall = `Chợ Hôm, sạp ${randomUUID().slice(0, 6)}`;
    const seen = new Map<string, Seen>();
    while (seen.size < 3) {
      const [serial, shown] = await nextLabel(page, new Set(seen.keys()));
      seen.set(serial, shown);
      // The package shows 4 stars; with the label's photo for the 4-star one.
      await page.fill('#inspect-printed', '4');
      const warned = (await page.textContent('#inspect-stars-warning')) === 'The package shows more stars than were certified.';
      expect(warned, 'warned only where the package shows more stars than the label').to.equal(serial === serialOf(urls.three));
      await page.click('#inspect-record-open');
      expect(await page.textContent('#inspect-serial'), 'the result stays while the record is written').to.equal(serial);
      expect(await page.inputValue('#r-stars')).to.equal('4');
      if (serial === serialOf(urls.four)) {
        await page.setInputFiles('#r-photos', photo);
        await page.waitForSelector('#r-photo-list img');
        expect(await page.getAttribute('#r-photo-list img', 'data-width')).to.equal('1600');
        expect(await page.getAttribute('#r-photo-list img', 'data-height')).to.equal('1200');
        expect(await page.getAttribute('#r-photo-list img', 'alt')).to.equal('Photo 1 of the record');
        await page.screenshot({ path: path.join(ARTIFACTS, 'record-with-photo.png'), fullPage: true });
      }
      await page.fill('#r-commune', aCommune.code);
      await page.fill('#r-place', stall);
      await page.click('#inspect-record-form button[type="submit"]');
      await page.waitForSelector(`#inspect-queue[data-count="${seen.size}"]`);
    }
    expect([...seen.keys()].sort(), 'each label of the stall was read').to.deep.equal([urls.three, urls.four, urls.revoked].map(serialOf).sort());
    expect(seen.get(serialOf(urls.three))).to.include({ verdict: 'genuine', stars: '★★★ 3' });
    expect(seen.get(serialOf(urls.four))).to.include({ verdict: 'genuine', stars: '★★★★ 4' });
    expect(seen.get(serialOf(urls.revoked))).to.include({ verdict: 'revoked' });
    for (const s of seen.values()) expect(s.checked).to.match(/^Checked on this device\. Revocations as of /);
    expect(posts, 'nothing sent while offline').to.have.length(0);

    // Back online; the answer to the first photo upload is lost on the way: the server has the photo, the device does not know.
    await onlineWithFirstAnswerLost(browsing.context, page, '**/api/v1/inspections/*/photos');
    expect(Number(await page.getAttribute('#inspect-queue', 'data-count')), 'the record with the photo still waits').to.be.greaterThan(0);
    await browsing.context.setOffline(true);
    await browsing.context.setOffline(false);
    await page.waitForSelector('#inspect-queue[data-count="0"]');

    const held = await recordsAt(app, stall);
    expect(held.map((i) => i.id).sort(), 'one record for each label, none twice').to.deep.equal([...new Set(posts.map((p) => p.id as string))].sort());
    expect(held.map((i) => [i.label?.serial, i.finding, i.starsSeen]).sort()).to.deep.equal(
      [[serialOf(urls.three), 'stars_above_certified', 4], [serialOf(urls.four), 'ok', 4], [serialOf(urls.revoked), 'other', 4]].sort(),
    );
    const withPhoto = held.find((i) => i.label?.serial === serialOf(urls.four))!;
    expect(held.flatMap((i) => i.photos), 'one photo in all, though it was sent twice').to.have.length(1);
    expect(puts).to.have.length(2);
    expect(puts[1]!.equals(puts[0]!), 'the same bytes sent again').to.equal(true);
    const sent = await sharp(puts[0]!).metadata();
    expect([sent.format, sent.width, sent.height, sent.exif]).to.deep.equal(['jpeg', 1600, 1200, undefined]);
    expect(withPhoto.photos[0]).to.include({ slot: 1, width: 1600, height: 1200 });
    const stored = await request(app).get(withPhoto.photos[0]!.href).set(bearer(await apiKeyFor('admin'))).expect(200);
    const kept = await sharp(stored.body as Buffer).metadata();
    expect([kept.format, kept.width, kept.height, kept.exif]).to.deep.equal(['jpeg', 1600, 1200, undefined]);
    const figures = { phoneBytes: original, phoneSize: '4000x3000', sentBytes: puts[0]!.length, sentSize: '1600x1200', keptBytes: withPhoto.photos[0]!.bytes };
    fs.writeFileSync(path.join(ARTIFACTS, 'photo-sizes.json'), `${JSON.stringify(figures, null, 2)}\n`);

    // The page's online checks (the first label read, before the network was cut) were not counted as shoppers' scans.
    for (const url of [urls.three, urls.four]) {
      const scanned = await request(app).get(new URL(url).pathname + new URL(url).search).set('Accept', 'application/json').expect(200);
      expect(scanned.body.scans.count, `${serialOf(url)}: this shopper's scan is its first`).to.equal(1);
    }

    // The office reads the findings with the photo's thumbnail.
    await browsing.context.clearCookies();
    const office = await buildUser('admin');
    await page.goto(`${browsing.origin}/office/findings?lang=en&commune=${aCommune.code}`);
    await page.fill('input[name="email"]', office.email);
    await page.fill('input[name="password"]', office.password);
    await Promise.all([page.waitForURL((u) => u.pathname === '/office/findings'), page.click('button[type="submit"]')]);
    const thumb = `img[src="${withPhoto.photos[0]!.href}"]`;
    await page.locator(thumb).scrollIntoViewIfNeeded();
    await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLImageElement | null)?.complete === true, thumb);
    expect(await page.$eval(thumb, (img: HTMLImageElement) => [img.naturalWidth, img.width, img.alt])).to.deep.equal([1600, 96, 'Photos 1 (1600×1200)']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'office-findings.png'), fullPage: true });
    expect(errors, 'no console errors (a CSP refusal would show here)').to.deep.equal([]);
  });
});
