/**
 * The label's QR content: a GS1 Digital Link URI (or the same shape under /p/ for
 * products without a GTIN) whose query carries what an offline verifier needs.
 * The exact format, with test vectors, is in docs/label-format.md.
 *
 *   {base}/01/{gtin14}/10/{lot}/21/{serial}?s={stars}&v={YYMMDD}&k={kid8}&sig={base64url}
 *   {base}/p/{productId}/10/{lot}/21/{serial}?s=…&v=…&k=…&sig=…
 *
 * The signed bytes are the canonical string: the path and the query up to (not
 * including) "&sig=", rebuilt from the parsed fields in this fixed order. The host is
 * not signed, so a label stays valid if the service moves behind another domain.
 */

import { gtinCheckDigitOk, LOT_PATTERN } from '../../reference/gs1.js';
export type ProductKey = { kind: 'gtin'; gtin: string } | { kind: 'product'; productId: string };

export type LabelFields = {
  product: ProductKey;
  lot: string;
  serial: string;
  /** Certified stars when the label was issued (1–5). */
  stars: number;
  /** Certificate valid-until when issued, YYMMDD (GS1 date style). */
  validUntil: string;
  /** The first 8 characters of the signing key's RFC 7638 thumbprint. */
  kid: string;
};

export type SignedLabel = LabelFields & { sig: string };

export const SERIAL_PATTERN = /^[0-9A-Za-z]{13,20}$/;
const GTIN14 = /^\d{14}$/;
const PRODUCT_ID = /^[0-9a-z]{10}$/;
const YYMMDD = /^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;
const KID8 = /^[A-Za-z0-9_-]{8}$/;
const SIG = /^[A-Za-z0-9_-]{86}$/;

export function labelPath(f: Pick<LabelFields, 'product' | 'lot' | 'serial'>): string {
  const head = f.product.kind === 'gtin' ? `/01/${f.product.gtin}` : `/p/${f.product.productId}`;
  return `${head}/10/${f.lot}/21/${f.serial}`;
}

export function canonicalLabelString(f: LabelFields): string {
  return `${labelPath(f)}?s=${f.stars}&v=${f.validUntil}&k=${f.kid}`;
}

export function buildLabelUrl(publicBaseUrl: string, label: SignedLabel): string {
  return `${publicBaseUrl}${canonicalLabelString(label)}&sig=${label.sig}`;
}

/** YYMMDD of a date in UTC (the certificate's last valid day). */
export function toYYMMDD(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

/** What is wrong with a URL that is not a label of ours: a stable code, so that pages can say it in each language. */
export const LABEL_PROBLEMS = [
  'not_url',
  'path',
  'gtin',
  'product_code',
  'lot',
  'serial',
  'signature_missing',
  'signature_repeated',
  'stars',
  'valid_until',
  'key_id',
  'signature',
] as const;
export type LabelProblem = (typeof LABEL_PROBLEMS)[number];

export type ParsedLabel =
  /** Path and every signed field well-formed. */
  | { ok: true; label: SignedLabel }
  /** Not a label URI of ours (400 for a resolver): `problem` says what is wrong, `reason` in English. */
  | { ok: false; problem: LabelProblem; reason: string };

const failed = (problem: LabelProblem, reason: string): ParsedLabel => ({ ok: false, problem, reason });

/** The query of a label URL: each name's value, or every value in order when the name repeats. */
export type LabelQuery = Record<string, string | string[]>;

/**
 * A label URL as a browser reads it (the WHATWG URL Standard, as docs/label-format.md §4
 * says): dot segments resolved, `\` read as `/`, the fragment dropped; the path is not
 * percent-decoded, the query is (application/x-www-form-urlencoded). `target` is a full
 * URL or a request target (`/01/…?…`, the host does not matter: it is not signed).
 */
export function labelUrlParts(target: string): { path: string; query: LabelQuery } | null {
  let url: URL;
  try {
    // Concatenated, not resolved against a base: "//01/…" would otherwise read as a host.
    url = new URL(target.startsWith('/') ? `http://label.invalid${target}` : target);
  } catch {
    return null;
  }
  const query: LabelQuery = Object.create(null) as LabelQuery;
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (typeof seen === 'string') query[name] = [seen, value];
    else seen.push(value);
  }
  return { path: url.pathname, query };
}

