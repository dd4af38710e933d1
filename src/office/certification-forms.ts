import type { Lang } from '../i18n.js';
import { formatDay, formatInstant } from '../display-dates.js';
import type { CertificationRecord } from '../registry/certifications/certification.service.js';
import { certificationStatus } from '../registry/certifications/certification-status.js';
import { numberOrText } from './office-forms.js';

/**
 * The certification form of the office (record a decision, or re-rate: a later
 * decision with other stars, which supersedes the current one) and how a certification
 * reads on the office's pages.
 */

export const CERT_FIELDS = ['stars', 'score', 'decisionNumber', 'decisionDate', 'authorityLevel', 'authorityName'] as const;
export type CertValues = Record<(typeof CERT_FIELDS)[number], string>;

export const CERT_PATHS: Readonly<Record<string, string>> = {
  stars: 'stars',
  score: 'score',
  decisionNumber: 'decisionNumber',
  decisionDate: 'decisionDate',
  'authority.level': 'authorityLevel',
  'authority.name': 'authorityName',
};

export const AUTHORITY_CHOICES = ['', 'province', 'ministry', 'district'] as const;

export const blankCertification = (stars?: number): CertValues => ({
  stars: stars ? String(stars) : '',
  score: '',
  decisionNumber: '',
  decisionDate: '',
  authorityLevel: '',
  authorityName: '',
});

/** The form as the API's certification body (POST /products/:id/certifications). */
export function certificationInput(v: CertValues) {
  const authority = {
    ...(v.authorityLevel ? { level: v.authorityLevel } : {}),
    ...(v.authorityName ? { name: v.authorityName } : {}),
  };
  return {
    stars: numberOrText(v.stars),
    score: numberOrText(v.score),
    decisionNumber: v.decisionNumber,
    decisionDate: v.decisionDate,
    ...(Object.keys(authority).length ? { authority } : {}),
  };
}

export type CertificationView = {
  id: string;
  productId: string;
  stars: number;
  score: number;
  decisionNumber: string;
  decisionDate: string;
  authority: string;
  validUntil: string;
  status: string;
  statusReason: string | null;
  statusChangedAt: string | null;
};

export function certificationView(c: CertificationRecord, lang: Lang, now: Date): CertificationView {
  return {
    id: c._id,
    productId: c.productId,
    stars: c.stars,
    score: c.score,
    decisionNumber: c.decisionNumber,
    decisionDate: formatDay(c.decisionDate, lang),
    authority: c.authority.name,
    validUntil: formatDay(c.validUntil, lang),
    status: certificationStatus(c, now),
    statusReason: c.statusReason ?? null,
    statusChangedAt: c.statusChangedAt ? formatInstant(c.statusChangedAt, lang) : null,
  };
}
