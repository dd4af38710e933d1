import { signCanonical, verifyCanonical, type SigningKey, type VerifyingKey } from '../../labels/signing/key-crypto.js';

/**
 * The signed revocation list (docs/revocation-list.md): what an offline verifier needs
 * besides the JWKS to tell a genuine label from a revoked or expired one. Pure: no
 * database, no clock of its own; revocation-list.service.ts gathers the facts.
 *
 * Everything in it only ever grows (a revoked run, key or certification is never
 * reinstated, a void label never becomes active again, an expired certificate stays
 * expired), and every entry carries the time `at` it took effect. So a delta "since T"
 * is simply the entries with `at` after T (less DELTA_OVERLAP_MS, for writes that were
 * dated before they landed), and applying it is a union by id: idempotent.
 */
export const LIST_FORMAT = 'ocop-revocations/1';
/** Characters of each serial listed for a revoked run (see docs/revocation-list.md §3 for the odds). */
export const SERIAL_PREFIX = 8;
/** A delta repeats the entries of this long before `since`: a write dated before it was stored is not missed. */
export const DELTA_OVERLAP_MS = 10 * 60_000;
/** `since` older than this answers the full list: a delta that long is nearly the whole list anyway. */
export const DELTA_HORIZON_MS = 30 * 86_400_000;

export type RevokedKey = { kid: string; at: string };
/** A revoked run: `product` is the label path's head ("01/<gtin14>" or "p/<code>"); `serials`, the SERIAL_PREFIX-character prefixes of its labels' serials, sorted and concatenated. */
export type RevokedRun = { id: string; product: string; lot: string; at: string; count: number; serials: string };
export type VoidedLabel = { serial: string; at: string };
/** A certificate a label may still cite: `validUntil` is the label's `v` (YYMMDD) under which labels were issued. */
export type CertificationEntry = { id: string; product: string; validUntil: string; status: 'revoked' | 'expired'; at: string };

export type ListEntries = {
  keys: RevokedKey[];
  runs: RevokedRun[];
  voided: VoidedLabel[];
  certifications: CertificationEntry[];
};

export type ListSignature = { alg: 'ES256'; kid: string; value: string };

export type RevocationList = ListEntries & {
  format: typeof LIST_FORMAT;
  kind: 'full' | 'delta';
  /** For a delta: the `asOf` it was asked since (entries from DELTA_OVERLAP_MS before it on). Null for a full list. */
  since: string | null;
  asOf: string;
  serialPrefix: number;
  signature?: ListSignature;
};

/** The facts as the services hold them; dates as Dates. */
export type RevocationFacts = {
  keys: Array<{ kid: string; revokedAt: Date }>;
  /** `serials` as serialPrefixes() makes them (the service keeps them made: a revoked run never changes). */
  runs: Array<{ id: string; product: string; lot: string; revokedAt: Date; count: number; serials: string }>;
  voided: Array<{ serial: string; at: Date }>;
  certifications: Array<{ id: string; product: string; validUntil: string; status: 'revoked' | 'expired'; at: Date }>;
};

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** A run's serials as the list holds them: prefixes, sorted, one string (a verifier binary-searches it). */
export function serialPrefixes(serials: readonly string[]): string {
  return [...new Set(serials.map((s) => s.slice(0, SERIAL_PREFIX)))].sort().join('');
}

/** The entries, each section sorted by its id, so two lists of the same facts are the same bytes. */
export function listEntries(facts: RevocationFacts): ListEntries {
  return {
    keys: facts.keys.map((k) => ({ kid: k.kid, at: k.revokedAt.toISOString() })).sort(byKey((k) => k.kid)),
    runs: facts.runs
      .map((r) => ({ id: r.id, product: r.product, lot: r.lot, at: r.revokedAt.toISOString(), count: r.count, serials: r.serials }))
      .sort(byKey((r) => r.id)),
    voided: facts.voided.map((v) => ({ serial: v.serial, at: v.at.toISOString() })).sort(byKey((v) => v.serial)),
    certifications: facts.certifications
      .map((c) => ({ id: c.id, product: c.product, validUntil: c.validUntil, status: c.status, at: c.at.toISOString() }))
      .sort(byKey((c) => c.id)),
  };
}

export function fullList(entries: ListEntries, asOf: Date): RevocationList {
  return { format: LIST_FORMAT, kind: 'full', since: null, asOf: asOf.toISOString(), serialPrefix: SERIAL_PREFIX, ...entries };
}

/**
 * What changed since `since` (the `asOf` of the list a verifier holds), or the full list
 * when `since` is older than DELTA_HORIZON_MS before `full.asOf`. Null `since`: full.
 */
export function deltaSince(full: RevocationList, since: Date | null): RevocationList {
  const asOf = Date.parse(full.asOf);
  if (since === null || since.getTime() < asOf - DELTA_HORIZON_MS) return full;
  const from = since.getTime() - DELTA_OVERLAP_MS;
  const after = <T extends { at: string }>(list: T[]) => list.filter((e) => Date.parse(e.at) >= from);
  return {
    format: LIST_FORMAT,
    kind: 'delta',
    since: since.toISOString(),
    asOf: full.asOf,
    serialPrefix: full.serialPrefix,
    keys: after(full.keys),
    runs: after(full.runs),
    voided: after(full.voided),
    certifications: after(full.certifications),
  };
}

/**
 * The canonical serialisation the signature covers: JSON with every object's members
 * sorted by name (UTF-16 code units, as Array.prototype.sort compares), no whitespace,
 * strings and integers as JSON.stringify writes them. For the values this list holds
 * (strings, integers, null, arrays, objects) that is RFC 8785 (JCS).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error('the list holds integers only');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The bytes signed: the list without its `signature` member, canonical. */
export const signedText = (list: RevocationList): string => {
  const { signature: _signature, ...rest } = list;
  return canonicalJson(rest);
};

export function signList(list: RevocationList, key: SigningKey): RevocationList {
  const { signature: _old, ...rest } = list;
  return { ...rest, signature: { alg: 'ES256', kid: key.kid, value: signCanonical(key, signedText(rest)) } };
}

/**
 * The signed list and its text as served: the canonical JSON itself with the signature
 * member added last, so a list of megabytes is serialised once, not twice.
 */
export function signedListJson(list: RevocationList, key: SigningKey): { list: RevocationList; json: string } {
  const { signature: _old, ...rest } = list;
  const text = canonicalJson(rest);
  const signature: ListSignature = { alg: 'ES256', kid: key.kid, value: signCanonical(key, text) };
  return { list: { ...rest, signature }, json: `${text.slice(0, -1)},"signature":${canonicalJson(signature)}}` };
}

export function listSignatureValid(list: RevocationList, key: VerifyingKey): boolean {
  const sig = list.signature;
  return !!sig && sig.alg === 'ES256' && sig.kid === key.kid && verifyCanonical(key, signedText(list), sig.value);
}
