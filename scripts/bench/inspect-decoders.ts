/**
 * The scan page's decoders in the browser: the page's own Web Worker
 * (public/inspect/scan-worker.js, served as the page serves it) in Debian's chromium,
 * fed the photo set test/fixtures/label-photos as the page feeds it: each photo drawn
 * on a canvas at most `side` pixels on its longest side, its RGBA pixels posted to the
 * worker, one at a time. Two uses: a camera frame (960 px, quick tries: no inverted
 * codes, no rotations) and a photo taken or chosen (1600 px, thorough). A photo counts
 * as read when the text is its label's URL. Prints a Markdown table: photos read, and
 * milliseconds per photo inside the worker (mean and worst; the first zxing call
 * includes compiling its WebAssembly, about 50 ms, and is left out of the mean).
 *   npx tsx scripts/bench/inspect-decoders.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { chromium } from 'playwright-core';
import { inspectPagesRouter } from '../../src/inspect/inspect.routes.js';
import type { AccountWeb } from '../../src/accounts/login.routes.js';

const DIR = path.resolve('test/fixtures/label-photos');
const { photos } = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { photos: Array<{ file: string; url: string }> };

const USES = [
  { name: 'camera frame (≤ 960 px, quick)', side: 960, thorough: false },
  { name: 'photo (≤ 1600 px, thorough)', side: 1600, thorough: true },
];
const COMBINATIONS = [['jsqr'], ['zxing'], ['jsqr', 'zxing'], ['zxing', 'jsqr']];
const NAMES: Record<string, string> = { jsqr: 'jsQR', zxing: 'zxing-wasm' };

// Only the worker and its readers are asked for: the scan page itself (which needs accounts) never is.
const app = express();
app.use(inspectPagesRouter({} as AccountWeb, {} as Parameters<typeof inspectPagesRouter>[1]));
app.use('/photos', express.static(DIR));
app.get('/', (_req, res) => {
  res.type('html').send('<!doctype html><title>decoders</title>');
});
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto(origin);

type Outcome = { text: string | null; ms: number; zxing: string };
/** Runs in the page: each photo drawn as the scan page draws it, decoded by a fresh worker. */
const IN_PAGE = `async function ({ files, decoders, side, thorough }) {
  const worker = new Worker('/inspect/app/scan-worker.js');
  const out = [];
  for (const file of files) {
    const bitmap = await createImageBitmap(await (await fetch('/photos/' + file)).blob());
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const w = Math.round(bitmap.width * scale), h = Math.round(bitmap.height * scale);
    const ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0, w, h);
    const image = ctx.getImageData(0, 0, w, h);
    out.push(await new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.postMessage({ id: 1, width: w, height: h, pixels: image.data.buffer, decoders, thorough }, [image.data.buffer]);
    }));
  }
  worker.terminate();
  return out;
}`;
console.log(`${photos.length} photos, chromium ${browser.version()}\n`);
console.log('| use | decoders, in order | read | ms per photo, mean | worst |');
console.log('| --- | --- | --- | --- | --- |');
for (const use of USES) {
  for (const decoders of COMBINATIONS) {
    const args = { files: photos.map((p) => p.file), decoders, side: use.side, thorough: use.thorough };
    // As text: the compiler's helpers (names of functions) do not exist in the page.
    const outcomes = (await page.evaluate(`(${IN_PAGE})(${JSON.stringify(args)})`)) as Outcome[];
    if (decoders.includes('zxing') && outcomes.some((o) => o.zxing !== 'ready')) throw new Error('zxing-wasm did not load in the worker');
    const read = outcomes.filter((o, i) => o.text === photos[i]!.url).length;
    const times = outcomes.map((o) => o.ms);
    const steady = decoders.includes('zxing') ? times.slice(1) : times;
    const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
    console.log(`| ${use.name} | ${decoders.map((d) => NAMES[d]).join(' → ')} | ${read} / ${photos.length} | ${mean.toFixed(0)} | ${Math.max(...times).toFixed(0)} |`);
  }
}
await browser.close();
server.close();
