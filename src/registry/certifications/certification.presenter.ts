import { certificationStatus, mayUseOcopMark, type CertificationStatus } from './certification-status.js';
import { dateToIsoDate } from './certification-rules.js';
import type { CertificationRecord } from './certification.service.js';

export type CertificationView = {
  id: string;
  productId: string;
  producerId: string;
  stars: number;
  score: number;
  decisionNumber: string;
  authority: { level: string; name: string };
  /** The calendar date on the decision, YYYY-MM-DD. */
  decisionDate: string;
  /** The last instant of validity (ISO), decision date + 36 months. */
  validUntil: string;
  status: CertificationStatus;
  /** The OCOP mark may be printed: 3★ or more and the certification in force now. */
  mayUseMark: boolean;
  statusChangedAt: string | null;
  statusReason: string | null;
  supersededBy: string | null;
  createdAt: string;
};

export function presentCertification(c: CertificationRecord, now: Date = new Date()): CertificationView {
  const status = certificationStatus(c, now);
  return {
    id: c._id,
    productId: c.productId,
    producerId: c.producerId,
    stars: c.stars,
    score: c.score,
    decisionNumber: c.decisionNumber,
    authority: { level: c.authority.level, name: c.authority.name },
    decisionDate: dateToIsoDate(c.decisionDate),
    validUntil: c.validUntil.toISOString(),
    status,
    mayUseMark: mayUseOcopMark(c.stars) && status === 'active',
    statusChangedAt: c.statusChangedAt ? c.statusChangedAt.toISOString() : null,
    statusReason: c.statusReason ?? null,
    supersededBy: c.supersededBy ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}
