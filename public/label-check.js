// The offline signature check of a label link, as docs/label-format.md §4 describes it:
// no DOM, no storage, no network. It runs in a browser (verify-offline.js wires it to the
// verification page) and in Node 20 or later (globalThis.crypto.subtle, URL, atob), where
// test/integration/verify-online-offline.test.ts runs it against the online verifier.

const LABEL_PATH = /^\/(01|p)\/([^/]+)\/10\/([^/]+)\/21\/([^/]+)\/?$/;
const GTIN14 = /^\d{14}$/;
const PRODUCT_CODE = /^[0-9a-z]{10}$/;
const LOT = /^(?!\.\.?$)[A-Za-z0-9._-]{1,20}$/;
const SERIAL = /^[0-9A-Za-z]{13,20}$/;
const FIELDS = {
  s: /^[1-5]$/,
  v: /^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/,
  k: /^[A-Za-z0-9_-]{8}$/,
  sig: /^[A-Za-z0-9_-]{86}$/,
};

/** GS1 mod-10: from the right, the digits before the check digit weigh 3, 1, 3, … */
function gtinCheckDigitOk(digits) {
  let sum = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += Number(digits[i]) * w;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/**
 * The signed string of a label link (its path, then ?s=…&v=…&k=…) with the key id and
 * the signature, or null if the text is not a label link of this service (§4 step 2).
 * The link is parsed as a browser parses it (WHATWG URL); the path is not
 * percent-decoded, the query is (application/x-www-form-urlencoded).
 */
export function parseLabelLink(href, base = globalThis.location?.href) {
  let url;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  const m = LABEL_PATH.exec(url.pathname);
  if (!m) return null;
  const [, kind, id, lot, serial] = m;
  if (kind === '01' ? !GTIN14.test(id) || !gtinCheckDigitOk(id) : !PRODUCT_CODE.test(id)) return null;
  if (!LOT.test(lot) || !SERIAL.test(serial)) return null;
  const q = {};
  for (const [name, pattern] of Object.entries(FIELDS)) {
    const values = url.searchParams.getAll(name);
    if (values.length !== 1 || !pattern.test(values[0])) return null;
    q[name] = values[0];
  }
  return { canonical: `/${kind}/${id}/10/${lot}/21/${serial}?s=${q.s}&v=${q.v}&k=${q.k}`, kid: q.k, sig: q.sig };
}

/** base64url without padding → bytes (the unused low bits of the last character are dropped). */
function base64urlBytes(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/**
 * Checks a label link against a JWK Set. Resolves to 'valid', 'invalid' (a key we
 * hold says the signature is wrong), 'no_key' (no saved key has that id: forged, or
 * the keys are out of date) or 'not_label'.
 */
export async function verifyLabelLink(href, jwks, base) {
  const label = parseLabelLink(href, base);
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
