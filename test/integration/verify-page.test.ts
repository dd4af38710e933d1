import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import type { SigningKey } from '../../src/labels/signing/key-crypto.js';
import { ProductModel } from '../../src/registry/products/product.model.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { testConfig, verificationApp } from '../support/app.js';
import { buildIssuedRun, issueLabel, registerKey, signLabel, strangerKey } from '../support/kit.js';

describe('verification page', () => {
  const { keyring, app } = verificationApp();
  let key: SigningKey;

  before(async () => {
    key = await registerKey('active');
    await keyring.refresh();
  });

  const page = (path: string, headers: Record<string, string> = {}) =>
    request(app).get(path).set({ Accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers }).expect(200);

  it('when a phone opens a genuine label, then it reads, in Vietnamese, genuine with stars, product, producer, certificate and batch', async () => {
    const world = await buildIssuedRun({ gtin: true, stars: 4 });
    const label = await issueLabel(world, key);
    const res = await page(label.path);
    expect(res.type).to.equal('text/html');
    expect(res.text).to.contain('<html lang="vi">');
    expect(res.text).to.contain('data-verdict="genuine"');
    expect(res.text).to.contain('verdict-ok');
    expect(res.text).to.contain('Tem thật');
    expect(res.text).to.contain('Sản phẩm OCOP 4 sao');
    expect(res.text.match(/<svg class="star"/g)).to.have.length(4);
    expect(res.text).to.contain(world.product.name?.vi);
    expect(res.text).to.contain(world.producer.name);
    expect(res.text).to.contain('Thành phố Hà Nội');
    expect(res.text).to.contain(escapeHtml(world.certification.decisionNumber));
    expect(res.text).to.contain(world.batch.lotCode);
    expect(res.text).to.contain('Còn hiệu lực');
    expect(res.text).to.contain('Đây là lần quét đầu tiên');
  });

  it('when the browser prefers English or the reader switches language, then the page is in English and the switch keeps the label', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const byHeader = await page(label.path, { 'Accept-Language': 'en-US,en;q=0.9' });
    expect(byHeader.text).to.contain('<html lang="en">');
    expect(byHeader.text).to.contain('Genuine label');
    expect(byHeader.text).to.contain(world.product.name?.en);

    const switchHref = /<a class="lang" href="([^"]+)"/.exec(byHeader.text)?.[1]?.replace(/&amp;/g, '&');
    expect(switchHref).to.contain(`sig=${label.sig}`);
    const switched = await page(switchHref!, { 'Accept-Language': 'en' });
    expect(switched.text).to.contain('<html lang="vi">');
    expect(switched.text).to.contain('Tem thật');
  });

  it('when a forged label is opened, then the page says forged in red and shows the printed fields as unverified', async () => {
    const world = await buildIssuedRun();
    const label = signLabel(world, strangerKey());
    const res = await page(`${label.path}&lang=en`);
    expect(res.text).to.contain('data-verdict="forged"');
    expect(res.text).to.contain('verdict-bad');
    expect(res.text).to.contain('Forged label');
    expect(res.text).to.contain('Printed on the label (not verified)');
    expect(res.text).not.to.contain(world.producer.name);
  });

  it('when a 2-star product is shown, then its stars are not presented as the OCOP mark', async () => {
    const world = await buildIssuedRun({ stars: 2 });
    const label = await issueLabel(world, key);
    const res = await page(label.path);
    expect(res.text).not.to.contain('class="ocop"');
    expect(res.text).to.contain('chưa đủ 3 sao để dùng nhãn OCOP');
  });

  it('when two labels of one batch are opened, then each page names its own serial and scan count beside the verdict, with the same batch details', async () => {
    const world = await buildIssuedRun({ gtin: true });
    const [first, second] = [await issueLabel(world, key), await issueLabel(world, key)];
    await page(first.path);
    const again = await page(first.path);
    const other = await page(second.path);
    const verdictCard = (html: string) => /<section class="card verdict[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(verdictCard(again.text)).to.contain(first.serial).and.contain('Tem đã được quét 2 lần');
    expect(verdictCard(other.text)).to.contain(second.serial).and.contain('Đây là lần quét đầu tiên');
    expect(other.text).not.to.contain(first.serial);
    const details = (html: string) => html.slice(html.indexOf('id="certification"'), html.indexOf('id="offline-check"'));
    expect(details(other.text)).to.contain(world.batch.lotCode);
    expect(details(other.text)).to.equal(details(again.text));
  });

  it('when the product is renamed, then the page shows the new name once the cache period is over', async () => {
    const fresh = createApp({ config: testConfig({ CACHE_TTL_MS: '0' }), logger: createLogger('silent'), keyring, scans: new ScanRecorder({ flushMs: 60_000 }) });
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const before = await request(fresh).get(label.path).set('Accept', 'text/html').expect(200);
    expect(before.text).to.contain(world.product.name?.vi);
    const renamed = `Tên mới ${world.product._id}`;
    await ProductModel.updateOne({ _id: world.product._id }, { $set: { 'name.vi': renamed } });
    const after = await request(fresh).get(label.path).set('Accept', 'text/html').expect(200);
    expect(after.text).to.contain(renamed);
  });

  it('when the page is served, then it is small, needs no inline script or style, and loads only the offline-check module', async () => {
    const world = await buildIssuedRun({ gtin: true });
    const label = await issueLabel(world, key);
    const res = await page(label.path);
    expect(Buffer.byteLength(res.text)).to.be.below(15 * 1024);
    expect(res.text).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.to.match(/\sstyle=/);
    expect(res.text).not.to.match(/<img\b/);
    expect(res.text).to.contain('<script type="module" src="/static/verify-offline.js"></script>');
    const script = await request(app).get('/static/verify-offline.js').expect(200);
    expect(script.headers['content-type']).to.match(/javascript/);
  });
});

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
