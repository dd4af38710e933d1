// The market inspector's scan page (views/inspect/scan.eta, docs/inspect-app.md).
// Reads labels from the camera (frames decoded in a Web Worker, scan-worker.js) or a
// photo, shows the verdict (online: the inspectors' check, the label URL's JSON answer
// not counted as a scan; offline: the saved public keys and signed revocation list,
// revocation-check.js), and records findings (record.js) in a queue kept on the device
// (queue.js) that is sent when the device is online.

import { parseLabelLink } from '/static/label-check.js';
import { decideLabel, verifyRevocationList } from '/static/revocation-check.js';
import { formatInstant } from '/static/verify-offline.js';
import { $, lang, root, say } from '/static/inspect/page.js';
import { openRecord, recording, setUpRecording, showQueue, sync } from '/static/inspect/record.js';

const JWKS_URL = '/.well-known/jwks.json';
const LIST_URL = '/.well-known/ocop-revocations.json';
const REFRESH_MS = 5 * 60_000;

// ---- What the device knows offline: the public keys and the revocation list ----

const offline = { jwks: null, list: null, loading: null };

/** Reads the keys and the list (through the service worker when it runs); a verdict on the device waits for it. */
function refreshOfflineData() {
  offline.loading = loadOfflineData();
  return offline.loading;
}

async function loadOfflineData() {
  try {
    const res = await fetch(JWKS_URL, { headers: { Accept: 'application/json' } });
    if (res.ok) offline.jwks = await res.json();
  } catch {
    // Offline and not yet kept by the service worker: the keys of the last answer stay.
  }
  try {
    const res = await fetch(LIST_URL, { headers: { Accept: 'application/json' } });
    if (res.ok) {
      const list = await res.json();
      // A list straight from the service is signed; one the service worker brought up to
      // date with deltas was checked by it (each answer's signature) before it kept it.
      const trusted = list.signature ? await verifyRevocationList(list, offline.jwks) : res.headers.get('X-Ocop-Revocations') === 'merged';
      if (trusted && list.format === 'ocop-revocations/1' && (!offline.list || list.asOf >= offline.list.asOf)) offline.list = list;
    }
  } catch {
    // Same: the list held stays.
  }
  showListTime();
}

/** "Revocations as of 14:05 today", in Vietnam time like every date of the site. */
function listTimeText() {
  if (!offline.list) return say('listNone');
  const asOf = new Date(offline.list.asOf);
  const day = (d) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  if (day(asOf) === day(new Date())) {
    const clock = formatInstant(asOf, 'vi').slice(0, 5);
    return say('listAsOfToday', { time: clock });
  }
  return say('listAsOf', { time: formatInstant(asOf, lang) });
}

function showListTime() {
  $('inspect-list').textContent = listTimeText();
}

function showNetwork() {
  $('inspect-network').textContent = navigator.onLine ? say('online') : say('offline');
  $('inspect-network').dataset.online = String(navigator.onLine);
}

// ---- Verdicts ----

