import type { Verification } from '../verify.service.js';
import type { VerdictReason } from '../verdict.js';

/**
 * What a verdict tells a reader, one step finer than its reason: a label voided by its
 * producer reads otherwise than one revoked, and a product whose newest decision was
 * revoked otherwise than a label printed under a revoked decision. Each story has its
 * words in verify.messages.ts (reason.*, offline.but.*).
 */
export type Story = VerdictReason | 'label_void' | 'newest_decision_revoked';

export function storyOf(v: Verification): Story {
  const f = v.found;
  if (v.reason === 'label_revoked' && f?.label.status === 'void') return 'label_void';
  if (v.reason === 'certification_revoked' && f?.certification && f.certification._id !== undefined) {
    // The revoked decision shown is not the one the label was printed under: a later one.
    const printedUnder = f.labelCertification?._id;
    if (printedUnder && printedUnder !== f.certification._id) return 'newest_decision_revoked';
  }
  return v.reason;
}

/**
 * Why a label is not genuine, from the records: which record (a certification's
 * decision number), when (a day for an expiry, an instant for a revocation) and the
 * reason recorded with it. Null when the verdict names no dated record.
 */
export type Why = { record: string | null; on: Date | null; onIsDay: boolean; reason: string | null };

export function whyOf(v: Verification): Why | null {
  const f = v.found;
  if (!f) return null;
  const cert = f.certification;
  switch (v.reason) {
    case 'label_revoked':
      return { record: null, on: f.label.statusChangedAt ?? null, onIsDay: false, reason: f.label.statusReason ?? null };
    case 'run_revoked':
      return { record: null, on: f.run?.revokedAt ?? null, onIsDay: false, reason: f.run?.revokedReason ?? null };
    case 'certification_revoked':
      return cert ? { record: cert.decisionNumber, on: cert.statusChangedAt ?? null, onIsDay: false, reason: cert.statusReason ?? null } : null;
    case 'key_revoked':
      return { record: null, on: f.keyRevokedAt, onIsDay: false, reason: null };
    case 'certification_expired':
      return cert ? { record: cert.decisionNumber, on: cert.validUntil, onIsDay: true, reason: null } : null;
    default:
      return null;
  }
}
