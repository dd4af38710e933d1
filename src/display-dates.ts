import type { Lang } from './i18n.js';

/**
 * The one way pages write dates, in both languages. Calendar days (a decision date, a
 * valid-until, a batch's production and expiry) are stored as UTC days and written as
 * that day; instants (a scan, a revocation, a value-chain event) are written in
 * Vietnam time (UTC+7 all year: no daylight saving). Month names are this table's,
 * not the platform's, so the browser's offline check (public/verify-offline.js writes
 * the same format) and the server never differ.
 *
 *   vi: 02/10/2025 and 14:05 02/10/2025
 *   en: 2 Oct 2025 and 2 Oct 2025, 14:05
 */
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const two = (n: number) => String(n).padStart(2, '0');

function day(d: Date, lang: Lang): string {
  const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  return lang === 'vi' ? `${two(dd)}/${two(m + 1)}/${y}` : `${dd} ${MONTHS_EN[m]} ${y}`;
}

/** A calendar day stored as a UTC date. */
export function formatDay(d: Date, lang: Lang): string {
  return day(d, lang);
}

/** An instant, in Vietnam time. */
export function formatInstant(d: Date, lang: Lang): string {
  const local = new Date(d.getTime() + VIETNAM_OFFSET_MS);
  const clock = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  return lang === 'vi' ? `${clock} ${day(local, lang)}` : `${day(local, lang)}, ${clock}`;
}

/** The day an instant falls on in Vietnam. */
export function formatInstantDay(d: Date, lang: Lang): string {
  return day(new Date(d.getTime() + VIETNAM_OFFSET_MS), lang);
}
