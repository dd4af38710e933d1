import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../support/app.js';
import { buildLabelledBatch, buildUser, logIn, signLabel, buildIssuedRun, registerKey } from '../support/kit.js';

/**
 * GET /inspect and the files of its offline app: who may open the page, what it loads
 * (no inline script; the manifest), the link form that works without JavaScript, the
 * service worker's scope header, and the one policy that allows WebAssembly: the
 * decoder worker's, never the page's.
 */
describe('the inspectors\u2019 scan page (/inspect)', function () {
  this.timeout(60_000);
  const app = buildTestApp();

  it('when a browser without a session opens it, then it gets the login form that comes back to it', async () => {
    const res = await request(app).get('/inspect').set('Accept', 'text/html').expect(401);
    expect(res.text).to.contain('<input type="hidden" name="next" value="/inspect">');
  });

  it('when a producer opens it, then 403; an inspector and an admin get the page, with its manifest and no inline script', async () => {
    const producer = await buildUser('producer', { producerId: (await buildLabelledBatch()).producer._id });
    const asProducer = await logIn(app, producer);
    await asProducer.browser.get('/inspect').set('Accept', 'text/html').expect(403);

    for (const [role, lang, title] of [['inspector', 'en', 'Check OCOP labels'], ['admin', 'vi', 'Kiểm tra tem OCOP']] as const) {
      const { browser } = await logIn(app, await buildUser(role, role === 'inspector' ? { provinces: ['01'] } : {}));
      const res = await browser.get(`/inspect?lang=${lang}`).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.contain(`<h1>${title}</h1>`);
      expect(res.text).to.contain(`<link rel="manifest" href="/inspect/app/manifest-${lang}.webmanifest">`);
      expect(res.text).to.contain('<script src="/static/inspect/start.js" defer></script>');
      expect(res.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g), 'inline scripts').to.equal(null);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).to.contain("script-src 'self'");
      expect(csp, 'the page itself may not compile WebAssembly').not.to.contain('wasm-unsafe-eval');
      expect(csp, 'its manifest may load').to.match(/;manifest-src 'self'$/);
    }
  });

  it('when a label link is sent through the form without JavaScript, then the page itself shows the check (not the label\u2019s page, which would count a scan); a link that is not a label\u2019s gets the form back with a message', async () => {
    const { browser } = await logIn(app, await buildUser('inspector', { provinces: ['01'] }));
    const run = await buildIssuedRun();
    const label = signLabel(run, await registerKey());
    const res = await browser.get(`/inspect?lang=en&label=${encodeURIComponent(label.url)}`).expect(200);
    expect(res.headers.location).to.equal(undefined);
    expect(res.text).to.contain('id="inspect-checked-result"').and.contain(label.serial).and.contain('is not counted as a shopper\u2019s scan');
    const bad = await browser.get(`/inspect?lang=en&label=${encodeURIComponent('https://example.com/not-a-label')}`).expect(400);
    expect(bad.text).to.contain('This is not the link of an OCOP label.');
  });

  it('when the app files are asked for, then the manifest scopes the app to /inspect, the service worker may take that scope, and only the decoder worker may compile WebAssembly', async () => {
    const manifest = await request(app).get('/inspect/app/manifest-vi.webmanifest').expect(200);
    expect(manifest.type).to.equal('application/manifest+json');
    const m = JSON.parse(manifest.text) as { scope: string; start_url: string; display: string; icons: Array<{ sizes: string }> };
    expect(m).to.include({ scope: '/inspect', start_url: '/inspect?lang=vi', display: 'standalone' });
    expect(m.icons.map((i) => i.sizes)).to.include.members(['192x192', '512x512']);
    const icon = await request(app).get('/inspect/app/icon-192.png').expect(200);
    expect(icon.type).to.equal('image/png');

    const sw = await request(app).get('/inspect/app/sw.js').expect(200);
    expect(sw.headers['service-worker-allowed']).to.equal('/inspect');
    expect(sw.type).to.equal('text/javascript');
    const worker = await request(app).get('/inspect/app/scan-worker.js').expect(200);
    expect(worker.headers['content-security-policy']).to.equal("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'");
    const wasm = await request(app).get('/inspect/app/zxing_reader.wasm').expect(200);
    expect(wasm.type).to.equal('application/wasm');
    expect(String(wasm.headers['content-security-policy'])).not.to.contain('wasm-unsafe-eval');
    await request(app).get('/inspect/app/jsqr.js').expect(200);
    const missing = await request(app).get('/inspect/app/package.json').set('Accept', 'application/json').expect(404);
    expect(missing.body.error.code).to.equal('route/not_found');
  });
});
