// Offline label check for inspectors (docs/offline-check.md). On the verification
// page this script saves the service's public keys (JWKS) in localStorage and checks a
// label link's ES256 signature with WebCrypto, so a forged label can be told from a
// genuine one with no network. It checks the signature only: whether a label was
// revoked or its certificate expired needs the online page. The check itself (parsing
// and WebCrypto, no DOM) is label-check.js.

import { verifyLabelLink } from './label-check.js';

const KEY_STORE = 'ocop-trace.jwks';

// The page's one way of writing an instant (src/display-dates.ts): Vietnam time (UTC+7,
// no daylight saving), "14:05 02/10/2025" in Vietnamese, "2 Oct 2025, 14:05" in English.
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function formatInstant(date, lang) {
  const local = new Date(date.getTime() + 7 * 60 * 60 * 1000);
  const two = (n) => String(n).padStart(2, '0');
  const [y, m, d] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  const clock = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  return lang === 'en' ? `${d} ${MONTHS_EN[m]} ${y}, ${clock}` : `${clock} ${two(d)}/${two(m + 1)}/${y}`;
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
    // This very label under a verdict that is not genuine: the signature is all the device
    // can know, and the page already knows more ("signature valid, but revoked on …").
    const qualified = outcome === section.dataset.hereOutcome && href === location.href && section.dataset.validHere;
    result.textContent = qualified || text[outcome];
    result.className = `offline-result ${qualified ? 'qualified' : outcome === 'valid' ? 'valid' : 'invalid'}`;
    result.dataset.outcome = outcome;
    keysNote.textContent = keys ? `${section.dataset.keysFrom} ${formatInstant(new Date(keys.fetchedAt), section.dataset.lang)}` : '';
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void check(input.value.trim());
  });
  input.value = location.href;
  section.hidden = false;
  await check(input.value);
}

// Only on a page: Node imports this module to check that both sides write dates alike.
if (typeof document !== 'undefined') void start();
