/**
 * The GS1 Application Identifiers a Digital Link may carry as data attributes in its
 * query string (`?17=281231&3103=000500`), with the format of each value as the GS1
 * General Specifications give it. Only the format is checked here (digits and length,
 * dates, the character set 82 and its length); what a value means is not ours to judge.
 *
 * Primary keys and the GTIN's key qualifiers are not data attributes: in a GTIN's
 * Digital Link they belong in the path, so the parser refuses them in the query.
 */

/** A value's format: `n` digits only, `x` GS1 AI encodable character set 82; `date` is YYMMDD. */
export type AiFormat = { kind: 'n' | 'x'; min: number; max: number; date?: true };

const N = (min: number, max = min): AiFormat => ({ kind: 'n', min, max });
const X = (max: number): AiFormat => ({ kind: 'x', min: 1, max });
const DATE: AiFormat = { kind: 'n', min: 6, max: 6, date: true };

/** Identifiers that are primary keys of their own (GS1 Digital Link standard, table of primary keys). */
export const PRIMARY_KEYS = new Set(['00', '01', '253', '255', '401', '402', '414', '417', '8003', '8004', '8006', '8010', '8013', '8017', '8018']);
/** The GTIN's key qualifiers, path only. */
export const GTIN_QUALIFIERS = new Set(['22', '10', '21', '235']);

const FIXED: Record<string, AiFormat> = {
  '11': DATE, '12': DATE, '13': DATE, '15': DATE, '16': DATE, '17': DATE, '7006': DATE,
  '20': N(2), '30': N(1, 8), '37': N(1, 8),
  '240': X(30), '241': X(30), '242': N(1, 6), '243': X(20), '250': X(30), '251': X(30),
  '400': X(30), '403': X(30), '410': N(13), '411': N(13), '412': N(13), '413': N(13), '415': N(13), '416': N(13),
  '420': X(20), '421': X(12), '422': N(3), '423': N(3, 15), '424': N(3), '425': N(3, 15), '426': N(3), '427': X(3),
  '4321': N(1), '4322': N(1), '4323': N(1), '4324': N(10), '4325': N(10), '4326': N(6),
  '7001': N(13), '7002': X(30), '7003': N(10), '7004': N(1, 4), '7005': X(12), '7007': N(6, 12), '7008': X(3),
  '7009': X(10), '7010': X(2), '7011': N(6, 10), '7020': X(20), '7021': X(20), '7022': X(20), '7023': X(30), '7040': X(4),
  '7240': X(20), '7241': N(2), '7242': X(25), '7250': N(8), '7251': N(12), '7252': N(1), '7253': X(40), '7254': X(10),
  '7255': X(10), '7256': X(90), '7257': X(70), '7258': X(3), '7259': X(40),
  '8001': N(14), '8002': X(20), '8005': N(6), '8007': X(34), '8008': N(8, 12), '8009': X(50), '8011': N(1, 12),
  '8012': X(20), '8014': X(25), '8019': N(1, 10), '8020': X(25), '8026': N(18), '8030': X(90), '8111': N(4), '8112': X(70), '8200': X(70),
  '90': X(30),
};

/** The format of data attribute `ai`, or null when it is not one (not an AI, or a key or qualifier). */
export function attributeFormat(ai: string): AiFormat | null {
  const fixed = FIXED[ai];
  if (fixed) return fixed;
  if (/^9[1-9]$/.test(ai)) return X(90); // company internal information
  if (/^3[1-6]\d\d$/.test(ai)) return N(6); // trade measures: weights, lengths, areas, volumes (last digit: decimals)
  if (/^39[0-3]\d$/.test(ai)) return ai[2] === '1' || ai[2] === '3' ? N(4, 18) : N(1, 15); // amounts (ISO 4217 code first for 391n / 393n)
  if (/^394[0-3]$/.test(ai)) return N(4);
  if (/^395[0-5]$/.test(ai)) return N(6);
  if (/^43(0\d|1[0-9]|2[07-9]|3[0-3])$/.test(ai)) return X(70); // logistic addresses and flags, taken as text
  if (/^703\d$/.test(ai)) return X(30); // processor approval numbers
  if (/^71[0-7]$/.test(ai)) return X(20); // national healthcare reimbursement numbers
  if (/^723\d$/.test(ai)) return X(30); // certification references
  return null;
}

/** GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1). */
export const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

/** Why a value does not fit its AI's format, or null when it does. */
export function attributeValueProblem(ai: string, value: string, f: AiFormat): string | null {
  if (f.kind === 'n' && !/^\d*$/.test(value)) return `The value of AI (${ai}) must be digits only.`;
  if (f.kind === 'x' && !CSET82.test(value)) return `The value of AI (${ai}) has characters outside GS1 character set 82.`;
  if (value.length < f.min || value.length > f.max) {
    const size = f.min === f.max ? `${f.min}` : `${f.min} to ${f.max}`;
    return `The value of AI (${ai}) must have ${size} ${f.kind === 'n' ? 'digits' : 'characters'}.`;
  }
  // A GS1 date: DD may be 00 ("the month"), the month must exist.
  if (f.date && !/^\d\d(0[1-9]|1[0-2])(0\d|[12]\d|3[01])$/.test(value)) return `The value of AI (${ai}) must be a date YYMMDD.`;
  return null;
}
