// The offline check of a label against the signed revocation list, as
// docs/revocation-list.md describes it: no DOM, no storage, no network. It runs in a
// browser (an inspector's page keeps the list and the JWKS) and in Node 20 or later,
// where test/unit/revocation-list.test.ts and test/integration/revocations.test.ts run
// it against lists the service signed.

import { parseLabelLink, verifyLabelLink } from './label-check.js';

/**
 * The bytes the signature covers: JSON with every object's members sorted by name
 * (UTF-16 code units), no whitespace; strings and integers as JSON.stringify writes
 * them (RFC 8785 for the strings, integers, arrays and objects the list holds).
 */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const names = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${names.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

function base64urlBytes(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/**
 * Whether a list (full or delta) was signed by one of the keys of the JWK Set: the
 * ES256 signature in `signature.value`, by the key whose `kid` is `signature.kid`, over
 * the canonical JSON of the list without its `signature` member.
 */
export async function verifyRevocationList(list, jwks) {
  const sig = list?.signature;
  if (!sig || sig.alg !== 'ES256' || typeof sig.kid !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(sig.value ?? '')) return false;
  const jwk = (jwks?.keys ?? []).find((k) => k.kid === sig.kid);
  if (!jwk) return false;
  const { signature: _signature, ...signed } = list;
  const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, base64urlBytes(sig.value), new TextEncoder().encode(canonicalJson(signed)));
}

const SECTIONS = { keys: 'kid', runs: 'id', voided: 'serial', certifications: 'id' };

/**
 * The list a verifier holds after a delta (or the full list it got instead): every
 * section the union of both by id, the delta's entry winning, sorted by id; `asOf` the
 * delta's. Unsigned: verify each answer before applying it. Throws when the delta
 * starts after the list's `asOf` (entries would be missing: fetch the full list).
 */
export function applyDelta(list, delta) {
  if (delta.kind === 'full') return delta;
  if (Date.parse(delta.since) > Date.parse(list.asOf)) throw new Error('the delta starts after this list: fetch the full list');
  const merged = { format: list.format, kind: 'full', since: null, asOf: delta.asOf, serialPrefix: list.serialPrefix };
  for (const [section, id] of Object.entries(SECTIONS)) {
    const byId = new Map((list[section] ?? []).map((e) => [e[id], e]));
    for (const e of delta[section] ?? []) byId.set(e[id], e);
    merged[section] = [...byId.values()].sort((a, b) => (a[id] < b[id] ? -1 : a[id] > b[id] ? 1 : 0));
  }
  return merged;
}

/** Whether the sorted, concatenated fixed-width prefixes hold this one (binary search, no index built). */
function holdsPrefix(serials, width, prefix) {
  let lo = 0;
  let hi = serials.length / width - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = serials.slice(mid * width, mid * width + width);
    if (at === prefix) return true;
    if (at < prefix) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

const voidedSets = new WeakMap();
function voidedOf(list) {
  let set = voidedSets.get(list);
  if (!set) voidedSets.set(list, (set = new Map((list.voided ?? []).map((v) => [v.serial, v]))));
  return set;
}

/** Today in Vietnam (UTC+7) as YYMMDD, the label's `v` format. */
function vietnamDay(now) {
  const iso = new Date(now.getTime() + 7 * 3_600_000).toISOString();
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/**
 * The offline verdict of a label link, with the JWKS and a verified revocation list:
 * { verdict, reason, at, asOf }. verdict is 'not_label', 'forged' (bad_signature,
 * unknown_key), 'revoked' (key_revoked, label_voided, run_revoked,
 * certification_revoked; `at` says since when), 'expired' (certification_expired) or
 * 'genuine'; asOf is the list's time: nothing revoked after it is known.
 */
export async function decideLabel(href, { jwks, list, now = new Date(), base } = {}) {
  const asOf = list?.asOf ?? null;
  const label = parseLabelLink(href, base);
  if (!label) return { verdict: 'not_label', reason: 'not_label', at: null, asOf };
  const outcome = await verifyLabelLink(href, jwks, base);
  const revokedKey = (list?.keys ?? []).find((k) => k.kid.startsWith(label.kid));
  if (outcome === 'invalid') return { verdict: 'forged', reason: 'bad_signature', at: null, asOf };
  // Revoked keys leave the JWKS: such a label's signature cannot be checked, and it reads revoked either way.
  if (revokedKey) return { verdict: 'revoked', reason: 'key_revoked', at: revokedKey.at, asOf };
  if (outcome !== 'valid') return { verdict: 'forged', reason: 'unknown_key', at: null, asOf };

  const m = /^\/(01|p)\/([^/]+)\/10\/([^/]+)\/21\/([^/?]+)\?s=\d&v=(\d{6})&/.exec(label.canonical);
  const [, kind, id, lot, serial, validUntil] = m;
  const product = `${kind}/${id}`;
  const voided = list ? voidedOf(list).get(serial) : undefined;
  if (voided) return { verdict: 'revoked', reason: 'label_voided', at: voided.at, asOf };
  const width = list?.serialPrefix ?? 8;
  const prefix = serial.slice(0, width);
  const run = (list?.runs ?? []).find((r) => r.product === product && r.lot === lot && holdsPrefix(r.serials, width, prefix));
  if (run) return { verdict: 'revoked', reason: 'run_revoked', at: run.at, asOf };
  const certs = (list?.certifications ?? []).filter((c) => c.product === product && c.validUntil === validUntil);
  const revoked = certs.find((c) => c.status === 'revoked');
  if (revoked) return { verdict: 'revoked', reason: 'certification_revoked', at: revoked.at, asOf };
  const expired = certs.find((c) => c.status === 'expired');
  if (expired) return { verdict: 'expired', reason: 'certification_expired', at: expired.at, asOf };
  if (vietnamDay(now) > validUntil) return { verdict: 'expired', reason: 'certification_expired', at: null, asOf };
  return { verdict: 'genuine', reason: 'genuine', at: null, asOf };
}
