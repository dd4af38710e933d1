import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { revokeRun, voidLabel } from '../../src/labels/runs/labels.service.js';
import { shortKid, type SigningKey } from '../../src/labels/signing/key-crypto.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { revokeCertification } from '../../src/registry/certifications/certification.service.js';
import { setProductPhoto } from '../../src/registry/products/product-photo.service.js';
import { demoPhoto } from '../../src/registry/products/product-photo.demo.js';
import { updateProduct } from '../../src/registry/products/product.service.js';
import { updateProducer } from '../../src/registry/producers/producer.service.js';
import { verificationApp } from '../support/app.js';
import { browse, type Browsing } from '../support/browser.js';
import { buildCertification, buildIssuedRun, daysAgo, issueLabel, registerKey, signLabel, strangerKey, uniqueGtin14, type IssuedRun } from '../support/kit.js';

/**
 * Every verdict page as a shopper's phone shows it (360×740, Debian chromium): axe-core
 * finds no accessibility violation (contrast included), and the first screen holds the
 * verdict, the product and the state of its stars. Screenshots of each page land in
 * test-artifacts/verify-pages/ (ignored by git; CI keeps the folder as an artefact).
 */
const ARTIFACTS = path.resolve('test-artifacts', 'verify-pages');
const FIRST_SCREEN = { width: 360, height: 740 };
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Case = { name: string; verdict: string; path: string; ours: boolean; warning?: string; offlineBut?: boolean };

