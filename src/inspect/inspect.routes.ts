import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Response } from 'express';
import sharp from 'sharp';
import { notFound } from '../errors/app-error.js';
import { pickLang } from '../http/language.js';
import { translator, type Lang } from '../i18n.js';
import { escapeHtml } from '../templates.js';
import { allow, openRoute } from '../policy/principal-of-request.js';
import { loginInsteadOf401, showScreen, type AccountWeb } from '../accounts/login.routes.js';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from '../inspections/inspection-findings.js';
import { CLIENT_KEYS, inspectMessages } from './inspect.messages.js';
import { inspectorCheck, type InspectorCheck } from './inspect-check.routes.js';
import type { Config } from '../config.js';
import { formatDay, formatInstant } from '../display-dates.js';
import type { LabelVerifier } from '../verify/verify.service.js';

/**
 * The market inspector's scan page, GET /inspect, and the files that make it an
 * installable app that works offline, under GET /inspect/app/:file:
 *
 * - the web app manifest and its icons;
 * - the service worker (public/inspect/sw.js), served from here with
 *   `Service-Worker-Allowed: /inspect` so that its scope is the page itself;
 * - the frame decoder (public/inspect/scan-worker.js, a Web Worker) and the two QR
 *   readers it loads: jsQR's browser build and zxing-wasm's (C++ ZXing compiled to
 *   WebAssembly), straight from their packages, so nothing is copied at build time.
 *
 * Only the decoder worker's answer carries `'wasm-unsafe-eval'` in script-src: a
 * browser compiles WebAssembly only where the policy allows it, and a dedicated
 * worker runs under the policy of its own script's answer. The page and every other
 * file keep the site's policy, so no page can compile WebAssembly.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const publicInspect = path.join(root, 'public', 'inspect');
const require = createRequire(import.meta.url);
// The package's exports name its WebAssembly file; its browser build (dist/iife) lies beside it.
const zxingDist = path.resolve(path.dirname(require.resolve('zxing-wasm/reader/zxing_reader.wasm')), '..');

/** The worker's policy: the site's own, plus WebAssembly compilation (zxing-wasm). */
const WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";

type AppFile = { file: string; type: string; headers?: Record<string, string> };
const APP_FILES: Readonly<Record<string, AppFile>> = {
  'sw.js': { file: path.join(publicInspect, 'sw.js'), type: 'text/javascript; charset=utf-8', headers: { 'Service-Worker-Allowed': '/inspect' } },
  'scan-worker.js': { file: path.join(publicInspect, 'scan-worker.js'), type: 'text/javascript; charset=utf-8', headers: { 'Content-Security-Policy': WORKER_CSP } },
  'jsqr.js': { file: require.resolve('jsqr'), type: 'text/javascript; charset=utf-8' },
  'zxing-reader.js': { file: path.join(zxingDist, 'iife', 'reader', 'index.js'), type: 'text/javascript; charset=utf-8' },
  'zxing_reader.wasm': { file: path.join(zxingDist, 'reader', 'zxing_reader.wasm'), type: 'application/wasm' },
  'icon.svg': { file: path.join(publicInspect, 'icon.svg'), type: 'image/svg+xml' },
};
const ICON_SIZES = [192, 512] as const;

const translators = { vi: translator(inspectMessages, 'vi'), en: translator(inspectMessages, 'en') };