/** Parses a label URL or request target (see labelUrlParts, then parseLabel). */
export function parseLabelUrl(target: string): ParsedLabel & { query: LabelQuery } {
  const parts = labelUrlParts(target);
  if (!parts) return { ok: false, problem: 'not_url', reason: 'The text is not a URL.', query: Object.create(null) as LabelQuery };
  return { ...parseLabel(parts.path, parts.query), query: parts.query };
}

/**
 * Parses a label's path (`/01/…` or `/p/…`, one trailing `/` allowed) and its query
 * parameters, as docs/label-format.md §4 step 2 does. Accepts the path only when every
 * segment is well-formed, and the signature fields s, v, k and sig only when each
 * appears exactly once; other parameters are ignored. `ok` false: not a label of ours
 * (an unsigned URI cannot be verified either).
 */
export function parseLabel(path: string, query: Record<string, unknown>): ParsedLabel {
  const m = /^\/(01|p)\/([^/]+)\/10\/([^/]+)\/21\/([^/]+)\/?$/.exec(path);
  if (!m) return failed('path', 'The path is not /01/{gtin}/10/{lot}/21/{serial} or /p/{product}/10/{lot}/21/{serial}.');
  const [, kind, id, lot, serial] = m as unknown as [string, string, string, string, string];
  let product: ProductKey;
  if (kind === '01') {
    if (!GTIN14.test(id) || !gtinCheckDigitOk(id)) return failed('gtin', 'The GTIN is not 14 digits with a valid check digit.');
    product = { kind: 'gtin', gtin: id };
  } else {
    if (!PRODUCT_ID.test(id)) return failed('product_code', 'The product code is not valid.');
    product = { kind: 'product', productId: id };
  }
  if (!LOT_PATTERN.test(lot)) return failed('lot', 'The lot (AI 10) is not valid.');
  if (!SERIAL_PATTERN.test(serial)) return failed('serial', 'The serial (AI 21) is not valid.');
  const values = [query.s, query.v, query.k, query.sig];
  if (values.includes(undefined)) return failed('signature_missing', 'The signature parameters s, v, k and sig are missing.');
  if (!values.every((x) => typeof x === 'string')) return failed('signature_repeated', 'The signature parameters s, v, k and sig must appear once each.');
  const [s, v, k, sig] = values as [string, string, string, string];
  if (!/^[1-5]$/.test(s)) return failed('stars', 'The star rating (s) must be 1 to 5.');
  if (!YYMMDD.test(v)) return failed('valid_until', 'The valid-until date (v) must be YYMMDD.');
  if (!KID8.test(k)) return failed('key_id', 'The key id (k) is not valid.');
  if (!SIG.test(sig)) return failed('signature', 'The signature (sig) is not 64 bytes of base64url.');
  return { ok: true, label: { product, lot, serial, stars: Number(s), validUntil: v, kid: k, sig } };
}

/**
 * What can still be read from a URL that is not a well-formed label (a damaged QR, a
 * cut or mistyped link), field by field: each value only when it is well-formed on its
 * own, else null. Shown to the reader as read, never as verified.
 */
export type ReadableLabelParts = { gtin: string | null; productId: string | null; lot: string | null; serial: string | null; stars: number | null };

export function readableLabelParts(target: string): ReadableLabelParts {
  const none: ReadableLabelParts = { gtin: null, productId: null, lot: null, serial: null, stars: null };
  const parts = labelUrlParts(target);
  if (!parts) return none;
  const segments = parts.path.split('/').filter(Boolean);
  const after = (ai: string, from: number) => {
    const i = segments.indexOf(ai, from);
    return i >= 0 ? segments[i + 1] : undefined;
  };
  const kind = segments[0];
  const id = segments[1];
  const lot = after('10', 2);
  const serial = after('21', 2);
  const s = parts.query.s;
  return {
    gtin: kind === '01' && id && GTIN14.test(id) && gtinCheckDigitOk(id) ? id : null,
    productId: kind === 'p' && id && PRODUCT_ID.test(id) ? id : null,
    lot: lot && LOT_PATTERN.test(lot) ? lot : null,
    serial: serial && SERIAL_PATTERN.test(serial) ? serial : null,
    stars: typeof s === 'string' && /^[1-5]$/.test(s) ? Number(s) : null,
  };
}
