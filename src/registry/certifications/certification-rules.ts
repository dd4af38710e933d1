import type { AUTHORITY_LEVELS } from './certification.model.js';

/**
 * The OCOP rating rules a certification decision must agree with. Pure functions,
 * no database: the service turns a broken rule into an AppError.
 */
export type AuthorityLevel = (typeof AUTHORITY_LEVELS)[number];

/** Score bands of the OCOP rating (100-point scale): the score decides the stars. */
export const SCORE_BANDS = [
  { stars: 1, min: 0, max: 29 },
  { stars: 2, min: 30, max: 49 },
  { stars: 3, min: 50, max: 69 },
  { stars: 4, min: 70, max: 89 },
  { stars: 5, min: 90, max: 100 },
] as const;

/** Stars a score earns. Fractional scores fall in the band whose lower bound they reach. */
export function starsForScore(score: number): number {
  if (score >= 90) return 5;
  if (score >= 70) return 4;
  if (score >= 50) return 3;
  if (score >= 30) return 2;
  return 1;
}

export function scoreBandOf(stars: number): { min: number; max: number } | undefined {
  return SCORE_BANDS.find((b) => b.stars === stars);
}

export type DecisionNumber = { number: number; issuer: string; canonical: string };

/**
 * Decision numbers look like "1234/QĐ-UBND" or "567/QĐ-BNN-VPĐP". People type "QD"
 * without the stroke, lower case or stray spaces; all of those read as the same number
 * and are stored in one canonical spelling ("QĐ", upper case, no spaces).
 */
export function parseDecisionNumber(raw: string): DecisionNumber | null {
  const text = raw.normalize('NFC').toUpperCase().trim();
  const m = /^0*(\d{1,6})\s*\/\s*Q[ĐD]\s*-\s*([A-ZĐ0-9]{2,12}(?:\s*-\s*[A-ZĐ0-9]{2,12}){0,3})$/u.exec(text);
  if (!m) return null;
  const number = Number(m[1]);
  if (number === 0) return null;
  const issuer = (m[2] ?? '').replace(/\s+/g, '');
  return { number, issuer, canonical: `${number}/QĐ-${issuer}` };
}

/**
 * Who may issue a rating: 5★ is rated by the central level (the ministry), 3–4★ by the
 * provincial People's Committee, 1–2★ by the province or, before the 2025 reform
 * removed them, a district.
 */
export function allowedAuthorityLevels(stars: number): AuthorityLevel[] {
  if (stars === 5) return ['ministry'];
  if (stars >= 3) return ['province'];
  return ['province', 'district'];
}

export const defaultAuthorityLevel = (stars: number): AuthorityLevel => (stars === 5 ? 'ministry' : 'province');

/** The ministry merged with the environment ministry on 1 March 2025 and changed name. */
const MINISTRY_RENAMED_ON = '2025-03-01';

/**
 * A name for the issuing authority when the client sends none; a district has no default
 * because the 2025 units do not list districts. `decisionDate` is YYYY-MM-DD.
 */
export function defaultAuthorityName(level: AuthorityLevel, provinceName: string | null, decisionDate: string): string | null {
  if (level === 'ministry') {
    return decisionDate < MINISTRY_RENAMED_ON ? 'Bộ Nông nghiệp và Phát triển nông thôn' : 'Bộ Nông nghiệp và Môi trường';
  }
  if (level === 'province' && provinceName) return `Ủy ban nhân dân ${provinceName}`;
  return null;
}

/** Today's calendar date in Vietnam (UTC+7, no daylight saving), as YYYY-MM-DD. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** The OCOP programme (Decision 490/QĐ-TTg) started in 2018: no rating is older. */
export const EARLIEST_DECISION_DATE = '2018-01-01';

/** A decision date as stored: midnight UTC of the calendar date, so validUntilFor reads it back exactly. */
export const decisionDateToDate = (isoDate: string) => new Date(`${isoDate}T00:00:00.000Z`);
export const dateToIsoDate = (d: Date) => d.toISOString().slice(0, 10);

type Ordered = { _id: string; decisionDate: Date; createdAt: Date };

/** Decision order: later decision date first, then the later record, then the id (a total order). */
export function isLaterDecision(a: Ordered, b: Ordered): boolean {
  if (a.decisionDate.getTime() !== b.decisionDate.getTime()) return a.decisionDate > b.decisionDate;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt > b.createdAt;
  return a._id > b._id;
}

/**
 * A product's current certification: the latest decision among those not revoked or
 * superseded. Readers pick it this way instead of trusting that exactly one is stored
 * active: without transactions a re-rating is written before the old one is marked.
 */
export function currentAmong<T extends Ordered & { status: string }>(certs: readonly T[]): T | null {
  let best: T | null = null;
  for (const c of certs) {
    if (c.status !== 'active') continue;
    if (!best || isLaterDecision(c, best)) best = c;
  }
  return best;
}

/** The calendar date `months` before `from` (YYYY-MM-DD), clamped to the month's last day. */
export function monthsBefore(from: string, months: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return dateToIsoDate(target);
}