const VERDICT_CLASS = { genuine: 'verdict-ok', expired: 'verdict-warn', forged: 'verdict-bad', revoked: 'verdict-bad', unknown: 'verdict-none', not_label: 'verdict-none' };
const printedDate = (yymmdd) => `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
const showDate = (iso) => (iso ? (lang === 'vi' ? iso.split('-').reverse().join('/') : iso) : '');

/** What the label link itself says (signed at printing): enough to compare with the package offline. */
function fieldsOfLink(href) {
  const label = parseLabelLink(href, location.href);
  if (!label) return null;
  const [, kind, id, lot, serial, stars, validUntil] = /^\/(01|p)\/([^/]+)\/10\/([^/]+)\/21\/([^/?]+)\?s=(\d)&v=(\d{6})&/.exec(label.canonical);
  return { kind, gtin: kind === '01' ? id : null, productCode: kind === 'p' ? id : null, lot, serial, stars: Number(stars), validUntil: printedDate(validUntil), path: label.canonical };
}

function fromServer(json, href, fields) {
  return {
    href,
    online: true,
    verdict: json.verdict,
    at: json.verdict === 'revoked' ? (json.why?.at ?? json.label?.statusChangedAt ?? json.run?.revokedAt ?? null) : null,
    message: json.message ?? '',
    checkedAt: json.checkedAt,
    asOf: json.checkedAt,
    stars: json.certification?.stars ?? json.label?.printedStars ?? fields?.stars ?? null,
    validUntil: json.certification?.validUntil ?? json.label?.printedValidUntil ?? fields?.validUntil ?? null,
    product: json.product ? (json.product.name?.[lang] ?? json.product.name?.vi ?? '') : '',
    producer: json.producer?.name ?? '',
    productId: json.product?.id ?? fields?.productCode ?? null,
    gtin: json.product?.gtin ?? fields?.gtin ?? null,
    lot: json.label?.lot ?? fields?.lot ?? '',
    serial: json.label?.serial ?? fields?.serial ?? '',
  };
}

async function fromDevice(href, fields) {
  // A label read while the keys and list are still being read is decided with them, not without.
  await offline.loading;
  const d = await decideLabel(href, { jwks: offline.jwks, list: offline.list, base: location.href });
  return {
    href,
    online: false,
    verdict: d.verdict,
    at: d.at,
    message: '',
    checkedAt: new Date().toISOString(),
    asOf: d.asOf,
    stars: fields?.stars ?? null,
    validUntil: fields?.validUntil ?? null,
    product: null,
    producer: null,
    productId: fields?.productCode ?? null,
    gtin: fields?.gtin ?? null,
    lot: fields?.lot ?? '',
    serial: fields?.serial ?? '',
  };
}

/** The verdict of a label link: the server's when it answers, else this device's. */
async function verdictOf(href) {
  const fields = fieldsOfLink(href);
  if (!fields) return { href, verdict: 'not_label', online: navigator.onLine };
  if (navigator.onLine) {
    try {
      // The inspectors' check: the label URL's own answer, not counted as a shopper's scan.
      const url = new URL(href, location.href);
      const ask = `/api/v1/inspect/check?lang=${lang}&label=${encodeURIComponent(url.pathname + url.search)}`;
      const res = await fetch(ask, { headers: { Accept: 'application/json' }, cache: 'no-store', signal: AbortSignal.timeout(8000) });
      if (res.ok) return fromServer(await res.json(), href, fields);
    } catch {
      // No answer (the network went, or is too slow): decide here.
    }
  }
  return fromDevice(href, fields);
}

let current = null;

function showVerdict(v) {
  current = v;
  const section = $('inspect-result');
  section.className = `card inspect-result ${VERDICT_CLASS[v.verdict] ?? 'verdict-none'}`;
  section.dataset.verdict = v.verdict;
  section.dataset.source = v.online ? 'server' : 'device';
  $('inspect-verdict').textContent = say(`verdict.${v.verdict}`);
  const detail = [];
  if (v.verdict === 'revoked' && v.at) detail.push(say('revokedAsOf', { time: formatInstant(new Date(v.at), lang) }));
  if (v.message) detail.push(v.message);
  $('inspect-verdict-detail').textContent = detail.join(' ');
  $('inspect-checked').textContent = v.verdict === 'not_label' ? '' : v.online ? say('checkedOnline', { time: formatInstant(new Date(v.checkedAt), lang) }) : say('checkedOffline', { asOf: listTimeText() });
  const unknown = v.online ? '' : say('unknownOffline');
  $('inspect-stars').textContent = v.stars ? `${'★'.repeat(v.stars)} ${v.stars}` : '';
  $('inspect-valid').textContent = showDate(v.validUntil);
  $('inspect-product').textContent = v.product ?? unknown;
  $('inspect-producer').textContent = v.producer ?? unknown;
  $('inspect-gtin').textContent = v.gtin ?? '—';
  $('inspect-lot').textContent = v.lot ?? '';
  $('inspect-serial').textContent = v.serial ?? '';
  $('inspect-printed').value = '';
  showStarsWarning();
  $('inspect-record-open').hidden = v.verdict === 'not_label';
  section.hidden = false;
}

function showStarsWarning() {
  const printed = Number($('inspect-printed').value);
  const above = current?.stars && printed > current.stars;
  $('inspect-stars-warning').textContent = above ? say('starsAbove') : '';
}

let checking = null;
let asked = 0;
async function checkLabel(href) {
  if (checking === href) return;
  checking = href;
  // Labels read one after another: only the last one asked is shown, whichever answer comes first.
  const mine = ++asked;
  try {
    const v = await verdictOf(href);
    if (mine === asked) showVerdict(v);
  } finally {
    if (checking === href) checking = null;
  }
}

// ---- Decoding: the worker, the camera, photos ----

const worker = new Worker('/inspect/app/scan-worker.js');
let nextId = 0;
const waiting = new Map();
worker.onmessage = ({ data }) => {
  root.dataset.zxing = data.zxing;
  waiting.get(data.id)?.(data);
  waiting.delete(data.id);
};
worker.onerror = (e) => console.error('scan worker', e.message);

function decodePixels(image, options) {
  const id = ++nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ id, width: image.width, height: image.height, pixels: image.data.buffer, ...options }, [image.data.buffer]);
  });
}

function pixelsOf(source, width, height, maxSide) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const [w, h] = [Math.round(width * scale), Math.round(height * scale)];
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/** A label out of view this long and read again is checked again (the same package shown twice). */
const SAME_LABEL_MS = 3000;
let lastRead = null;
let lastSeenAt = 0;

function codeRead(text) {
  // A code held in front of the camera is read many times a second: act once per label,
  // then on the next label, or on this one again once it has been out of view.
  const now = Date.now();
  const same = text === lastRead && now - lastSeenAt < SAME_LABEL_MS;
  if (same) {
    lastSeenAt = now;
    return;
  }
  // While a record is being written the result above it stays: the next label waits until it is saved.
  if (recording()) return;
  lastRead = text;
  lastSeenAt = now;
  void checkLabel(text);
}

let stream = null;
async function startCamera() {
  const note = $('inspect-camera-note');
  const button = $('inspect-camera-start');
  button.hidden = true;
  if (!navigator.mediaDevices?.getUserMedia) {
    note.textContent = say('cameraNone');
    return;
  }
  note.textContent = say('cameraStarting');
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } } });
  } catch (err) {
    note.textContent = err?.name === 'NotAllowedError' || err?.name === 'SecurityError' ? say('cameraRefused') : say('cameraNone');
    button.hidden = false;
    return;
  }
  const video = $('inspect-video');
  video.srcObject = stream;
  video.hidden = false;
  try {
    await video.play();
  } catch {
    // Autoplay of a muted stream is allowed; if not, the first frame still comes.
  }
  note.textContent = say('cameraOn');
  scanFrames(video);
}

async function scanFrames(video) {
  while (stream && stream.active) {
    if (video.readyState >= 2 && video.videoWidth) {
      // zxing alone: jsQR read no frame of the test photos that zxing missed, and took up to a second on some (docs/inspect-app.md).
      const found = await decodePixels(pixelsOf(video, video.videoWidth, video.videoHeight, 960), { decoders: ['zxing'] });
      if (found.text) codeRead(found.text);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function readPhoto(file) {
  const note = $('inspect-photo-note');
  note.textContent = say('photoReading');
  let text = null;
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const found = await decodePixels(pixelsOf(bitmap, bitmap.width, bitmap.height, 1600), { decoders: ['zxing'], thorough: true });
    text = found.text;
  } catch {
    // A format the browser cannot draw (HEIC on some phones): the server reads it.
  }
  if (text) {
    note.textContent = '';
    lastRead = text;
    return checkLabel(text);
  }
  if (navigator.onLine) {
    try {
      const res = await fetch('/api/v1/decode', {
        method: 'POST',
        headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json', 'X-CSRF-Token': root.dataset.csrf },
        body: file,
      });
      if (res.ok) {
        const answer = await res.json();
        const code = answer.codes.find((c) => c.label) ?? answer.codes[0];
        if (code) {
          note.textContent = '';
          lastRead = code.text;
          return showVerdict(code.label ? fromServer(code.label, code.text, fieldsOfLink(code.text)) : { href: code.text, verdict: 'not_label', online: true });
        }
      }
    } catch {
      // No network after all: say nothing was read.
    }
  }
  note.textContent = say('photoNothing');
}

// ---- Start ----

async function start() {
  $('inspect-camera').hidden = false;
  $('inspect-photo-block').hidden = false;
  showNetwork();
  showListTime();
  $('inspect-link-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const href = $('inspect-link').value.trim();
    if (href) void checkLabel(href);
  });
  $('inspect-photo').addEventListener('change', (event) => {
    const file = event.target.files?.[0];
    if (file) void readPhoto(file);
  });
  $('inspect-printed').addEventListener('input', showStarsWarning);
  $('inspect-camera-start').addEventListener('click', () => void startCamera());
  $('inspect-record-open').addEventListener('click', () => openRecord(current));
  setUpRecording();
  window.addEventListener('online', () => {
    showNetwork();
    void refreshOfflineData().then(sync);
  });
  window.addEventListener('offline', showNetwork);
  setInterval(() => navigator.onLine && void refreshOfflineData().then(sync), REFRESH_MS);

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/inspect/app/sw.js', { scope: '/inspect', type: 'module' }).catch((err) => console.warn('no offline app', err));
  }
  await showQueue();
  const loading = refreshOfflineData();
  void startCamera();
  await loading;
  root.dataset.ready = 'true';
  void sync();
}

void start();
