import { CertificationModel } from './certification.model.js';

/**
 * For the revocation list (src/verify/revocations/): every certification labels may cite
 * that no longer lets the OCOP mark be used, revoked or past its validity, with when
 * that took effect. Two queries on (status, validUntil), which the index serves on
 * MongoDB; the list reads them once per cache period, never per request.
 */
export type EndedCertification = { id: string; productId: string; validUntil: Date; status: 'revoked' | 'expired'; at: Date };

type Row = { _id: string; productId: string; validUntil: Date; statusChangedAt: Date | null; updatedAt: Date };

export async function endedCertifications(now: Date): Promise<EndedCertification[]> {
  const fields = { _id: 1, productId: 1, validUntil: 1, statusChangedAt: 1, updatedAt: 1 };
  const [revoked, expired] = await Promise.all([
    CertificationModel.find({ status: 'revoked' }, fields).lean<Row[]>(),
    CertificationModel.find({ status: { $in: ['active', 'superseded'] }, validUntil: { $lt: now } }, fields).lean<Row[]>(),
  ]);
  return [
    ...revoked.map((c) => ({ id: c._id, productId: c.productId, validUntil: c.validUntil, status: 'revoked' as const, at: c.statusChangedAt ?? c.updatedAt })),
    // Expired the moment after its last valid instant: that moment dates the entry, so deltas since then carry it.
    ...expired.map((c) => ({ id: c._id, productId: c.productId, validUntil: c.validUntil, status: 'expired' as const, at: new Date(c.validUntil.getTime() + 1) })),
  ];
}
