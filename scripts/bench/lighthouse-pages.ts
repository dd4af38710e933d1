/**
 * Lighthouse (mobile, its defaults: a mid-range phone on a slow 4G link) on the public
 * pages, served by the app over a fresh database: two verification pages (a genuine
 * label and a voided one), the home page, a registry search, a product and its
 * producer, the statistics and the login page. Prints each category's score; figures
 * only, no asserts.
 *
 *   npx tsx scripts/bench/lighthouse-pages.ts
 *
 * Chrome is Debian's chromium (CHROME_PATH, default /usr/bin/chromium), never a
 * downloaded one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

const { createTestDatabase } = await import('../../test/support/database.js');
const { connectDatabase, disconnectDatabase, syncIndexes } = await import('../../src/db.js');
const { verificationApp } = await import('../../test/support/app.js');
const { buildIssuedRun, issueLabel, registerKey } = await import('../../test/support/kit.js');
const { voidLabel } = await import('../../src/labels/runs/labels.service.js');
const { systemPrincipal } = await import('../../src/policy/principal.js');
const { demoPhoto } = await import('../../src/registry/products/product-photo.demo.js');
const { setProductPhoto } = await import('../../src/registry/products/product-photo.service.js');

const db = await createTestDatabase('ocop_lighthouse');
let server: http.Server | null = null;
let chrome: chromeLauncher.LaunchedChrome | null = null;
try {
  await connectDatabase(db.uri);
  await syncIndexes();
  const { keyring, app } = verificationApp();
  const key = await registerKey('active');
  await keyring.refresh();
  const world = await buildIssuedRun({ gtin: true, stars: 4 });
  // The genuine page as a shopper sees it: with the product's photo on the first screen.
  await setProductPhoto(world.product._id, await demoPhoto(30), systemPrincipal);
  const genuine = await issueLabel(world, key);
  const voided = await issueLabel(world, key);
  await voidLabel(systemPrincipal, voided.serial, 'in hỏng khi dán nhãn');

  const listening = http.createServer(app);
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  const pages: Array<[string, string]> = [
    ['genuine', genuine.path],
    ['revoked (voided label)', voided.path],
    // The public registry and statistics: a newcomer's way in.
    ['home', '/'],
    ['search', `/products?q=${encodeURIComponent(world.product.name.vi.split(' ').slice(0, 2).join(' '))}`],
    ['product', `/products/${world.product._id}`],
    ['producer', `/producers/${world.product.producerId}`],
    ['statistics', '/statistics'],
    ['login', '/login'],
  ];
  for (const [name, path] of pages) {
    const result = await lighthouse(`${origin}${path}`, { port: chrome.port, output: 'json', logLevel: 'error' });
    const categories = result?.lhr.categories ?? {};
    const scores = Object.values(categories).map((c) => `${c.title} ${Math.round((c.score ?? 0) * 100)}`);
    console.log(`${name.padEnd(24)} ${scores.join('   ')}`);
    // A run that failed (no paint, a page error) scores 0 without failing an audit: say why.
    if (result?.lhr.runtimeError) console.log(`    runtime error: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
    for (const audit of Object.values(result?.lhr.audits ?? {})) {
      if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'manual') {
        console.log(`    below 90: ${audit.id} (${audit.displayValue ?? audit.score})`);
      }
    }
  }
} finally {
  await chrome?.kill();
  if (server) await new Promise((resolve) => server!.close(resolve));
  await disconnectDatabase();
  await db.drop();
}