describe('verification pages on a phone: every verdict, both languages (chromium, axe-core)', function () {
  this.timeout(240_000);
  const { keyring, app } = verificationApp();
  let browsing: Browsing;
  const cases: Case[] = [];
  let genuineWorld: IssuedRun;

  /** Scans from `count` phones on as many networks: the clone rule's signal. */
  async function scanFromManyPhones(origin: string, labelPath: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${origin}${labelPath}`, { headers: { Accept: 'application/json', 'X-Forwarded-For': `10.${i + 1}.0.7`, 'User-Agent': `phone-${i}` } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
      });
    }
  }

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const key = await registerKey('active');
    const doomedKey = await registerKey('active');
    await keyring.refresh();
    browsing = await browse(app, { viewport: FIRST_SCREEN, isMobile: true, hasTouch: true, bypassCSP: true, timezoneId: 'America/New_York' });
    const ours = async (name: string, verdict: string, world: IssuedRun, opts: { key?: SigningKey; status?: 'void' | 'revoked'; warning?: string } = {}) => {
      const label = await issueLabel(world, opts.key ?? key, opts.status ? { status: opts.status } : {});
      const c: Case = { name, verdict, path: label.path, ours: true, ...(opts.warning ? { warning: opts.warning } : {}), offlineBut: verdict !== 'genuine' };
      cases.push(c);
      return label;
    };

    // The genuine product as its registry record gives it: a photo (drawn, sent as a camera's JPEG), standards, a published contact.
    genuineWorld = await buildIssuedRun({ gtin: true, stars: 4 });
    await setProductPhoto(genuineWorld.product._id, await demoPhoto(30), systemPrincipal);
    await updateProduct(genuineWorld.product._id, { standards: ['TCVN 5250:2015', 'QCVN 8-2:2011/BYT'] }, systemPrincipal);
    await updateProducer(genuineWorld.producer._id, { publicContact: { phone: '0912345678', website: 'https://htx.example.vn' } }, systemPrincipal);
    await ours('genuine', 'genuine', genuineWorld);
    await ours('genuine-batch-expired', 'genuine', await buildIssuedRun({ batch: { productionDate: daysAgo(400), expiryDate: daysAgo(2) } }), { warning: 'batch_expired' });
    const copied = await ours('genuine-clone-suspected', 'genuine', await buildIssuedRun({ gtin: true }), { warning: 'clone_suspected' });
    await scanFromManyPhones(browsing.origin, copied.path, 8);
    const reRated = await buildIssuedRun({ stars: 4 });
    await ours('genuine-certification-superseded', 'genuine', reRated, { warning: 'certification_superseded' });
    await buildCertification({ productId: reRated.product._id, stars: 4, decisionDate: daysAgo(1) });
    const downRated = await buildIssuedRun({ stars: 4 });
    await ours('genuine-stars-above-certified', 'genuine', downRated, { warning: 'stars_above_certified' });
    await buildCertification({ productId: downRated.product._id, stars: 3, decisionDate: daysAgo(1) });

    await ours('expired', 'expired', await buildIssuedRun({ certification: 'expired' }));
    const voided = await ours('revoked-label-voided', 'revoked', await buildIssuedRun({ gtin: true }));
    await voidLabel(systemPrincipal, voided.serial, 'in hỏng khi dán nhãn');
    await ours('revoked-label', 'revoked', await buildIssuedRun(), { status: 'revoked' });
    const stolen = await buildIssuedRun();
    await ours('revoked-run', 'revoked', stolen);
    await revokeRun(systemPrincipal, stolen.run._id, 'cuộn tem bị mất trộm');
    await ours('revoked-certification', 'revoked', await buildIssuedRun({ certification: 'revoked' }));
    const stripped = await buildIssuedRun({ stars: 4 });
    await ours('revoked-newest-decision', 'revoked', stripped);
    const newest = await buildCertification({ productId: stripped.product._id, stars: 5, decisionDate: daysAgo(3) });
    await revokeCertification(newest._id, 'hồ sơ đánh giá không trung thực', systemPrincipal);
    const leaked = await buildIssuedRun();
    await ours('revoked-key', 'revoked', leaked, { key: doomedKey });
    await keyring.revoke(shortKid(doomedKey.kid), 'key file leaked');

    const stranger = await buildIssuedRun({ gtin: true });
    cases.push({ name: 'forged', verdict: 'forged', path: signLabel(stranger, strangerKey()).path, ours: false });
    cases.push({ name: 'unknown', verdict: 'unknown', path: signLabel(stranger, key).path, ours: false, offlineBut: true });
    const gtin = uniqueGtin14();
    cases.push({ name: 'malformed', verdict: 'malformed', path: `/01/${gtin}/10/LOT-7/21/ABCDEFGHJKLMN?s=7&v=281231&k=abcdefgh&sig=${'A'.repeat(86)}`, ours: false });
  });

  after(async () => {
    await browsing?.close();
  });

  /** Where an element ends, from the top of the page (px); Infinity when it is missing. */
  const bottomOf = (page: Page, selector: string) =>
    page.evaluate((sel) => {
      const el = document.querySelector(sel);
      return el ? el.getBoundingClientRect().bottom + window.scrollY : Number.POSITIVE_INFINITY;
    }, selector);

  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join(' | ')}`);
    });
    return violations;
  }

  it('when a browser opens /favicon.ico, then it decodes as an image', async () => {
    const page = await browsing.context.newPage();
    try {
      await page.goto(`${browsing.origin}/favicon.ico`);
      expect(await page.evaluate(() => document.images[0]?.naturalWidth)).to.equal(32);
    } finally {
      await page.close();
    }
  });

  it('when the genuine product has a photo, its producer a published phone and website and the product its standards, then they show and the first screen holds verdict, product, stars and photo, in under 30 KB', async () => {
    const genuine = cases.find((c) => c.name === 'genuine')!;
    const page = await browsing.context.newPage();
    /** Bytes as transferred (compressed bodies and headers) of what the first screen is drawn from. */
    const transferred: Array<Promise<{ url: string; type: string; bytes: number }>> = [];
    page.on('requestfinished', (req) => {
      if (!['document', 'stylesheet', 'script', 'image'].includes(req.resourceType())) return;
      transferred.push(req.sizes().then((sz) => ({ url: req.url(), type: req.resourceType(), bytes: sz.responseBodySize + sz.responseHeadersSize })));
    });
    try {
      await page.goto(`${browsing.origin}${genuine.path}`, { waitUntil: 'load' });
      const photo = page.locator('#product img.product-photo');
      expect(await photo.getAttribute('alt'), 'the photo is named by the product').to.equal(await page.locator('#product .product-name').textContent());
      expect([genuineWorld.product.name.vi, genuineWorld.product.name.en]).to.include(await photo.getAttribute('alt'));
      expect(await photo.getAttribute('width')).to.equal('240');
      expect(await page.evaluate(() => (document.querySelector('#product img') as HTMLImageElement).naturalWidth), 'the photo decodes').to.equal(240);
      expect(await page.locator('#product .contact a[href^="tel:"]').textContent()).to.equal('0912345678');
      expect(await page.locator('#product .contact a[href^="https:"]').getAttribute('href')).to.equal('https://htx.example.vn');
      expect(await page.locator('#product-facts').textContent()).to.contain('TCVN 5250:2015');
      for (const selector of ['#verdict h1', '#product .product-name', '#product .rating', '#product .producer', '#product img']) {
        expect(await bottomOf(page, selector), selector).to.be.at.most(FIRST_SCREEN.height);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, 'genuine-with-photo-vi.png') });
      expect(await axeViolations(page)).to.deep.equal([]);
      const sizes = await Promise.all(transferred);
      expect(sizes.map((r) => r.type).sort(), 'the page, its style sheet, its script and the photo').to.include.members(['document', 'image', 'script', 'stylesheet']);
      const total = sizes.reduce((sum, r) => sum + r.bytes, 0);
      fs.writeFileSync(path.join(ARTIFACTS, 'genuine-first-screen-bytes.json'), JSON.stringify({ total, sizes }, null, 2));
      expect(total, sizes.map((r) => `${r.type} ${r.bytes} ${r.url}`).join('\n')).to.be.below(30 * 1024);
    } finally {
      await page.close();
    }
  });

  for (const lang of ['vi', 'en'] as const) {
    it(`when each verdict's page is opened in ${lang === 'vi' ? 'Vietnamese' : 'English'} on a 360×740 phone, then axe finds no violation and the first screen holds the verdict, the product and its stars`, async () => {
      expect(cases.length).to.equal(15);
      const problems: string[] = [];
      for (const c of cases) {
        const page = await browsing.context.newPage();
        try {
          const res = await page.goto(`${browsing.origin}${c.path}&lang=${lang}`);
          expect(res?.status(), c.name).to.equal(c.verdict === 'malformed' ? 400 : 200);
          expect(await page.locator('#verdict').getAttribute('data-verdict'), c.name).to.equal(c.verdict);
          if (c.warning) expect(await page.locator('#verdict .warnings li').count(), `${c.name}: its warning`).to.be.at.least(1);
          if (c.verdict !== 'malformed') {
            // Axe checks the page as the reader ends up seeing it: with the on-device check's answer.
            const result = page.locator('#offline-result[data-outcome]');
            await result.waitFor();
            if (c.offlineBut) {
              expect(await result.getAttribute('class'), `${c.name}: the on-device answer is qualified`).to.contain('qualified');
              expect(await result.textContent(), c.name).to.match(lang === 'vi' ? /^(Chữ ký hợp lệ, nhưng|Không còn khóa để kiểm tra chữ ký:) / : /^(Signature valid, but|No key left to check the signature with:) /);
            }
            expect(await page.locator('#offline-keys').textContent(), `${c.name}: the keys' time in the page's format`).to.match(
              lang === 'vi' ? / \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/ : / \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/,
            );
          }
          const firstScreen = FIRST_SCREEN.height;
          const product = c.ours ? '#product .product-name' : '#printed dd';
          const stars = c.ours ? '#product .rating' : '#printed .rating';
          for (const [what, selector] of [['verdict heading', '#verdict h1'], ['product', product], ['stars state', stars]] as const) {
            const bottom = await bottomOf(page, selector);
            if (bottom > firstScreen) problems.push(`${lang} ${c.name}: the ${what} ends at ${Math.round(bottom)} px, below the first screen`);
          }
          if (c.ours && c.verdict !== 'genuine') {
            expect(await page.locator('#product .rating').getAttribute('class'), c.name).to.contain('rating-void');
          }
          await page.screenshot({ path: path.join(ARTIFACTS, `${c.name}-${lang}.png`) });
          await page.screenshot({ path: path.join(ARTIFACTS, `${c.name}-${lang}-full.png`), fullPage: true });
          for (const v of await axeViolations(page)) problems.push(`${lang} ${c.name}: ${v}`);
        } finally {
          await page.close();
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  }
});
