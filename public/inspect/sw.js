// The scan page's service worker (scope /inspect; served by src/inspect/inspect.routes.ts
// with Service-Worker-Allowed). It keeps what the page needs without network:
//
// - the page and its files: the page network first (a fresh CSRF token and language),
//   the files from the cache, refreshed in the background;
// - the public keys (/.well-known/jwks.json), network first;
// - the signed revocation list: fetched whole once, then only as deltas since the
//   list held (docs/revocation-list.md §4). Each answer's signature is checked against
//   the keys before it is applied; the page gets the list held, marked
//   `X-Ocop-Revocations: merged` once a delta was applied to it (a merged list has no
//   signature of its own).

import { applyDelta, verifyRevocationList } from '/static/revocation-check.js';

const SHELL_CACHE = 'ocop-inspect-shell-v2';
const DATA_CACHE = 'ocop-inspect-data-v1';
const PAGE = '/inspect';
const JWKS = '/.well-known/jwks.json';
const LIST = '/.well-known/ocop-revocations.json';
const SHELL = [
  '/static/site.css',
  '/static/inspect/start.js',
  '/static/inspect/app.js',
  '/static/inspect/queue.js',
  '/static/inspect/page.js',
  '/static/inspect/record.js',
  '/static/inspect/photos.js',
  '/static/label-check.js',
  '/static/revocation-check.js',
  '/static/verify-offline.js',
  '/inspect/app/scan-worker.js',
  '/inspect/app/jsqr.js',
  '/inspect/app/zxing-reader.js',
  '/inspect/app/zxing_reader.wasm',
  '/inspect/app/manifest-vi.webmanifest',
  '/inspect/app/manifest-en.webmanifest',
  '/inspect/app/icon-192.png',
  '/favicon.ico',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      // One file failing to come must not leave the others out.
      await Promise.all([PAGE, ...SHELL].map((path) => shell.add(path).catch(() => undefined)));
      await revocations().catch(() => undefined);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (![SHELL_CACHE, DATA_CACHE].includes(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return; // writes go to the network, never through a cache
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === LIST && !url.search) event.respondWith(revocations());
  else if (url.pathname === JWKS) event.respondWith(networkFirst(DATA_CACHE, request, JWKS));
  else if (url.pathname === PAGE && request.mode === 'navigate') event.respondWith(networkFirst(SHELL_CACHE, request, PAGE));
  else if (SHELL.includes(url.pathname)) event.respondWith(cacheFirst(request, url.pathname));
});

async function networkFirst(cacheName, request, key) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    // Only the page itself: a login form (401) or an error is not what to show offline.
    if (res.status === 200) await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw err;
  }
}

async function cacheFirst(request, key) {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(key);
  const fresh = fetch(request)
    .then(async (res) => {
      if (res.status === 200) await cache.put(key, res.clone());
      return res;
    })
    .catch(() => undefined);
  if (kept) return kept;
  return (await fresh) ?? Response.error();
}

const listResponse = (list, source) =>
  new Response(JSON.stringify(list), { headers: { 'Content-Type': 'application/json', 'X-Ocop-Revocations': source } });

async function keysNow(cache) {
  try {
    const res = await fetch(JWKS, { cache: 'no-store' });
    if (res.ok) {
      await cache.put(JWKS, res.clone());
      return res.json();
    }
  } catch {
    // Offline: the keys kept.
  }
  return (await cache.match(JWKS))?.json() ?? null;
}

async function fetchVerified(path, jwks) {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`revocation list answered ${res.status}`);
  const answer = await res.json();
  if (answer.format !== 'ocop-revocations/1' || !(await verifyRevocationList(answer, jwks))) throw new Error('revocation list refused: bad signature');
  return answer;
}

/** The list held, brought up to date first when the network answers. */
async function revocations() {
  const cache = await caches.open(DATA_CACHE);
  const keptRes = await cache.match(LIST);
  const kept = keptRes ? await keptRes.json() : null;
  const keptSource = keptRes?.headers.get('X-Ocop-Revocations') ?? 'merged';
  try {
    const jwks = await keysNow(cache);
    let list;
    let source = 'signed';
    if (kept) {
      const answer = await fetchVerified(`${LIST}?since=${encodeURIComponent(kept.asOf)}`, jwks);
      if (answer.kind === 'full') list = answer;
      else {
        try {
          list = applyDelta(kept, answer);
          source = 'merged';
        } catch {
          // A gap between the list kept and the delta: start again from the full list.
          list = await fetchVerified(LIST, jwks);
        }
      }
    } else {
      list = await fetchVerified(LIST, jwks);
    }
    await cache.put(LIST, listResponse(list, source));
    return listResponse(list, source);
  } catch (err) {
    if (kept) return listResponse(kept, keptSource);
    return new Response(JSON.stringify({ error: { code: 'offline', message: String(err) } }), { status: 503, headers: { 'Content-Type': 'application/json' } });
  }
}
