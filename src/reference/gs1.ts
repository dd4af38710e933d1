/**
 * GS1 identifier syntax that several features check: GTINs (products, label URLs, EPC
 * URIs) and lot numbers (batches, label URLs). Pure rules from the GS1 General
 * Specifications, no I/O.
 */

/**
 * A lot or batch number, GS1 AI (10): up to 20 characters; we keep to A–Z a–z 0–9 . _ -
 * and refuse "." and "..", which a URL parser reads as path steps, not as a lot.
 */
export const LOT_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._-]{1,20}$/;

/** GTIN lengths GS1 allows: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14. */
const GTIN_LENGTHS = [8, 12, 13, 14];

/**
 * GS1 mod-10 check digit of the digits before it: weights 3,1,3,1… from the right.
 * Padding with leading zeros does not change it, which is why GTIN-14 storage is safe.
 */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Appends the check digit: withCheckDigit('893604512001') → '8936045120019'. */
export const withCheckDigit = (body: string) => `${body}${gtinCheckDigit(body)}`;

export type GtinProblem =
  | { kind: 'format'; message: string }
  | { kind: 'check_digit'; expected: number; got: number; message: string };

/** Why a GTIN is not valid, or null when it is. Spaces and hyphens people type are ignored. */
export function gtinProblem(raw: string): GtinProblem | null {
  const gtin = raw.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(gtin)) return { kind: 'format', message: 'A GTIN has digits only.' };
  if (!GTIN_LENGTHS.includes(gtin.length)) {
    return { kind: 'format', message: `A GTIN has 8, 12, 13 or 14 digits; this one has ${gtin.length}.` };
  }
  if (/^0+$/.test(gtin)) return { kind: 'format', message: 'A GTIN cannot be all zeros.' };
  const expected = gtinCheckDigit(gtin.slice(0, -1));
  const got = Number(gtin.at(-1));
  if (expected !== got) {
    return { kind: 'check_digit', expected, got, message: `The check digit of GTIN ${gtin} should be ${expected}, not ${got}.` };
  }
  return null;
}

/** True when the last digit of a GTIN (any length) is its check digit. */
export function gtinCheckDigitOk(gtin: string): boolean {
  return /^\d{2,}$/.test(gtin) && gtinCheckDigit(gtin.slice(0, -1)) === Number(gtin.at(-1));
}
