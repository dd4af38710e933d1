import { certificationStatus } from '../registry/certifications/certification-status.js';

/**
 * The verdict a scan gets, decided from facts already loaded. Pure: no database, no
 * clock of its own (the caller passes `now`), so every rule is unit-testable.
 *
 * Precedence (first match wins): forged → unknown → revoked → expired → genuine.
 * Warnings ride on top of revoked / expired / genuine; a forged or unknown label says
 * nothing trustworthy about any product, so it gets none.
 */
export const VERDICTS = ['forged', 'unknown', 'revoked', 'expired', 'genuine'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type VerdictReason =
  | 'bad_signature'
  | 'unknown_key'
  | 'no_such_label'
  | 'run_not_issued'
  | 'fields_mismatch'
  | 'label_revoked'
  | 'run_revoked'
  | 'certification_revoked'
  | 'key_revoked'
  | 'certification_expired'
  | 'no_certification_in_force'
  | 'genuine';

export type WarningCode = 'batch_expired' | 'clone_suspected' | 'stars_above_certified' | 'certification_superseded';

/**
 * Clone suspicion. One consumer unit is scanned a handful of times in its life (the
 * buyer, perhaps a relative, perhaps an inspector). A label copied onto many packages
 * is scanned by many phones, on many networks, in many places. Browsers (user agents)
 * and networks (addresses) are counted apart and the smaller count is weighed: one
 * phone on mobile data shows a new address every session but stays one browser, and one
 * address cycling browser names stays one network, so neither a household's many scans
 * nor one client alone can make a genuine label look copied. The number of scans is
 * never a signal. The thresholds come from scripts/simulate-clones.ts; its figures are
 * in docs/operations.md.
 */
export const CLONE_MAX_PER_WINDOW = 5;
export const CLONE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const CLONE_MAX_EVER = 12;
/** Places (commune codes sent with a scan), each counted from a network of its own. */
export const CLONE_MAX_PLACES = 3;

export type ScanFigures = {
  /** Every scan of this label, this one included (shown; not a clone signal). */
  total: number;
  /** Distinct browsers within CLONE_WINDOW_MS, this one included (counted up to the threshold + 1). */
  browsersInWindow: number;
  /** Distinct networks within CLONE_WINDOW_MS (counted up to the threshold + 1). */
  networksInWindow: number;
  /** Distinct browsers ever (counted up to CLONE_MAX_EVER + 1). */
  browsersEver: number;
  /** Distinct networks ever (counted up to CLONE_MAX_EVER + 1). */
  networksEver: number;
  /** Distinct places, each named from a different network (counted up to CLONE_MAX_PLACES + 1). */
  places: number;
};

export type CertificationFacts = { id: string; stars: number; status: string; validUntil: Date };

export type VerdictFacts = {
  now: Date;
  /** null: the key id printed on the label names no key we know. */
  keyStatus: 'active' | 'retired' | 'revoked' | null;
  /** The presented fields carry a signature that verifies with that key. */
  signatureValid: boolean;
  /** null: no label with this serial. */
  label: null | {
    status: string;
    /** Product, lot, stars, valid-until and key as presented equal what was issued. */
    fieldsMatch: boolean;
  };
  /** The label's run state; null if the run is missing. */
  runState: string | null;
  /** The certification the label was issued under (its run's). */
  labelCertification: CertificationFacts | null;
  /** The product's certification now: the latest active decision, or null if none. */
  currentCertification: CertificationFacts | null;
  /**
   * The product's newest revoked decision, read only when none is in force: a product
   * re-rated and then stripped of that rating has no mark, whatever its label was printed under.
   */
  revokedDecision?: CertificationFacts | null;
  printedStars: number;
  batchExpiry: Date | null;
  scans: ScanFigures | null;
};

export type VerdictOutcome = { verdict: Verdict; reason: VerdictReason; warnings: WarningCode[] };

// Module-level, not closures made per call: decideVerdict runs on every scan.
function plain(verdict: Verdict, reason: VerdictReason): VerdictOutcome {
  return { verdict, reason, warnings: [] };
}

export function decideVerdict(f: VerdictFacts): VerdictOutcome {

  if (f.keyStatus === null) return plain('forged', 'unknown_key');
  if (!f.signatureValid) return plain('forged', 'bad_signature');

  if (!f.label) return plain('unknown', 'no_such_label');
  if (!f.label.fieldsMatch) return plain('unknown', 'fields_mismatch');
  if (f.runState !== 'issued' && f.runState !== 'revoked') return plain('unknown', 'run_not_issued');

  const warnings = warningsFor(f);
  if (f.label.status !== 'active') return { verdict: 'revoked', reason: 'label_revoked', warnings };
  if (f.runState === 'revoked') return { verdict: 'revoked', reason: 'run_revoked', warnings };
  if (f.labelCertification?.status === 'revoked') return { verdict: 'revoked', reason: 'certification_revoked', warnings };
  if (f.keyStatus === 'revoked') return { verdict: 'revoked', reason: 'key_revoked', warnings };
  if (!f.currentCertification && f.revokedDecision) return { verdict: 'revoked', reason: 'certification_revoked', warnings };

  if (!f.currentCertification) return { verdict: 'expired', reason: 'no_certification_in_force', warnings };
  if (certificationStatus(f.currentCertification, f.now) === 'expired') return { verdict: 'expired', reason: 'certification_expired', warnings };

  return { verdict: 'genuine', reason: 'genuine', warnings };
}

function warningsFor(f: VerdictFacts): WarningCode[] {
  const warnings: WarningCode[] = [];
  if (f.batchExpiry && f.batchExpiry.getTime() < f.now.getTime()) warnings.push('batch_expired');
  if (f.scans && cloneSuspected(f.scans)) warnings.push('clone_suspected');
  if (f.currentCertification && f.printedStars > f.currentCertification.stars) warnings.push('stars_above_certified');
  // Only when a later decision is in force: without one there is no re-rating to point to.
  const labelCert = f.labelCertification;
  if (labelCert && f.currentCertification && f.currentCertification.id !== labelCert.id) {
    warnings.push('certification_superseded');
  }
  return warnings;
}

export function cloneSuspected(s: ScanFigures): boolean {
  return (
    Math.min(s.browsersInWindow, s.networksInWindow) > CLONE_MAX_PER_WINDOW ||
    Math.min(s.browsersEver, s.networksEver) > CLONE_MAX_EVER ||
    s.places > CLONE_MAX_PLACES
  );
}
