import mongoose from 'mongoose';
import type { Config } from '../config.js';
import { BatchModel, type BatchDoc } from '../batches/batch.model.js';
import { verifyCanonical } from '../labels/keys.js';
import type { KnownKey, Keyring } from '../labels/keyring.js';
import { canonicalLabelString, type SignedLabel } from '../labels/label-url.js';
import { LabelModel, LabelRunModel, type LabelDoc, type LabelRunDoc } from '../labels/label.model.js';
import { CertificationModel, type CertificationDoc } from '../registry/certification.model.js';
import { currentCertificationFor } from '../registry/certification.service.js';
import { ProducerModel, type ProducerDoc } from '../registry/producer.model.js';
import { ProductModel, type ProductDoc } from '../registry/product.model.js';
import { batchTimeline, type Timeline } from '../events/timeline.js';
import { TtlCache, databaseUnavailable } from './cache.js';
import type { ScanRecorder } from './scan-recorder.js';
import { addScan, loadScanStats, scanFigures, type ScanStats } from './scan-stats.js';
import { decideVerdict, type VerdictOutcome, type VerdictFacts } from './verdict.js';

/** Labels are looked up by serial: keep this many in memory (≈ 0.5 KB each). */
const LABEL_CACHE_ENTRIES = 50_000;
/** Products, producers, batches, runs, certifications: far fewer than labels. */
const REGISTRY_CACHE_ENTRIES = 20_000;
/** Least time between two key reloads caused by an unknown key id. */
const UNKNOWN_KID_RELOAD_MS = 5_000;

type Cert = Pick<CertificationDoc, 'stars' | 'score' | 'decisionNumber' | 'authority' | 'decisionDate' | 'validUntil' | 'status'> & { _id: string };

export type Verification = VerdictOutcome & {
  presented: SignedLabel;
  checkedAt: Date;
  /** The database was unreachable: the answer comes from cached data. */
  fromCacheOnly: boolean;
  /** Present only when the label is ours (not forged, not unknown). */
  found?: {
    label: Pick<LabelDoc, 'status' | 'issuedAt'> & { serial: string };
    product: ProductDoc;
    producer: ProducerDoc | null;
    batch: BatchDoc;
    /** The product's current certification, or the label's own when none is in force. */
    certification: Cert | null;
    labelCertification: Cert | null;
    scans: ScanStats | null;
    /** The batch's value-chain events; null when they could not be read. */
    timeline: Timeline | null;
  };
};

export type ScanContext = { clientHash: string; place: string | null };

/**
 * Verifies label URLs with no database round trip on the hot path: everything is
 * read through bounded caches (staleness ≤ CACHE_TTL_MS). A label we know is checked
 * by comparing its stored signature with the presented one; ECDSA runs only for
 * labels we do not know or whose fields or signature differ from what we issued.
 */
export class LabelVerifier {
  private readonly labels: TtlCache<string, LabelDoc | null>;
  private readonly runs: TtlCache<string, LabelRunDoc | null>;
  private readonly batches: TtlCache<string, BatchDoc | null>;
  private readonly products: TtlCache<string, ProductDoc | null>;
  private readonly producers: TtlCache<string, ProducerDoc | null>;
  private readonly certifications: TtlCache<string, Cert | null>;
  private readonly currentCertifications: TtlCache<string, Cert | null>;
  private readonly scanStats: TtlCache<string, ScanStats>;
  private readonly timelines: TtlCache<string, Timeline>;
  private keysLoaded = false;
  private lastKeyReload = 0;
  private keyReload: Promise<void> | null = null;

  constructor(
    private readonly deps: { config: Config; keyring: Keyring; scans: ScanRecorder },
    readonly databaseAvailable: () => boolean = () => mongoose.connection.readyState === 1,
  ) {
    const ttlMs = deps.config.cacheTtlMs;
    const available = databaseAvailable;
    this.labels = new TtlCache({ ttlMs, maxEntries: LABEL_CACHE_ENTRIES, available });
    this.scanStats = new TtlCache({ ttlMs, maxEntries: LABEL_CACHE_ENTRIES, available });
    const small = { ttlMs, maxEntries: REGISTRY_CACHE_ENTRIES, available };
    this.runs = new TtlCache(small);
    this.batches = new TtlCache(small);
    this.products = new TtlCache(small);
    this.producers = new TtlCache(small);
    this.certifications = new TtlCache(small);
    this.currentCertifications = new TtlCache(small);
    this.timelines = new TtlCache(small);
  }

  /** Verifies a parsed label and, when `scan` is given, records this scan. */
  async verify(presented: SignedLabel, scan: ScanContext | null, now = new Date()): Promise<Verification> {
    const result = await this.decide(presented, scan, now);
    if (scan) {
      this.deps.scans.record({ serial: presented.serial, time: now, place: scan.place, clientHash: scan.clientHash, verdict: result.verdict });
    }
    return result;
  }

