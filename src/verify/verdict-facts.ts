import type { BatchRecord } from '../batches/batch.service.js';
import { verifyCanonical } from '../labels/signing/key-crypto.js';
import type { KnownKey } from '../labels/signing/keyring.js';
import { canonicalLabelString, type SignedLabel } from '../labels/format/label-url.js';
import type { Label } from '../labels/runs/labels.service.js';
import type { CertificationRecord } from '../registry/certifications/certification.reads.js';
import type { ProductRecord } from '../registry/products/product.service.js';
import type { VerdictFacts } from './verdict.js';

/** Turning the records of a scanned label into the facts decideVerdict() weighs. */

/** The ECDSA check itself: only for labels we do not know or whose fields differ. */
export function signatureVerifies(key: KnownKey, presented: SignedLabel): boolean {
  return verifyCanonical(key, canonicalLabelString(presented), presented.sig);
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
    printedStars: presented.stars,
    batchExpiry: null,
    scans: null,
  };
}

/**
 * Fills in whether the signature and the fields hold for a label we issued. The stored
 * signature stands in for ECDSA when everything matches what we signed.
 */
export function checkSignature(facts: VerdictFacts, key: KnownKey, presented: SignedLabel, label: Label, product: ProductRecord | null, batch: BatchRecord | null): boolean {
  const fieldsMatch = !!product && !!batch && sameFields(presented, label, product, batch);
  facts.signatureValid = (fieldsMatch && label.sig === presented.sig) || signatureVerifies(key, presented);
  facts.label = { status: label.status, fieldsMatch };
  return facts.signatureValid && fieldsMatch && !!product && !!batch;
}

/**
 * The presented fields are the ones we signed, spelled as we printed them: a GTIN
 * product's labels print /01/{gtin}, the others /p/{productId} (a product's GTIN is
 * fixed once it has labels). The stored signature may stand in for ECDSA only then; a
 * label re-spelled under the other form is verified over what it presents, as an
 * offline verifier does (docs/label-format.md §4), and fails there as it does here.
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
