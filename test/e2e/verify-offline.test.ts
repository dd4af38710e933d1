import { expect } from 'chai';
import type { BrowserContext } from 'playwright-core';
import { verificationApp } from '../support/app.js';
import { browse, type Browsing } from '../support/browser.js';
import { buildIssuedRun, issueLabel, registerKey, type IssuedLabel } from '../support/kit.js';

/** The order of P-256's base point: (r, s) and (r, n − s) verify alike. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
function highSTwin(sig: string): string {
  const bytes = Buffer.from(sig, 'base64url');
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  return Buffer.concat([bytes.subarray(0, 32), Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex')]).toString('base64url');
}

describe('verification page in a browser (chromium)', function () {
  this.timeout(60_000);
  let browsing: Browsing;
  let origin: string;
  let context: BrowserContext;
  let genuine: IssuedLabel;
  let other: IssuedLabel;

  before(async () => {
    const { keyring, app } = verificationApp();
    const key = await registerKey('active');
    await keyring.refresh();
    const world = await buildIssuedRun({ gtin: true });
    genuine = await issueLabel(world, key);
    other = await issueLabel(world, key);

    browsing = await browse(app, { locale: 'vi-VN' });
    ({ origin, context } = browsing);
  });

  after(async () => {
    await browsing?.close();
  });

  it('when a genuine label is opened, then the page shows the genuine verdict and the on-device check agrees', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}${genuine.path}`);
    expect(await page.locator('#verdict').getAttribute('data-verdict')).to.equal('genuine');
    expect(await page.locator('#verdict h1').textContent()).to.equal('Tem thật');
    const result = page.locator('#offline-result[data-outcome]');
    await result.waitFor();
    expect(await result.getAttribute('data-outcome')).to.equal('valid');
    expect(await result.textContent()).to.contain('kiểm tra trên thiết bị này');
    await page.close();
  });

  it('when the network is cut, then the saved keys still accept a genuine label (and its high-S twin) and reject a tampered or repeated one', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}${genuine.path}&lang=en`);
    await page.locator('#offline-result[data-outcome]').waitFor();
    const saved = await page.evaluate(() => localStorage.getItem('ocop-trace.jwks'));
    expect(saved).to.contain(other.fields.kid);

    await context.setOffline(true);
    await page.route('**/*', (route) => route.abort('internetdisconnected'));
    try {
      const check = async (url: string) => {
        await page.fill('#offline-url', url);
        await page.evaluate(() => document.getElementById('offline-result')?.removeAttribute('data-outcome'));
        await page.click('#offline-form button');
        const result = page.locator('#offline-result[data-outcome]');
        await result.waitFor();
        return { outcome: await result.getAttribute('data-outcome'), text: await result.textContent() };
      };
      const valid = await check(other.url);
      expect(valid.outcome).to.equal('valid');
      expect(valid.text).to.equal('Signature valid (checked on this device)');

      const tampered = other.url.replace(`s=${other.fields.stars}`, `s=${other.fields.stars + 1}`);
      const invalid = await check(tampered);
      expect(invalid.outcome).to.equal('invalid');
      expect(invalid.text).to.equal('Signature INVALID (checked on this device)');

      const strangeKid = other.url.replace(`k=${other.fields.kid}`, 'k=zzzzzzzz');
      expect((await check(strangeKid)).outcome).to.equal('no_key');

      // ECDSA's twin (r, n − s) verifies as well: the browser's WebCrypto accepts it, as the online verifier does.
      expect((await check(other.url.replace(`sig=${other.sig}`, `sig=${highSTwin(other.sig)}`))).outcome).to.equal('valid');
      expect((await check(`${other.url}&s=${other.fields.stars}`)).outcome, 'a repeated parameter').to.equal('not_label');
    } finally {
      await context.setOffline(false);
      await page.close();
    }
  });
});