  private async decide(presented: SignedLabel, scan: ScanContext | null, now: Date): Promise<Verification> {
    const base = { presented, checkedAt: now, fromCacheOnly: !this.databaseAvailable() };
    const key = await this.keyFor(presented.kid);
    const facts: VerdictFacts = {
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
    if (!key) return { ...base, ...decideVerdict(facts) };

    const canonical = canonicalLabelString(presented);
    let label: LabelDoc | null;
    try {
      label = await this.labels.get(presented.serial, (serial) => LabelModel.findById(serial).lean<LabelDoc>().exec());
    } catch (err) {
      // Without the database a bad signature is still a forgery; only a good one needs the label.
      if (!verifyCanonical(key, canonical, presented.sig)) return { ...base, ...decideVerdict(facts) };
      throw err;
    }
    if (!label) {
      facts.signatureValid = verifyCanonical(key, canonical, presented.sig);
      return { ...base, ...decideVerdict(facts) };
    }

    const [product, batch] = await Promise.all([
      this.products.get(label.productId, (id) => ProductModel.findById(id).lean<ProductDoc>().exec()),
      this.batches.get(label.batchId, (id) => BatchModel.findById(id).lean<BatchDoc>().exec()),
    ]);
    const fieldsMatch = !!product && !!batch && sameFields(presented, label, product, batch);
    facts.signatureValid = (fieldsMatch && label.sig === presented.sig) || verifyCanonical(key, canonical, presented.sig);
    facts.label = { status: label.status, fieldsMatch };
    if (!facts.signatureValid || !fieldsMatch || !product || !batch) return { ...base, ...decideVerdict(facts) };

    const [run, producer, currentCert, stats, timeline] = await Promise.all([
      this.runs.get(label.runId, (id) => LabelRunModel.findById(id).lean<LabelRunDoc>().exec()),
      this.producers.get(product.producerId, (id) => ProducerModel.findById(id).lean<ProducerDoc>().exec()),
      this.currentCertifications.get(product._id, async (id) => (await currentCertificationFor(id)) as Cert | null),
      // Scan counts and the timeline are extras: without them the verdict still stands.
      this.scanStats.get(label._id, loadScanStats).catch(() => null),
      this.timelines.get(batch._id, batchTimeline).catch(() => null),
    ]);
    const labelCert = run
      ? await this.certifications.get(run.certificationId, (id) => CertificationModel.findById(id).lean<Cert>().exec())
      : null;
    if (stats && scan) addScan(stats, now, scan.clientHash);

    facts.runState = run?.state ?? null;
    facts.labelCertification = labelCert ? certFacts(labelCert) : null;
    facts.currentCertification = currentCert ? certFacts(currentCert) : null;
    facts.batchExpiry = batch.expiryDate ?? null;
    facts.scans = stats ? scanFigures(stats, now) : null;
    const outcome = decideVerdict(facts);
    if (outcome.verdict === 'unknown') return { ...base, ...outcome };
    return {
      ...base,
      ...outcome,
      found: {
        label: { serial: label._id, status: label.status, issuedAt: label.issuedAt },
        product,
        producer,
        batch,
        certification: currentCert ?? labelCert,
        labelCertification: labelCert,
        scans: stats,
        timeline,
      },
    };
  }

  /**
   * The key named on the label. The keyring refreshes key statuses in the background
   * once they are older than the cache TTL. A key id we do not know triggers a reload
   * (a key rotated on another instance), at most once per UNKNOWN_KID_RELOAD_MS so that
   * forged labels with random key ids cannot make every request a database read.
   */
  private async keyFor(kid8: string): Promise<KnownKey | undefined> {
    const keyring = this.deps.keyring;
    // Refresh statuses ahead of their expiry, once, in the background: the keyring
    // would otherwise reload on every request that finds them stale.
    if (this.keysLoaded && Date.now() - this.lastKeyReload > this.deps.config.cacheTtlMs / 2 && this.databaseAvailable()) {
      this.reloadKeys().catch(() => undefined);
    }
    const cached = keyring.cachedByShortKid(kid8);
    if (cached) {
      this.keysLoaded = true; // the keyring holds statuses: unknown ids can be answered from it
      return cached;
    }
    if (this.keysLoaded && (!this.databaseAvailable() || Date.now() - this.lastKeyReload < UNKNOWN_KID_RELOAD_MS)) return undefined;
    if (!this.databaseAvailable()) throw databaseUnavailable();
    try {
      await this.reloadKeys();
    } catch {
      if (!this.keysLoaded) throw databaseUnavailable();
      return undefined;
    }
    this.keysLoaded = true;
    return keyring.cachedByShortKid(kid8);
  }

  private reloadKeys(): Promise<void> {
    this.keyReload ??= this.deps.keyring.refresh().finally(() => {
      this.keyReload = null;
      this.lastKeyReload = Date.now();
    });
    return this.keyReload;
  }
}

function sameFields(p: SignedLabel, label: LabelDoc, product: ProductDoc, batch: BatchDoc): boolean {
  const productMatches = p.product.kind === 'gtin' ? product.gtin === p.product.gtin : p.product.productId === label.productId;
  return (
    productMatches &&
    batch.lotCode === p.lot &&
    label.stars === p.stars &&
    label.validUntil === p.validUntil &&
    label.kid === p.kid
  );
}

function certFacts(c: Cert) {
  return { id: c._id, stars: c.stars, status: c.status, validUntil: c.validUntil };
}
