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

export type ParsedLabel =
  /** Path and every signed field well-formed. */
  | { ok: true; label: SignedLabel }
  /** Not a label URI of ours (400 for a resolver): the reason says what is wrong. */
  | { ok: false; reason: string };

/**
 * Parses a label's path (`/01/…` or `/p/…`) and its query parameters. Accepts the
 * path only when every segment is well-formed; the signature fields may be missing,
 * in which case `ok` is false (an unsigned URI cannot be verified).
 */
export function parseLabel(path: string, query: Record<string, unknown>): ParsedLabel {
  const m = /^\/(01|p)\/([^/]+)\/10\/([^/]+)\/21\/([^/?]+)\/?$/.exec(path);
  if (!m) return { ok: false, reason: 'The path is not /01/{gtin}/10/{lot}/21/{serial} or /p/{product}/10/{lot}/21/{serial}.' };
  const [, kind, id, lot, serial] = m as unknown as [string, string, string, string, string];
  let product: ProductKey;
  if (kind === '01') {
    if (!GTIN14.test(id) || !gtinCheckDigitOk(id)) return { ok: false, reason: 'The GTIN is not 14 digits with a valid check digit.' };
    product = { kind: 'gtin', gtin: id };
  } else {
    if (!PRODUCT_ID.test(id)) return { ok: false, reason: 'The product code is not valid.' };
    product = { kind: 'product', productId: id };
  }
  if (!LOT_PATTERN.test(lot)) return { ok: false, reason: 'The lot (AI 10) is not valid.' };
  if (!SERIAL_PATTERN.test(serial)) return { ok: false, reason: 'The serial (AI 21) is not valid.' };
  const s = single(query.s);
  const v = single(query.v);
  const k = single(query.k);
  const sig = single(query.sig);
  if (s === undefined || v === undefined || k === undefined || sig === undefined) {
    return { ok: false, reason: 'The signature parameters s, v, k and sig are missing.' };
  }
  if (!/^[1-5]$/.test(s)) return { ok: false, reason: 'The star rating (s) must be 1 to 5.' };
  if (!YYMMDD.test(v)) return { ok: false, reason: 'The valid-until date (v) must be YYMMDD.' };
  if (!KID8.test(k)) return { ok: false, reason: 'The key id (k) is not valid.' };
  if (!SIG.test(sig)) return { ok: false, reason: 'The signature (sig) is not 64 bytes of base64url.' };
  return { ok: true, label: { product, lot, serial, stars: Number(s), validUntil: v, kid: k, sig } };
}

function single(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
