/**
 * Label photo decoding: jsQR, zxing-wasm and their combinations on the photo set
 * test/fixtures/label-photos (scripts/make-label-photos.ts), each photo scaled as the
 * server scales it (sharp) and decoded in this process, one at a time. A photo counts
 * as read when its label's URL is among the texts found. Prints a Markdown table:
 * photos read, and milliseconds per photo (scaling + decoding; mean and worst).
 *   npx tsx scripts/bench/photo-decode.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { DECODERS } from '../../src/verify/photos/photo-decoders.js';
import { pixelsAt, SERVER_PLAN, type DecodeTry } from '../../src/verify/photos/decode-plan.js';

const DIR = path.resolve('test/fixtures/label-photos');
const { photos } = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { photos: Array<{ file: string; url: string }> };
const images = photos.map((p) => ({ ...p, bytes: fs.readFileSync(path.join(DIR, p.file)) }));
const MAX_PIXELS = 24_000_000;

const PLANS: Record<string, readonly DecodeTry[]> = {
  'jsQR, as taken': [{ decoder: 'jsqr', maxSide: null }],
  'jsQR, ≤ 1024 px': [{ decoder: 'jsqr', maxSide: 1024 }],
  'jsQR, ≤ 1024 then ≤ 640': [{ decoder: 'jsqr', maxSide: 1024 }, { decoder: 'jsqr', maxSide: 640 }],
  'zxing-wasm, as taken': [{ decoder: 'zxing', maxSide: null }],
  'zxing-wasm, ≤ 2048 px': [{ decoder: 'zxing', maxSide: 2048 }],
  'zxing-wasm, ≤ 1024 px': [{ decoder: 'zxing', maxSide: 1024 }],
  'zxing-wasm ≤ 2048, then jsQR ≤ 1024, then jsQR ≤ 640': [{ decoder: 'zxing', maxSide: 2048 }, { decoder: 'jsqr', maxSide: 1024 }, { decoder: 'jsqr', maxSide: 640 }],
  'jsQR ≤ 1024, then zxing-wasm ≤ 2048': [{ decoder: 'jsqr', maxSide: 1024 }, { decoder: 'zxing', maxSide: 2048 }],
  'zxing-wasm ≤ 1024, then ≤ 2560 (the server)': SERVER_PLAN,
};

// Warm both decoders (zxing compiles its WebAssembly on first use).
const warm = await pixelsAt(images[0]!.bytes, 640, MAX_PIXELS);
DECODERS.jsqr(warm);
await DECODERS.zxing(warm);

console.log(`${images.length} photos (${(images.reduce((n, i) => n + i.bytes.length, 0) / 1e6).toFixed(2)} MB), ${process.version}\n`);
console.log('| decoder | read | mean ms / photo | worst ms |');
console.log('| --- | --- | --- | --- |');
const perPhoto: Record<string, boolean[]> = {};
for (const [name, plan] of Object.entries(PLANS)) {
  let read = 0;
  let worst = 0;
  let total = 0;
  perPhoto[name] = [];
  for (const image of images) {
    const t = performance.now();
    let found = false;
    for (const step of plan) {
      const texts = await DECODERS[step.decoder](await pixelsAt(image.bytes, step.maxSide, MAX_PIXELS));
      if (texts.length > 0) {
        found = texts.includes(image.url);
        break;
      }
    }
    const ms = performance.now() - t;
    total += ms;
    worst = Math.max(worst, ms);
    if (found) read++;
    perPhoto[name]!.push(found);
  }
  console.log(`| ${name} | ${read} / ${images.length} (${Math.round((100 * read) / images.length)} %) | ${(total / images.length).toFixed(0)} | ${worst.toFixed(0)} |`);
}
const names = Object.keys(PLANS);
const either = images.filter((_, i) => names.some((n) => perPhoto[n]![i])).length;
console.log(`\nRead by at least one row: ${either} / ${images.length}. Unread by every row: ${images.filter((_, i) => !names.some((n) => perPhoto[n]![i])).map((i) => i.file).join(', ') || 'none'}.`);
