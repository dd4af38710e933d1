/**
 * Compressed GS1 Digital Link URIs (GS1 Digital Link: Compression): the path after the
 * resolver root is one base64url segment holding the element string as bits. Read here:
 *
 *   AI      2 hex nibbles; the GS1 table of AI lengths by their first two digits says how
 *           many more nibbles follow (01 → none, 235 → one, 3103 → two).
 *   value   fixed-length numeric: the number in ceil(n·log2 10) bits;
 *           variable-length numeric: its length (enough bits for the AI's maximum), then
 *           the number;
 *           alphanumeric: a 3-bit encoding (000 digits, 001 lower-case hex, 010 upper-case
 *           hex, 011 base64url, 100 7-bit ASCII), then the length, then the characters
 *           (4, 6 or 7 bits each; digits as one number).
 *   end     fewer than 8 bits left (the padding to whole base64 characters).
 *
 * What is read is rebuilt as an uncompressed path and query and handed to the ordinary
 * parser, so every rule (order, check digit, formats) holds the same. Not read, with a
 * clear reason: the optimisation codes (a first nibble A–F), compressed non-GS1
 * key=value pairs, and AIs of several components (423, 8008…).
 */
import { attributeFormat, type AiFormat } from './gs1-ais.js';

/** Looks like a compressed GTIN link: its first byte is AI (01) (base64url "A" then Q–f), long enough for the GTIN. */
export function looksCompressed(segment: string): boolean {
  return segment.length >= 10 && /^A[Q-Za-f][A-Za-z0-9_-]+$/.test(segment);
}

/** `unsupported`: a well-formed compressed link using a part of the standard this resolver does not read. */
export type Decompressed = { ok: true; path: string; query: string } | { ok: false; reason: string; unsupported?: true };

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX_LOWER = '0123456789abcdef';
const HEX_UPPER = '0123456789ABCDEF';

/** Digits of an AI by its first two digits (GS1 General Specifications, AI prefix table). */
function aiLength(prefix: string): number | null {
  const n = Number(prefix);
  if ([0, 1, 2, 10, 11, 12, 13, 15, 16, 17, 20, 21, 22, 30, 37].includes(n) || n >= 90) return 2;
  if ([23, 24, 25, 40, 41, 42, 71].includes(n)) return 3;
  if ([31, 32, 33, 34, 35, 36, 39, 43, 70, 72, 80, 81, 82].includes(n)) return 4;
  return null;
}

const QUALIFIER_FORMATS: Record<string, AiFormat> = {
  '01': { kind: 'n', min: 14, max: 14 },
  '22': { kind: 'x', min: 1, max: 20 },
  '10': { kind: 'x', min: 1, max: 20 },
  '21': { kind: 'x', min: 1, max: 20 },
  '235': { kind: 'x', min: 1, max: 28 },
};
// Values made of several components (a country code and a number…): their bits are per component.
const SEVERAL_COMPONENTS = /^(391\d|393\d|421|423|425|7007|7011|703\d|7040|8008|8026)$/;

const bitsForDigits = (n: number) => Math.ceil(n * Math.log2(10));
const bitsForLength = (max: number) => Math.ceil(Math.log2(max + 1));

class Bits {
  private at = 0;
  constructor(private readonly bits: string) {}
  get left(): number {
    return this.bits.length - this.at;
  }
  take(n: number): string {
    if (n > this.left) throw new RangeError('The compressed link ends in the middle of a value.');
    const out = this.bits.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }
  int(n: number): number {
    return n === 0 ? 0 : parseInt(this.take(n), 2);
  }
  digits(count: number): string {
    if (count === 0) return '';
    return BigInt(`0b${this.take(bitsForDigits(count))}`).toString().padStart(count, '0');
  }
}

function readValue(ai: string, f: AiFormat, bits: Bits): string {
  if (f.kind === 'n' && f.min === f.max) return bits.digits(f.min);
  if (f.kind === 'n') return bits.digits(bits.int(bitsForLength(f.max)));
  const encoding = bits.int(3);
  const length = bits.int(bitsForLength(f.max));
  if (encoding === 0) return bits.digits(length);
  const alphabet = encoding === 1 ? HEX_LOWER : encoding === 2 ? HEX_UPPER : encoding === 3 ? B64 : null;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    if (alphabet) out += alphabet[bits.int(encoding === 3 ? 6 : 4)] ?? '';
    else if (encoding === 4) out += String.fromCharCode(bits.int(7));
    else throw new RangeError(`AI (${ai}) uses an encoding the compression standard does not define.`);
  }
  return out;
}

/** Decompresses one path segment into the uncompressed path and query (values percent-encoded). */
export function decompressDigitalLink(segment: string): Decompressed {
  let bitString = '';
  for (const c of segment) {
    const v = B64.indexOf(c);
    if (v < 0) return { ok: false, reason: 'A compressed Digital Link is base64url characters only.' };
    bitString += v.toString(2).padStart(6, '0');
  }
  const bits = new Bits(bitString);
  const values = new Map<string, string>();
  try {
    while (bits.left >= 8) {
      const first = bits.int(4);
      const second = bits.int(4);
      if (first > 9 || second > 9) {
        return { ok: false, unsupported: true, reason: 'This compressed Digital Link uses an optimisation code or compressed non-GS1 parameters, which this resolver does not read: send the uncompressed link.' };
      }
      let ai = `${first}${second}`;
      const length = aiLength(ai);
      if (length === null) return { ok: false, reason: `The compressed link names an Application Identifier starting ${ai}, which does not exist.` };
      while (ai.length < length) {
        const d = bits.int(4);
        if (d > 9) return { ok: false, reason: 'The compressed link has an Application Identifier that is not digits.' };
        ai += String(d);
      }
      if (SEVERAL_COMPONENTS.test(ai)) return { ok: false, unsupported: true, reason: `AI (${ai}) has several components, which this resolver does not decompress: send the uncompressed link.` };
      const format = QUALIFIER_FORMATS[ai] ?? attributeFormat(ai);
      if (!format) return { ok: false, reason: `AI (${ai}) is not a GTIN, one of its key qualifiers or a data attribute.` };
      if (values.has(ai)) return { ok: false, reason: `AI (${ai}) appears more than once.` };
      values.set(ai, readValue(ai, format, bits));
    }
  } catch (e) {
    return { ok: false, reason: e instanceof RangeError ? e.message : 'The compressed link cannot be read.' };
  }
  // Zero padding only: anything else means the bits were not all used by values.
  if (/1/.test(bits.take(bits.left))) return { ok: false, reason: 'The compressed link has bits left over after its last value.' };
  const gtin = values.get('01');
  if (!gtin) return { ok: false, reason: 'The compressed link has no GTIN, AI (01).' };
  let path = `/01/${gtin}`;
  for (const q of ['22', '10', '21', '235']) {
    const v = values.get(q);
    if (v !== undefined) path += `/${q}/${encodeURIComponent(v)}`;
  }
  const query = [...values]
    .filter(([ai]) => !(ai in QUALIFIER_FORMATS))
    .map(([ai, v]) => `${ai}=${encodeURIComponent(v)}`)
    .join('&');
  return { ok: true, path, query };
}
