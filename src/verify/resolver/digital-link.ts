/**
 * GS1 Digital Link URIs with a GTIN primary key, read as the GS1 Digital Link standard's
 * URI syntax (its ABNF, the GTIN part) says. Pure: no I/O. Our own signed label URLs are
 * read first by src/labels/format/label-url.ts; this parser reads every other Digital
 * Link that reaches the resolver (a partner's, a shelf tag, a GTIN-only barcode link).
 *
 *   gtin-path   = "/" gtin-code "/" gtin-value [ "/" cpv-code "/" cpv-value ]
 *                 [ "/" lot-code "/" lot-value ] ( [ "/" ser-code "/" ser-value ] / [ "/" tpx-code "/" tpx-value ] )
 *   gtin-code   = "01" / "gtin"        gtin-value = 14DIGIT (8, 12 and 13 digits read as zero-suppressed)
 *   cpv-code    = "22" / "cpv"         cpv-value  = 1*20 XCHAR   (consumer product variant)
 *   lot-code    = "10" / "lot"         lot-value  = 1*20 XCHAR
 *   ser-code    = "21" / "ser"         ser-value  = 1*20 XCHAR
 *   tpx-code    = "235"                tpx-value  = 1*28 XCHAR   (third-party controlled serial extension)
 *   query       = [ "?" pair *( "&" pair ) ]   pair = ai "=" value / other-key "=" value
 *
 * XCHAR is a character of GS1 character set 82, written as itself when RFC 3986 allows it in
 * a path segment, else percent-encoded. One trailing "/" is tolerated. A query key of digits
 * only is a GS1 Application Identifier and must be a data attribute (gs1-ais.ts) with a
 * well-formed value; other keys (linkType, context, lang, ours) pass through unread.
 */
import { gtinCheckDigitOk } from '../../reference/gs1.js';
import { attributeFormat, attributeValueProblem, CSET82, GTIN_QUALIFIERS, PRIMARY_KEYS } from './gs1-ais.js';

export type DigitalLink = {
  /** GTIN-14 (zero-suppressed forms padded). */
  gtin: string;
  cpv?: string;
  lot?: string;
  serial?: string;
  tpx?: string;
  /** Data attributes from the query, AI → value, decoded. */
  attributes: Record<string, string>;
  /** The query's other key=value pairs, decoded, in order. */
  params: Array<[string, string]>;
};

/** What is wrong: `path` (shape, order, encoding), a key or qualifier value, or the query. */
export type DigitalLinkProblem = 'path' | 'gtin' | 'cpv' | 'lot' | 'serial' | 'tpx' | 'query' | 'attribute';
export type ParsedDigitalLink = { ok: true; link: DigitalLink } | { ok: false; problem: DigitalLinkProblem; reason: string };

const fail = (problem: DigitalLinkProblem, reason: string): ParsedDigitalLink => ({ ok: false, problem, reason });

/** Qualifiers in the only order the standard allows; 235 takes the serial's place. */
const QUALIFIERS: Array<{ codes: string[]; field: 'cpv' | 'lot' | 'serial' | 'tpx'; max: number; rank: number; name: string }> = [
  { codes: ['22', 'cpv'], field: 'cpv', max: 20, rank: 1, name: 'consumer product variant (22)' },
  { codes: ['10', 'lot'], field: 'lot', max: 20, rank: 2, name: 'lot (10)' },
  { codes: ['21', 'ser'], field: 'serial', max: 20, rank: 3, name: 'serial (21)' },
  { codes: ['235'], field: 'tpx', max: 28, rank: 3, name: 'third-party serial extension (235)' },
];

// An RFC 3986 path segment: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;

