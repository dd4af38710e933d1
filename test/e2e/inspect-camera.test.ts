import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { bearer, buildTestApp } from '../support/app.js';
import { randomUUID } from 'node:crypto';
import { browse, type Browsing, axeViolations } from '../support/browser.js';
import { aCommune, buildUser, issueRunThroughApi } from '../support/kit.js';
import { capturePosts, fakeCamera, labelUrlsOf, logInToScanPage, onlineWithFirstAnswerLost, recordInspection, recordsAt, writeQrVideo } from './inspect-kit.js';

/**
 * The inspectors' scan page in chromium with its fake camera, which plays a .y4m video
 * made here from a real label's QR code (rendered by the project's own QR path): an
 * inspector logs in, opens /inspect, the label is read from the camera stream and
 * reads genuine, and an inspection recorded from it reaches the server. Then, with the
 * network cut, a revoked run's label reads revoked as of the kept revocation list, the
 * inspection waits in the device's queue, and once the network is back it is sent:
 * exactly one record on the server, even when the first answer is lost on the way.
 * axe-core finds no violation on the page. Screenshots in test-artifacts/inspect/.
 */
const ARTIFACTS = path.resolve('test-artifacts', 'inspect');

describe('the inspectors\u2019 scan page with a camera (chromium fake camera, axe-core)', function () {
  this.timeout(180_000);
  // CACHE_TTL_MS=0: the revocation list is rebuilt on every request, so a run just revoked is in it.
  const app = buildTestApp({ CACHE_TTL_MS: '0' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-inspect-'));
  let inspector: Awaited<ReturnType<typeof buildUser>>;
  let genuineUrl: string;
  let revokedUrl: string;
  const browsings: Browsing[] = [];

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    inspector = await buildUser('inspector', { provinces: ['01'] });
    const kept = await issueRunThroughApi(app, 2, { gtin: true, stars: 4 });
    genuineUrl = (await labelUrlsOf(app, kept))[0]!;
    const stolen = await issueRunThroughApi(app, 2);
    revokedUrl = (await labelUrlsOf(app, stolen))[0]!;
    await request(app).post(`/api/v1/label-runs/${stolen.runId}/revoke`).set(bearer(stolen.key)).send({ reason: 'stolen roll' }).expect(200);
    writeQrVideo([genuineUrl], path.join(scratch, 'genuine.y4m'));
    writeQrVideo([revokedUrl], path.join(scratch, 'revoked.y4m'));
  });
  after(async () => {
    for (const b of browsings) await b.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('when an inspector holds a genuine label to the camera, then it reads genuine with its certified stars, axe finds no violation, and the inspection recorded from it is on the server', async () => {
    const browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true }, fakeCamera(path.join(scratch, 'genuine.y4m')));
    browsings.push(browsing);
    const page = await browsing.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    const sent = capturePosts(page);
    await logInToScanPage(page, browsing.origin, inspector);

    await page.waitForSelector('#inspect-result[data-verdict="genuine"]');
    expect(await page.textContent('#inspect-verdict')).to.equal('Genuine');
    expect(await page.getAttribute('#inspect-result', 'data-source'), 'asked the server').to.equal('server');
    expect(await page.textContent('#inspect-stars')).to.contain('4');
    expect(await page.textContent('#inspect-serial')).to.equal(new URL(genuineUrl).pathname.split('/').at(-1));
    expect(await page.textContent('#inspect-list'), 'the revocation list is kept').to.match(/^Revocations as of (\d\d:\d\d today|\d+ \w{3} \d{4}, \d\d:\d\d)$/); // 'today' unless Vietnam's midnight fell in between
    expect(await axeViolations(page), 'axe on /inspect with a verdict').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'genuine.png'), fullPage: true });

    await page.fill('#inspect-printed', '5');
    expect(await page.textContent('#inspect-stars-warning')).to.equal('The package shows more stars than were certified.');
    const stall = `Chợ Đồng Xuân, quầy ${randomUUID().slice(0, 6)}`;
    await recordInspection(page, stall, async () => {
      expect(await page.inputValue('#r-stars'), 'the stars typed are carried over').to.equal('5');
      expect(await page.inputValue('#r-finding')).to.equal('stars_above_certified');
      await page.setInputFiles('#r-photos', path.resolve('test/fixtures/label-photos/photo-01.jpg'));
      await page.waitForSelector('#r-photo-list img');
      expect(await axeViolations(page), 'axe on /inspect with the record form and a photo').to.deep.equal([]);
    });
    await page.waitForSelector('#inspect-queue[data-count="0"]');
    await page.waitForFunction(() => document.getElementById('inspect-queue-note')?.textContent === 'Records sent to the server.');
    expect(sent).to.have.length(1);
    expect(sent[0]).to.include({ commune: aCommune.code, place: stall, starsSeen: 5, finding: 'stars_above_certified' });
    expect(sent[0]!.label).to.include({ url: genuineUrl, verdict: 'genuine' });
    const held = await recordsAt(app, stall);
    expect(held.map((i) => [i.id, i.finding, i.starsSeen, i.photos.length])).to.deep.equal([[sent[0]!.id, 'stars_above_certified', 5, 1]]);
    expect(errors, 'no console errors (a CSP refusal would show here)').to.deep.equal([]);
    await page.close();
  });

  it('when the network is cut, then a revoked run\u2019s label reads revoked as of the kept list, the inspection waits on the device, and once back online exactly one record reaches the server, even when the first answer is lost', async () => {
    // No bypassCSP here: the site's policy is under test too (zxing's WebAssembly in the worker, no inline script).
    const browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, fakeCamera(path.join(scratch, 'revoked.y4m')));
    browsings.push(browsing);
    const page = await browsing.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    const sent = capturePosts(page);
    await logInToScanPage(page, browsing.origin, inspector);
    await page.waitForSelector('#inspect-result[data-verdict="revoked"][data-source="server"]');
    // The service worker has taken the page, its files, the keys and the list.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await browsing.context.setOffline(true);
    await page.reload();
    await page.waitForSelector('#inspect[data-ready="true"]');
    expect(await page.textContent('#inspect-network')).to.equal('Offline: results are checked on this device.');
    await page.waitForSelector('#inspect-result[data-verdict="revoked"][data-source="device"]');
    expect(await page.getAttribute('#inspect', 'data-zxing'), 'zxing-wasm runs in the worker under the site policy').to.equal('ready');
    expect(await page.textContent('#inspect-verdict')).to.equal('Revoked');
    expect(await page.textContent('#inspect-verdict-detail')).to.match(/^Revoked as of \d+ \w{3} \d{4}, \d\d:\d\d$/);
    expect(await page.textContent('#inspect-checked')).to.match(/^Checked on this device\. Revocations as of (\d\d:\d\d today|\d+ \w{3} \d{4}, \d\d:\d\d)$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'revoked-offline.png'), fullPage: true });

    const stall = `Chợ Bến Thành, quầy ${randomUUID().slice(0, 6)}`;
    await recordInspection(page, stall);
    await page.waitForSelector('#inspect-queue[data-count="1"]');
    expect(sent, 'nothing sent while offline').to.have.length(0);

    // The first answer is lost on the way back: the server takes the record, the device never hears of it.
    await onlineWithFirstAnswerLost(browsing.context, page, '**/api/v1/inspections');
    expect(await page.getAttribute('#inspect-queue', 'data-count'), 'still waiting: no answer came').to.equal('1');
    // The next time the device comes online it sends the same record again.
    await browsing.context.setOffline(true);
    await browsing.context.setOffline(false);
    await page.waitForSelector('#inspect-queue[data-count="0"]');
    expect(sent).to.have.length(2);
    expect(sent[1], 'the same record, with the same id').to.deep.equal(sent[0]);
    expect(sent[0]).to.include({ finding: 'other', place: stall });
    expect(sent[0]!.label).to.include({ url: revokedUrl, verdict: 'revoked' });
    expect((await recordsAt(app, stall)).map((i) => i.id), 'exactly one record on the server').to.deep.equal([sent[0]!.id]);
    expect(errors, 'no console errors (a CSP refusal would show here)').to.deep.equal([]);
    await page.close();
  });

  it('when the browser may not use a camera, then the page says so, a label link pasted into it still reads genuine, a photo chosen is read in the page, and axe finds no violation', async () => {
    // No fake camera and no permission: getUserMedia is refused or finds no device.
    const browsing = await browse(app, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });
    browsings.push(browsing);
    const page = await browsing.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    await logInToScanPage(page, browsing.origin, inspector);
    await page.waitForFunction(() => /photo of the label below\.$/.test(document.getElementById('inspect-camera-note')?.textContent ?? ''));
    expect(await page.isVisible('#inspect-photo'), 'the photo input stays').to.equal(true);
    expect(await axeViolations(page), 'axe on /inspect without a camera').to.deep.equal([]);
    await page.fill('#inspect-link', genuineUrl);
    await page.click('#inspect-link-form button[type="submit"]');
    await page.waitForSelector('#inspect-result[data-verdict="genuine"]');
    expect(new URL(page.url()).pathname, 'checked in the page, not sent away').to.equal('/inspect');
    await page.screenshot({ path: path.join(ARTIFACTS, 'no-camera.png'), fullPage: true });

    // A photo instead: read in the worker, checked by the server. The photo set's labels are
    // signed with the documentation's test key, which this service does not hold: forged.
    const photo = path.resolve('test/fixtures/label-photos/photo-01.jpg');
    await page.setInputFiles('#inspect-photo', photo);
    await page.waitForSelector('#inspect-result[data-verdict="forged"]');
    expect(await page.textContent('#inspect-verdict')).to.equal('Forged');
    expect(await page.textContent('#inspect-lot')).to.equal('MO-2026-11A');

    // The link form's own answer (what a browser without JavaScript gets): the check on the page.
    await page.goto(`${browsing.origin}/inspect?lang=en&label=${encodeURIComponent(genuineUrl)}`);
    expect(await page.textContent('#inspect-checked-verdict')).to.equal('Genuine');
    expect(await axeViolations(page), 'axe on the check shown without JavaScript').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'link-form-check.png'), fullPage: true });
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});
