/** The status a person sees. `expired` is derived from the date, never stored. */
export type CertificationStatus = 'active' | 'expired' | 'revoked' | 'superseded';

export const CERTIFICATE_VALIDITY_MONTHS = 36;

export function certificationStatus(
  cert: { status: string; validUntil: Date },
  now: Date = new Date(),
): CertificationStatus {
  if (cert.status === 'revoked') return 'revoked';
  if (cert.status === 'superseded') return 'superseded';
  return now.getTime() > cert.validUntil.getTime() ? 'expired' : 'active';
}

/**
 * Decision date + 36 months, valid through the end of the day before the anniversary
 * would overflow; e.g. 2024-01-31 → 2027-01-31, 2024-02-29 → 2027-02-28.
 */
export function validUntilFor(decisionDate: Date): Date {
  const y = decisionDate.getUTCFullYear();
  const m = decisionDate.getUTCMonth() + CERTIFICATE_VALIDITY_MONTHS;
  const d = decisionDate.getUTCDate();
  const lastDayOfTargetMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, lastDayOfTargetMonth), 23, 59, 59, 999));
}

/** Only 3★ and above may carry the OCOP mark. */
export const mayUseOcopMark = (stars: number) => stars >= 3;