/** A segment's value decoded; null when its percent-encoding is broken or not UTF-8. */
function decodeSegment(raw: string): string | null {
  if (!SEGMENT.test(raw)) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * Parses a path (`/01/…`, no host, not percent-decoded) and a raw query (without "?", not
 * decoded: a "+" stays a "+", as in GS1 character set 82, not a space).
 */
export function parseDigitalLink(path: string, rawQuery: string): ParsedDigitalLink {
  if (!path.startsWith('/')) return fail('path', 'The path must start with "/".');
  const segments = path.slice(1).split('/');
  if (segments.length > 2 && segments.at(-1) === '') segments.pop(); // one trailing slash
  if (segments.length % 2 !== 0 || segments.length < 2) return fail('path', 'The path must be pairs of /{code}/{value}, starting with /01/{gtin}.');
  if (segments[0] !== '01' && segments[0] !== 'gtin') return fail('path', 'The primary key must be a GTIN (/01/).');
  const digits = segments[1]!;
  if (!/^\d+$/.test(digits) || ![8, 12, 13, 14].includes(digits.length)) return fail('gtin', 'The GTIN must have 8, 12, 13 or 14 digits.');
  const gtin = digits.padStart(14, '0');
  if (!gtinCheckDigitOk(gtin)) return fail('gtin', 'The GTIN check digit is wrong.');
  const link: DigitalLink = { gtin, attributes: {}, params: [] };

  let rank = 0;
  for (let i = 2; i < segments.length; i += 2) {
    const code = segments[i]!;
    const q = QUALIFIERS.find((x) => x.codes.includes(code));
    if (!q) return fail('path', `"/${code}/" is not a key qualifier of a GTIN (22, 10, 21 or 235).`);
    if (q.rank <= rank) return fail('path', 'The key qualifiers must appear once each in the order 22, 10, 21 (or 235).');
    rank = q.rank;
    const raw = segments[i + 1]!;
    const value = raw === '' ? '' : decodeSegment(raw);
    if (value === null) return fail(q.field, `The ${q.name} is not correctly percent-encoded.`);
    if (!value || value.length > q.max || !CSET82.test(value)) {
      return fail(q.field, `The ${q.name} must be 1 to ${q.max} characters of GS1 character set 82.`);
    }
    link[q.field] = value;
  }

  if (rawQuery) {
    for (const pair of rawQuery.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key: string;
      let value: string;
      try {
        key = decodeURIComponent(rawKey);
        value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
      } catch {
        return fail('query', 'The query string is not correctly percent-encoded.');
      }
      if (!/^\d+$/.test(key)) {
        link.params.push([key, value]);
        continue;
      }
      if (GTIN_QUALIFIERS.has(key)) return fail('query', `AI (${key}) is a key qualifier of the GTIN: it belongs in the path, not the query.`);
      if (PRIMARY_KEYS.has(key)) return fail('query', `AI (${key}) is a primary key: a Digital Link has one, and it is the GTIN.`);
      const format = attributeFormat(key);
      if (!format) return fail('attribute', `"${key}" is not a GS1 Application Identifier that a Digital Link may carry as a data attribute.`);
      if (key in link.attributes) return fail('attribute', `AI (${key}) appears more than once.`);
      const problem = attributeValueProblem(key, value, format);
      if (problem) return fail('attribute', problem);
      link.attributes[key] = value;
    }
  }
  return { ok: true, link };
}

/** A value as a Digital Link path writes it: characters outside RFC 3986 "unreserved" percent-encoded. */
const encodeValue = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical path: numeric codes, GTIN-14, qualifiers in order (the linkset's anchor, owl:sameAs). */
export function canonicalDigitalLinkPath(link: Pick<DigitalLink, 'gtin' | 'cpv' | 'lot' | 'serial' | 'tpx'>): string {
  let path = `/01/${link.gtin}`;
  if (link.cpv !== undefined) path += `/22/${encodeValue(link.cpv)}`;
  if (link.lot !== undefined) path += `/10/${encodeValue(link.lot)}`;
  if (link.serial !== undefined) path += `/21/${encodeValue(link.serial)}`;
  if (link.tpx !== undefined) path += `/235/${encodeValue(link.tpx)}`;
  return path;
}
