/**
 * Builds the label photo set test/fixtures/label-photos/ (JPEGs and manifest.json): the
 * service's own A4 sheet PDF (src/labels/print/label-sheet.ts) of 24 labels signed with
 * the test-only key of docs/label-format.md §5, rasterised at 300 dpi by poppler
 * (pdftoppm, as a print would be seen), each label cut out and photographed in
 * software: put on a coloured package, rotated, perspective-warped, blurred, under
 * glare, partly covered by a finger, noised, dimmed, scaled to a phone's size and
 * JPEG-compressed, in combinations drawn from a seeded generator, so the set is the
 * same on every run. The manifest names each photo's label URL and what was done to it.
 *   npx tsx scripts/make-label-photos.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import sharp, { type OutputInfo, type OverlayOptions } from 'sharp';
import { buildLabelUrl, canonicalLabelString, type LabelFields } from '../src/labels/format/label-url.js';
import { shortKid, signCanonical, toSigningKey } from '../src/labels/signing/key-crypto.js';
import { LABELS_PER_PAGE, sheetLayout } from '../src/labels/print/label-layout.js';
import { writeLabelSheet, type SheetLabel } from '../src/labels/print/label-sheet.js';

const OUT = path.resolve('test/fixtures/label-photos');
const DPI = 300;
const PX = DPI / 72;
const PHOTOS = 64;

const key = toSigningKey({ kty: 'EC', crv: 'P-256', x: 'PYWVE18QMBjn9Vf48eoZfbbTsVri1tqGuxAniHA-1zY', y: 'EFQsT08EdSWGGpCvobSQlGypPs8RcRmyW91CSZeF7NY', d: 'pFPL1Evs-wN7JhsgBkpCowkLXD75P6ZPJMW951TbJ1c' });

/** mulberry32: a small seeded generator, so the set is reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261202);
const between = (lo: number, hi: number) => lo + random() * (hi - lo);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const SERIAL_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
const serial = () => Array.from({ length: 16 }, () => pick([...SERIAL_ALPHABET])).join('');

function labels(): SheetLabel[] {
  return Array.from({ length: LABELS_PER_PAGE }, (_, i) => {
    const f: LabelFields = { product: { kind: 'gtin', gtin: '08936045120019' }, lot: 'MO-2026-11A', serial: serial(), stars: 3 + (i % 3), validUntil: '290614', kid: shortKid(key.kid) };
    return { serial: f.serial, url: buildLabelUrl('https://trace.example.vn', { ...f, sig: signCanonical(key, canonicalLabelString(f)) }), stars: f.stars, validUntil: f.validUntil };
  });
}

async function sheetPng(list: SheetLabel[], dir: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  async function* items() {
    yield* list;
  }
  await writeLabelSheet(out, { title: 'label photos', lang: 'vi-en', productName: { vi: 'Mật ong rừng Ba Vì', en: 'Ba Vi wild honey' }, producerName: 'HTX Nông nghiệp Ba Vì', lot: 'MO-2026-11A' }, items());
  const pdf = path.join(dir, 'sheet.pdf');
  fs.writeFileSync(pdf, Buffer.concat(chunks));
  execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-png', '-singlefile', pdf, path.join(dir, 'sheet')]);
  return path.join(dir, 'sheet.png');
}

/** The 3 × 3 matrix taking the unit square's corners to `to` (a projective warp), for inverse mapping. */
function homography(from: number[][], to: number[][]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x!, y!, 1, 0, 0, 0, -u! * x!, -u! * y!]);
    b.push(u!);
    a.push([0, 0, 0, x!, y!, 1, -v! * x!, -v! * y!]);
    b.push(v!);
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 8; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  return [...b.map((v, i) => v / a[i]![i]!), 1];
}

/** The image seen at an angle: each output pixel sampled from where the warp puts it (bilinear). */
function perspective(src: Buffer, w: number, h: number, strength: number): Buffer<ArrayBuffer> {
  const j = () => between(0, strength) * Math.min(w, h);
  const corners = [[j(), j()], [w - j(), j()], [w - j(), h - j()], [j(), h - j()]];
  // Inverse map: output corners (the full frame) → the source corners we pulled in.
  const m = homography([[0, 0], [w, 0], [w, h], [0, h]], corners);
  const out = Buffer.alloc(w * h * 3, 0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = m[6]! * x + m[7]! * y + m[8]!;
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / d;
      const sy = (m[3]! * x + m[4]! * y + m[5]!) / d;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      for (let ch = 0; ch < 3; ch++) {
        const p = (yy: number, xx: number) => src[(yy * w + xx) * 3 + ch]!;
        out[(y * w + x) * 3 + ch] = p(y0, x0) * (1 - fx) * (1 - fy) + p(y0, x0 + 1) * fx * (1 - fy) + p(y0 + 1, x0) * (1 - fx) * fy + p(y0 + 1, x0 + 1) * fx * fy;
      }
    }
  }
  return out;
}

function addNoise(px: Buffer, sigma: number): void {
  for (let i = 0; i < px.length; i++) {
    // Box–Muller.
    const n = Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
    px[i] = Math.max(0, Math.min(255, px[i]! + n * sigma));
  }
}

type Recipe = {
  scene: number; // label width as a share of the photo's width
  angle: number;
  tilt: number;
  blur: number;
  glare: number;
  finger: number;
  noise: number;
  light: number;
  side: number;
  quality: number;
};

