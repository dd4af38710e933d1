import type { BatchRecord } from '../batches/batch.service.js';
import { BoundedMap } from '../bounded-map.js';
import { verifyCanonical } from '../labels/signing/key-crypto.js';
import type { KnownKey } from '../labels/signing/keyring.js';
import { canonicalLabelString, type SignedLabel } from '../labels/format/label-url.js';
import type { Label } from '../labels/runs/labels.service.js';
import type { CertificationRecord } from '../registry/certifications/certification.reads.js';
import type { ProductRecord } from '../registry/products/product.service.js';
import type { VerdictFacts } from './verdict.js';

/** Turning the records of a scanned label into the facts decideVerdict() weighs. */

/**
 * Whether the presented label's signature verifies: ECDSA over the canonical string
 * rebuilt from the presented fields, exactly as docs/label-format.md §4 has an offline
 * verifier do, whatever we stored. The answer is a function of the key and the
 * presentation alone, so a presentation that verified once is remembered (per serial,
 * the last one that verified) and is not verified again. Only signatures that verify
 * are kept: a forger cannot fill the memory.
 */
export class SignatureCheck {
  private readonly verified: BoundedMap<string, string>;

  constructor(maxEntries: number) {
    this.verified = new BoundedMap(maxEntries);
  }

  verifies(key: KnownKey, presented: SignedLabel): boolean {
    const canonical = canonicalLabelString(presented);
    const presentation = `${key.kid} ${canonical}&sig=${presented.sig}`;
    if (this.verified.get(presented.serial) === presentation) return true;
    const ok = verifyCanonical(key, canonical, presented.sig);
    if (ok) this.verified.set(presented.serial, presentation);
    return ok;
  }
}

export function initialFacts(presented: SignedLabel, key: KnownKey | undefined, now: Date): VerdictFacts {
  return {
    now,
    keyStatus: key?.status ?? null,
    signatureValid: false,
    label: null,
    runState: null,
    labelCertification: null,
    currentCertification: null,
    revokedDecision: null,
    printedStars: presented.stars,
    batchExpiry: null,
    scans: null,
  };
}

/**
 * Fills in the facts of a label we issued: whether its signature verifies over what is
 * presented and whether the presented fields are the ones we issued. A presentation
 * byte-identical to what we printed (every signed field as issued, in the spelling we
 * printed, and the signature we stored) is one we verified when we signed it, so the
 * stored signature stands in for ECDSA there and only there; anything else is verified
 * by `verifies`, as offline. True when both hold.
 */
export function labelFacts(facts: VerdictFacts, verifies: () => boolean, presented: SignedLabel, label: Label, product: ProductRecord | null, batch: BatchRecord | null): boolean {
  const fieldsMatch = !!product && !!batch && sameFields(presented, label, product, batch);
  facts.signatureValid = (fieldsMatch && label.sig === presented.sig) || verifies();
  facts.label = { status: label.status, fieldsMatch };
  return facts.signatureValid && fieldsMatch;
}

/**
 * The presented fields are the ones we issued, spelled as we printed them: a GTIN
 * product's labels print /01/{gtin}, the others /p/{productId} (a product's GTIN is
 * fixed once it has labels). A label whose signature verifies but whose fields differ
 * (another spelling we never printed, a record changed since) reads unknown, never
 * genuine; one whose signature fails reads forged, as offline.
 */
function sameFields(p: SignedLabel, label: Label, product: ProductRecord, batch: BatchRecord): boolean {
  const productMatches = product.gtin
    ? p.product.kind === 'gtin' && p.product.gtin === product.gtin
    : p.product.kind === 'product' && p.product.productId === label.productId;
  return (
    productMatches &&
    batch.lotCode === p.lot &&
    label.stars === p.stars &&
    label.validUntil === p.validUntil &&
    label.kid === p.kid
  );
}

export function certFacts(c: Pick<CertificationRecord, 'stars' | 'status' | 'validUntil'> & { _id: string }) {
  return { id: c._id, stars: c.stars, status: c.status, validUntil: c.validUntil };
}
