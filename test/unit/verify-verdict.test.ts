import { expect } from 'chai';
import {
  CLONE_MAX_PER_WINDOW,
  CLONE_MAX_EVER,
  CLONE_MAX_PLACES,
  decideVerdict,
  type VerdictFacts,
} from '../../src/verify/verdict.js';

const now = new Date('2026-06-01T00:00:00Z');
const cert = { id: 'c1', stars: 4, status: 'active', validUntil: new Date('2028-01-01T00:00:00Z') };

/** A genuine label's facts; each test changes what it is about. */
function facts(overrides: Partial<VerdictFacts> = {}): VerdictFacts {
  return {
    now,
    keyStatus: 'active',
    signatureValid: true,
    label: { status: 'active', fieldsMatch: true },
    runState: 'issued',
    labelCertification: cert,
    currentCertification: cert,
    printedStars: 4,
    batchExpiry: new Date('2027-01-01T00:00:00Z'),
    scans: { total: 1, browsersInWindow: 1, networksInWindow: 1, browsersEver: 1, networksEver: 1, places: 0 },
    ...overrides,
  };
}

describe('verdict rules', () => {
  it('when everything checks out, then the label is genuine without warnings', () => {
    expect(decideVerdict(facts())).to.deep.equal({ verdict: 'genuine', reason: 'genuine', warnings: [] });
  });

  it('when the key is unknown or the signature fails, then it is forged whatever else is true', () => {
    expect(decideVerdict(facts({ keyStatus: null }))).to.include({ verdict: 'forged', reason: 'unknown_key' });
    expect(decideVerdict(facts({ signatureValid: false, label: { status: 'revoked', fieldsMatch: true } }))).to.include({
      verdict: 'forged',
      reason: 'bad_signature',
    });
  });

  it('when a validly signed label is missing, mismatched or of an unissued run, then it is unknown, before any revocation', () => {
    expect(decideVerdict(facts({ label: null, keyStatus: 'revoked' }))).to.include({ verdict: 'unknown', reason: 'no_such_label' });
    expect(decideVerdict(facts({ label: { status: 'active', fieldsMatch: false } }))).to.include({ verdict: 'unknown', reason: 'fields_mismatch' });
    expect(decideVerdict(facts({ runState: 'pending' }))).to.include({ verdict: 'unknown', reason: 'run_not_issued' });
    expect(decideVerdict(facts({ runState: null }))).to.include({ verdict: 'unknown', reason: 'run_not_issued' });
  });

  it('when label, run, certification or key is revoked, then it is revoked, even if the certificate also expired', () => {
    const expired = { ...cert, validUntil: new Date('2026-01-01T00:00:00Z') };
    expect(decideVerdict(facts({ label: { status: 'void', fieldsMatch: true }, currentCertification: expired }))).to.include({ verdict: 'revoked', reason: 'label_revoked' });
    expect(decideVerdict(facts({ runState: 'revoked' }))).to.include({ verdict: 'revoked', reason: 'run_revoked' });
    expect(decideVerdict(facts({ labelCertification: { ...cert, status: 'revoked' }, currentCertification: null }))).to.include({
      verdict: 'revoked',
      reason: 'certification_revoked',
    });
    expect(decideVerdict(facts({ keyStatus: 'revoked' }))).to.include({ verdict: 'revoked', reason: 'key_revoked' });
  });

  it('when the current certificate is past valid-until or none is in force, then it is expired', () => {
    const expired = { ...cert, validUntil: new Date('2026-05-31T23:59:59Z') };
    expect(decideVerdict(facts({ currentCertification: expired, labelCertification: expired }))).to.include({
      verdict: 'expired',
      reason: 'certification_expired',
    });
    expect(decideVerdict(facts({ currentCertification: null }))).to.include({ verdict: 'expired', reason: 'no_certification_in_force' });
  });

  it('when the product\'s newest decision was revoked and none is in force, then its label reads revoked, not expired, and names no re-rating', () => {
    const superseded = { ...cert, status: 'superseded' };
    const revoked = { ...cert, id: 'c2', status: 'revoked' };
    const out = decideVerdict(facts({ labelCertification: superseded, currentCertification: null, revokedDecision: revoked }));
    expect(out).to.deep.equal({ verdict: 'revoked', reason: 'certification_revoked', warnings: [] });
    // A decision in force after it outweighs the revoked one.
    expect(decideVerdict(facts({ revokedDecision: revoked })).verdict).to.equal('genuine');
  });

  it('when a retired key signed the label, then it is still genuine', () => {
    expect(decideVerdict(facts({ keyStatus: 'retired' })).verdict).to.equal('genuine');
  });

  it('when the batch expired, then the warning rides on a genuine verdict', () => {
    expect(decideVerdict(facts({ batchExpiry: new Date('2026-05-01T00:00:00Z') })).warnings).to.deep.equal(['batch_expired']);
  });

  it('when scans pass the clone thresholds, then clone suspicion is raised; at the thresholds it is not', () => {
    const W = CLONE_MAX_PER_WINDOW;
    const E = CLONE_MAX_EVER;
    const at = { total: 10_000, browsersInWindow: W, networksInWindow: W, browsersEver: E, networksEver: E, places: CLONE_MAX_PLACES };
    const warned = (scans: typeof at) => decideVerdict(facts({ scans })).warnings;
    expect(warned(at), 'at every threshold, however many scans').to.deep.equal([]);
    expect(warned({ ...at, browsersInWindow: W + 1, networksInWindow: W + 1 })).to.deep.equal(['clone_suspected']);
    expect(warned({ ...at, browsersEver: E + 1, networksEver: E + 1 })).to.deep.equal(['clone_suspected']);
    expect(warned({ ...at, places: at.places + 1 })).to.deep.equal(['clone_suspected']);
  });

  it('when browsers or networks alone pass a threshold, then that alone raises no clone suspicion', () => {
    const base = { total: 500, browsersInWindow: 1, networksInWindow: 1, browsersEver: 1, networksEver: 1, places: 1 };
    const warned = (scans: typeof base) => decideVerdict(facts({ scans })).warnings;
    expect(warned({ ...base, browsersInWindow: 40, browsersEver: 40 }), 'one address cycling browser names').to.deep.equal([]);
    expect(warned({ ...base, networksInWindow: 40, networksEver: 40 }), 'one phone on changing mobile addresses').to.deep.equal([]);
  });

  it('when the product was re-rated down, then the label warns of stars above the certified ones and a superseded certificate', () => {
    const newer = { ...cert, id: 'c2', stars: 3 };
    const out = decideVerdict(facts({ labelCertification: { ...cert, status: 'superseded' }, currentCertification: newer }));
    expect(out.verdict).to.equal('genuine');
    expect(out.warnings).to.deep.equal(['stars_above_certified', 'certification_superseded']);
  });

  it('when a label is forged, then it carries no warnings even if its serial was scanned a lot', () => {
    expect(decideVerdict(facts({ signatureValid: false, scans: { total: 500, browsersInWindow: 90, networksInWindow: 2, browsersEver: 90, networksEver: 2, places: 9 } })).warnings).to.deep.equal([]);
  });
});
