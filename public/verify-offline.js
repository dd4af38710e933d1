// Offline label check for inspectors (docs/offline-check.md). On the verification
// page this script saves the service's public keys (JWKS) in localStorage and checks a
// label link's ES256 signature with WebCrypto, so a forged label can be told from a
// genuine one with no network. It checks the signature only: whether a label was
// revoked or its certificate expired needs the online page.

const KEY_STORE = 'ocop-trace.jwks';
const LABEL_PATH = /^\/(01|p)\/([^/]+)\/10\/([^/]+)\/21\/([^/?]+)\/?$/;
const FIELDS = { s: /^[1-5]$/, v: /^\d{6}$/, k: /^[A-Za-z0-9_-]{8}$/, sig: /^[A-Za-z0-9_-]{86}$/ };

/** The signed string of a label link (its path and query up to &sig=), or null if it is not a label link. */
export function parseLabelLink(href, base = location.href) {
  let url;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (!LABEL_PATH.test(url.pathname)) return null;
  const q = {};
  for (const [name, pattern] of Object.entries(FIELDS)) {
    const value = url.searchParams.get(name);
    if (value === null || !pattern.test(value)) return null;
    q[name] = value;
  }
  const path = url.pathname.replace(/\/$/, '');
  return { canonical: `${path}?s=${q.s}&v=${q.v}&k=${q.k}`, kid: q.k, sig: q.sig };
}

function base64urlBytes(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/**
 * Checks a label link against a JWK Set. Resolves to 'valid', 'invalid' (a key we
 * hold says the signature is wrong), 'no_key' (no saved key has that id: forged, or
 * the keys are out of date) or 'not_label'.
 */
export async function verifyLabelLink(href, jwks) {
  const label = parseLabelLink(href);
  if (!label) return 'not_label';
  const jwk = (jwks?.keys ?? []).find((k) => typeof k.kid === 'string' && k.kid.startsWith(label.kid));
  if (!jwk) return 'no_key';
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const ok = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    base64urlBytes(label.sig),
    new TextEncoder().encode(label.canonical),
  );
  return ok ? 'valid' : 'invalid';
}

function savedKeys() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY_STORE) ?? 'null');
    return saved && Array.isArray(saved.jwks?.keys) ? saved : null;
  } catch {
    return null;
  }
}

/** The public keys: fresh from the service when online (and saved), else the saved copy. */
export async function loadKeys(url) {
  try {
    const res = await fetch(url, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
    const jwks = await res.json();
    const saved = { fetchedAt: new Date().toISOString(), jwks };
    localStorage.setItem(KEY_STORE, JSON.stringify(saved));
    return saved;
  } catch {
    return savedKeys();
  }
}

async function start() {
  const section = document.getElementById('offline-check');
  if (!section || !globalThis.crypto?.subtle) return; // WebCrypto needs https (or localhost)
  const form = document.getElementById('offline-form');
  const input = document.getElementById('offline-url');
  const result = document.getElementById('offline-result');
  const keysNote = document.getElementById('offline-keys');
  const text = {
    valid: section.dataset.valid,
    invalid: section.dataset.invalid,
    no_key: section.dataset.noKey,
    not_label: section.dataset.notLabel,
  };
  let keys = await loadKeys(section.dataset.jwks);

  const check = async (href) => {
    // Keys may have been saved since the page loaded (or the network came back).
    keys = keys ?? savedKeys();
    const outcome = await verifyLabelLink(href, keys?.jwks);
    result.textContent = text[outcome];
    result.className = `offline-result ${outcome === 'valid' ? 'valid' : 'invalid'}`;
    result.dataset.outcome = outcome;
    keysNote.textContent = keys ? `${section.dataset.keysFrom} ${new Date(keys.fetchedAt).toLocaleString()}` : '';
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void check(input.value.trim());
  });
  input.value = location.href;
  section.hidden = false;
  await check(input.value);
}

void start();