function recipe(i: number): Recipe {
  const hard = i % 4 === 3; // every fourth photo piles distortions up
  return {
    scene: between(hard ? 0.25 : 0.35, 0.8),
    angle: random() < 0.7 ? between(-40, 40) + (random() < 0.2 ? 90 : 0) : 0,
    tilt: random() < 0.6 ? between(0.03, hard ? 0.2 : 0.12) : 0,
    blur: random() < 0.5 ? between(0.6, hard ? 3.5 : 2) : 0,
    glare: random() < 0.35 ? between(0.5, hard ? 0.95 : 0.8) : 0,
    finger: random() < 0.3 ? between(0.08, hard ? 0.22 : 0.15) : 0,
    noise: random() < 0.5 ? between(3, hard ? 20 : 10) : 0,
    light: random() < 0.4 ? between(hard ? 0.35 : 0.5, 1.2) : 1,
    side: pick([640, 800, 960, 1024, 1280, 1600, 2048, 2560]),
    quality: Math.round(between(hard ? 20 : 40, 80)),
  };
}

async function photo(labelPng: Buffer, labelW: number, labelH: number, r: Recipe): Promise<Buffer> {
  const sceneW = Math.round(labelW / r.scene);
  const sceneH = Math.round(sceneW * 0.75);
  const bg = { r: Math.round(between(60, 230)), g: Math.round(between(60, 220)), b: Math.round(between(40, 200)) };
  const tint = { r: 255, g: Math.round(between(235, 255)), b: Math.round(between(210, 250)) }; // warm shop light on white paper
  const label = await sharp(labelPng).toColourspace('srgb').tint(tint).rotate(r.angle, { background: bg }).png().toBuffer({ resolveWithObject: true });
  const lw = Math.min(label.info.width, sceneW);
  const lh = Math.min(label.info.height, sceneH);
  const left = Math.round(between(0, Math.max(0, sceneW - lw)));
  const top = Math.round(between(0, Math.max(0, sceneH - lh)));
  const overlays: OverlayOptions[] = [{ input: await sharp(label.data).resize(lw, lh, { fit: 'inside' }).toBuffer(), left, top }];
  if (r.glare > 0) {
    const gx = left + lw * between(0.15, 0.5);
    const gy = top + lh * between(0.2, 0.8);
    const rad = lw * between(0.12, 0.3);
    overlays.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${sceneW}" height="${sceneH}"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="${r.glare}"/><stop offset="0.6" stop-color="#fff" stop-opacity="${r.glare * 0.6}"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${gx}" cy="${gy}" rx="${rad * 1.6}" ry="${rad}" fill="url(#g)"/></svg>`), left: 0, top: 0 });
  }
  if (r.finger > 0) {
    // A fingertip over the QR code's edge: the code is the left half of the label.
    const fx = left + lw * between(0.0, 0.45);
    const fy = top + (random() < 0.5 ? 0 : lh);
    const rad = lw * r.finger;
    overlays.push({ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${sceneW}" height="${sceneH}"><ellipse cx="${fx}" cy="${fy}" rx="${rad}" ry="${rad * 1.5}" fill="rgb(196,140,112)"/></svg>`), left: 0, top: 0 });
  }
  // Scaled to the phone's frame first: the warp and the noise then work on the photo's own pixels.
  const scene = await sharp({ create: { width: sceneW, height: sceneH, channels: 3, background: bg } }).composite(overlays).png({ compressionLevel: 1 }).toBuffer();
  let { data, info }: { data: Buffer; info: OutputInfo } = await sharp(scene)
    .resize({ width: r.side })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (r.tilt > 0) data = perspective(data, info.width, info.height, r.tilt);
  let img = sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } });
  // Blur in the photo's pixels, as a lens blurs: the same sigma on a small photo blurs the code more.
  if (r.blur > 0) img = img.blur(Math.max(0.3, r.blur * Math.min(1, r.side / 1600)));
  if (r.light !== 1) img = img.linear(r.light, r.light < 1 ? 10 : -10);
  ({ data, info } = await img.raw().toBuffer({ resolveWithObject: true }));
  if (r.noise > 0) addNoise(data, r.noise);
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: r.quality, mozjpeg: true }).toBuffer();
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'label-photos-'));
try {
  const list = labels();
  const sheet = await sheetPng(list, dir);
  const layout = sheetLayout();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const manifest: Array<{ file: string; url: string } & Recipe> = [];
  for (let i = 0; i < PHOTOS; i++) {
    const slot = i % LABELS_PER_PAGE;
    const o = layout.origin(slot);
    const w = Math.round(layout.label.width * PX);
    const h = Math.round(layout.label.height * PX);
    const cut = await sharp(sheet).extract({ left: Math.round(o.x * PX), top: Math.round(o.y * PX), width: w, height: h }).extend({ top: 30, bottom: 30, left: 30, right: 30, background: '#ffffff' }).png().toBuffer();
    const r = recipe(i);
    const file = `photo-${String(i + 1).padStart(2, '0')}.jpg`;
    fs.writeFileSync(path.join(OUT, file), await photo(cut, w + 60, h + 60, r));
    manifest.push({ file, url: list[slot]!.url, ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 100) / 100])) as Recipe });
  }
  fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify({ about: 'Generated by scripts/make-label-photos.ts; each photo holds one label, whose URL is given.', photos: manifest }, null, 1) + '\n');
  const bytes = manifest.reduce((n, m) => n + fs.statSync(path.join(OUT, m.file)).size, 0);
  console.log(`${manifest.length} photos, ${(bytes / 1e6).toFixed(2)} MB in ${path.relative(process.cwd(), OUT)}/`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