/** The manifest in the page's language (the page links the one of its language). */
function manifest(lang: Lang) {
  const t = translators[lang];
  return {
    name: t('title'),
    short_name: 'OCOP',
    lang,
    start_url: `/inspect?lang=${lang}`,
    scope: '/inspect',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#166534',
    icons: [
      ...ICON_SIZES.map((size) => ({ src: `/inspect/app/icon-${size}.png`, sizes: `${size}x${size}`, type: 'image/png' })),
      { src: '/inspect/app/icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  };
}

const icons = new Map<number, Promise<Buffer>>();
function iconPng(size: number): Promise<Buffer> {
  let png = icons.get(size);
  if (!png) icons.set(size, (png = sharp(APP_FILES['icon.svg']!.file).resize(size, size).png().toBuffer()));
  return png;
}

export function inspectPagesRouter(web: AccountWeb, check: { config: Config; verifier: LabelVerifier }): Router {
  const router = Router();

  router.get('/inspect', allow('inspect.scan'), async (req, res) => {
    // Without JavaScript the page's link form comes here: the page shows the inspector's check
    // (not the label's own page, which would count the check as a shopper's scan).
    const typed = typeof req.query.label === 'string' ? req.query.label.trim().slice(0, 2000) : '';
    const lang = pickLang(req);
    const t = translators[lang];
    const checked = typed ? await inspectorCheck(check, typed, lang) : null;
    const texts = Object.fromEntries(CLIENT_KEYS.map((k) => [k, t(k)]));
    // The site's policy, plus its own web app manifest (default-src 'none' would refuse it): on this page only.
    const csp = res.getHeader('Content-Security-Policy');
    if (typeof csp === 'string') res.setHeader('Content-Security-Policy', `${csp};manifest-src 'self'`);
    showScreen(web, req, res, 'inspect/scan', {
      title: t('title'),
      t,
      texts: JSON.stringify(texts),
      typed,
      badLink: checked?.ok === false,
      checked: checked?.ok ? checkedFacts(checked.json, lang) : null,
      // What PUT /api/v1/inspections/:id/photos takes: the page keeps each record's photos within it.
      maxPhotos: MAX_PHOTOS,
      maxPhotoBytes: MAX_PHOTO_BYTES,
      // Installable: the manifest of the page's language (the layout's head takes trusted markup here).
      meta: `<meta name="description" content="${escapeHtml(t('intro'))}">\n<link rel="manifest" href="/inspect/app/manifest-${lang}.webmanifest">\n<meta name="theme-color" content="#166534">\n`,
      scripts: ['/static/inspect/start.js'],
    }, checked?.ok === false ? 400 : 200);
  });

  router.get('/inspect/app/:file', openRoute('site.read', async (req, res) => {
    const name = String(req.params.file);
    const lang = /^manifest-(vi|en)\.webmanifest$/.exec(name)?.[1] as Lang | undefined;
    if (lang) {
      res.set('Cache-Control', 'public, max-age=3600');
      res.type('application/manifest+json').send(JSON.stringify(manifest(lang)));
      return;
    }
    const size = ICON_SIZES.find((s) => name === `icon-${s}.png`);
    if (size) {
      res.set('Cache-Control', 'public, max-age=86400');
      res.type('image/png').send(await iconPng(size));
      return;
    }
    const file = Object.hasOwn(APP_FILES, name) ? APP_FILES[name] : undefined;
    if (!file) throw notFound('route/not_found', `The scan page has no file ${name}.`);
    sendAppFile(res, file);
  }));

  router.use(loginInsteadOf401(web));
  return router;
}

function sendAppFile(res: Response, file: AppFile): void {
  // The service worker checks for a new version itself on every visit; the others are
  // kept by it for offline use, so an hour of HTTP caching is enough.
  res.set({ 'Cache-Control': file.file.endsWith('sw.js') ? 'no-cache' : 'public, max-age=3600', ...file.headers });
  res.sendFile(file.file, { headers: { 'Content-Type': file.type } });
}

const VERDICT_CLASS: Record<string, string> = { genuine: 'verdict-ok', expired: 'verdict-warn', forged: 'verdict-bad', revoked: 'verdict-bad' };

/** What the scan page shows of a check without JavaScript: what public/inspect/app.js shows of one with it. */
function checkedFacts(json: Extract<InspectorCheck, { ok: true }>['json'], lang: Lang) {
  const t = translators[lang];
  const day = (iso: string | null | undefined) => (iso ? formatDay(new Date(`${iso}T00:00:00Z`), lang) : '');
  const revokedAt = json.verdict === 'revoked' ? (json.why?.at ?? json.label.statusChangedAt ?? json.run?.revokedAt ?? null) : null;
  const stars = json.certification?.stars ?? null;
  return {
    tone: VERDICT_CLASS[json.verdict] ?? 'verdict-none',
    verdict: t(`verdict.${json.verdict}` as Parameters<typeof t>[0]),
    detail: [revokedAt ? t('revokedAsOf', { time: formatInstant(new Date(revokedAt), lang) }) : '', json.message].filter(Boolean).join(' '),
    checkedAt: t('checkedOnline', { time: formatInstant(new Date(json.checkedAt), lang) }),
    stars: stars ? `${'★'.repeat(stars)} ${stars}` : '',
    printedStars: `${'★'.repeat(json.label.printedStars)} ${json.label.printedStars}`,
    starsAbove: stars !== null && json.label.printedStars > stars,
    validUntil: day(json.certification?.validUntil ?? json.label.printedValidUntil),
    product: json.product ? (json.product.name[lang] ?? json.product.name.vi ?? '') : '',
    producer: json.producer?.name ?? '',
    gtin: json.product?.gtin ?? '—',
    lot: json.label.lot,
    serial: json.label.serial,
  };
}
