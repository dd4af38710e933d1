import mongoose from 'mongoose';
import type { Config } from '../config.js';
import { findBatch, type BatchRecord } from '../batches/batch.service.js';
import type { KnownKey, Keyring } from '../labels/signing/keyring.js';
import type { SignedLabel } from '../labels/format/label-url.js';
import type { LabelRun } from '../labels/runs/issue-run.service.js';
import { findLabel, findLabelRun, type Label } from '../labels/runs/labels.service.js';
import {
  currentCertificationFor,
  findCertification,
  type CertificationRecord,
} from '../registry/certifications/certification.reads.js';
import { findProducer, type ProducerRecord } from '../registry/producers/producer.service.js';
import { findProduct, type ProductRecord } from '../registry/products/product.service.js';
import { batchTimeline, type Timeline } from '../events/timeline/timeline.js';
import { TtlCache, databaseUnavailable } from './cache.js';
import type { ScanRecorder } from './scans/scan-recorder.js';
import { addScan, loadScanStats, scanFigures, type ScanStats } from './scans/scan-stats.js';
import { decideVerdict, type VerdictOutcome, type VerdictFacts } from './verdict.js';
import { certFacts, checkSignature, initialFacts, signatureVerifies } from './verdict-facts.js';

/** Labels are looked up by serial: keep this many in memory (≈ 0.5 KB each). */
const LABEL_CACHE_ENTRIES = 50_000;
/** How long other instances' scans may be missing from a label's scan count. */
const SCAN_STATS_TTL_MS = 5 * 60_000;
/** Products, producers, batches, runs, certifications: far fewer than labels. */
const REGISTRY_CACHE_ENTRIES = 20_000;
/** Least time between two key reloads caused by an unknown key id. */
const UNKNOWN_KID_RELOAD_MS = 5_000;

type Cert = Pick<CertificationRecord, 'stars' | 'score' | 'decisionNumber' | 'authority' | 'decisionDate' | 'validUntil' | 'status'> & { _id: string };

export type Verification = VerdictOutcome & {
  presented: SignedLabel;
  checkedAt: Date;
  /** The database was unreachable: the answer comes from cached data. */
  fromCacheOnly: boolean;
  /** Present only when the label is ours (not forged, not unknown). */
  found?: {
    label: Pick<Label, 'status' | 'issuedAt'> & { serial: string };
    product: ProductRecord;
    producer: ProducerRecord | null;
    batch: BatchRecord;
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
  private readonly labels: TtlCache<string, Label | null>;
  private readonly runs: TtlCache<string, LabelRun | null>;
  private readonly batches: TtlCache<string, BatchRecord | null>;
  private readonly products: TtlCache<string, ProductRecord | null>;
  private readonly producers: TtlCache<string, ProducerRecord | null>;
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
    // This process adds its own scans to the cached figures, so only other instances'
    // scans wait for a reload: a longer period spares the database a sorted read per
    // busy label every cache period (FerretDB sorts in its own process, not by index).
    this.scanStats = new TtlCache({ ttlMs: ttlMs === 0 ? 0 : Math.max(ttlMs, SCAN_STATS_TTL_MS), maxEntries: LABEL_CACHE_ENTRIES, available });
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
    const cached = this.decideFromFreshCache(presented, scan, now);
    if (cached) return cached;
    const base = this.baseOf(presented, now);
    const key = await this.keyFor(presented.kid);
    const facts = initialFacts(presented, key, now);
    if (!key) return answer(base, decideVerdict(facts));

    let label: Label | null;
    try {
      label = await this.labels.get(presented.serial, findLabel);
    } catch (err) {
      // Without the database a bad signature is still a forgery; only a good one needs the label.
      if (!signatureVerifies(key, presented)) return answer(base, decideVerdict(facts));
      throw err;
    }
    if (!label) return this.unknownLabel(base, facts, key, presented);

    const [product, batch] = await Promise.all([
      this.products.get(label.productId, findProduct),
      this.batches.get(label.batchId, findBatch),
    ]);
    if (!checkSignature(facts, key, presented, label, product, batch)) return answer(base, decideVerdict(facts));

    const [run, producer, currentCert, stats, timeline] = await Promise.all([
      this.runs.get(label.runId, findLabelRun),
      this.producers.get(product!.producerId, findProducer),
      this.currentCertifications.get(product!._id, async (id) => (await currentCertificationFor(id)) as Cert | null),
      // Scan counts and the timeline are extras: without them the verdict still stands.
      this.scanStats.get(label._id, loadScanStats).catch(() => null),
      this.timelines.get(batch!._id, batchTimeline).catch(() => null),
    ]);
    const labelCert = run
      ? await this.certifications.get(run.certificationId, findCertification)
      : null;
    return conclude(base, facts, scan, { label, product: product!, batch: batch!, run, producer, currentCert, labelCert, stats, timeline });
  }

  /**
   * The same decision with no promise at all, when every record it needs is cached and
   * fresh (the usual case for a label scanned before); undefined sends the caller to
   * the loading path, which also handles stale entries and an unreachable database.
   */
  private decideFromFreshCache(presented: SignedLabel, scan: ScanContext | null, now: Date): Verification | undefined {
    if (!this.keysLoaded) return undefined;
    this.refreshKeysAhead();
    const key = this.deps.keyring.cachedByShortKid(presented.kid);
    if (!key) return undefined; // unknown ids may need a reload: the loading path decides
    const label = this.labels.peekFresh(presented.serial);
    if (label === undefined) return undefined;
    const base = this.baseOf(presented, now);
    const facts = initialFacts(presented, key, now);
    if (!label) return this.unknownLabel(base, facts, key, presented);

    const product = this.products.peekFresh(label.productId);
    const batch = this.batches.peekFresh(label.batchId);
    if (product === undefined || batch === undefined) return undefined;
    if (!checkSignature(facts, key, presented, label, product, batch)) return answer(base, decideVerdict(facts));

    const run = this.runs.peekFresh(label.runId);
    const producer = this.producers.peekFresh(product!.producerId);
    const currentCert = this.currentCertifications.peekFresh(product!._id);
    const stats = this.scanStats.peekFresh(label._id);
    const timeline = this.timelines.peekFresh(batch!._id);
    if (run === undefined || producer === undefined || currentCert === undefined || stats === undefined || timeline === undefined) return undefined;
    const labelCert = run ? this.certifications.peekFresh(run.certificationId) : null;
    if (labelCert === undefined) return undefined;
    return conclude(base, facts, scan, { label, product: product!, batch: batch!, run, producer, currentCert, labelCert, stats, timeline });
  }

  private baseOf(presented: SignedLabel, now: Date) {
    return { presented, checkedAt: now, fromCacheOnly: !this.databaseAvailable() };
  }

  /** No label with this serial: forged unless the signature verifies, then unknown. */
  private unknownLabel(base: ReturnType<LabelVerifier['baseOf']>, facts: VerdictFacts, key: KnownKey, presented: SignedLabel): Verification {
    facts.signatureValid = signatureVerifies(key, presented);
    return answer(base, decideVerdict(facts));
  }

  /**
   * The key named on the label. The keyring refreshes key statuses in the background
   * once they are older than the cache TTL. A key id we do not know triggers a reload
   * (a key rotated on another instance), at most once per UNKNOWN_KID_RELOAD_MS so that
   * forged labels with random key ids cannot make every request a database read.
   */
  private async keyFor(kid8: string): Promise<KnownKey | undefined> {
    const keyring = this.deps.keyring;
    this.refreshKeysAhead();
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

  /**
   * Refreshes key statuses ahead of their expiry, once, in the background: the keyring
   * would otherwise reload on every request that finds them stale.
   */
  private refreshKeysAhead(): void {
    if (this.keysLoaded && Date.now() - this.lastKeyReload > this.deps.config.cacheTtlMs / 2 && this.databaseAvailable()) {
      this.reloadKeys().catch(() => undefined);
    }
  }

  private reloadKeys(): Promise<void> {
    this.keyReload ??= this.deps.keyring.refresh().finally(() => {
      this.keyReload = null;
      this.lastKeyReload = Date.now();
    });
    return this.keyReload;
  }
}

type Loaded = {
  label: Label;
  product: ProductRecord;
  batch: BatchRecord;
  run: LabelRun | null;
  producer: ProducerRecord | null;
  currentCert: Cert | null;
  labelCert: Cert | null;
  stats: ScanStats | null;
  timeline: Timeline | null;
};

function conclude(base: Omit<Verification, keyof VerdictOutcome>, facts: VerdictFacts, scan: ScanContext | null, r: Loaded): Verification {
  if (r.stats && scan) addScan(r.stats, facts.now, scan.clientHash);
  facts.runState = r.run?.state ?? null;
  facts.labelCertification = r.labelCert ? certFacts(r.labelCert) : null;
  facts.currentCertification = r.currentCert ? certFacts(r.currentCert) : null;
  facts.batchExpiry = r.batch.expiryDate ?? null;
  facts.scans = r.stats ? scanFigures(r.stats, facts.now) : null;
  const outcome = decideVerdict(facts);
  if (outcome.verdict === 'unknown') return answer(base, outcome);
  return answer(base, outcome, {
    label: { serial: r.label._id, status: r.label.status, issuedAt: r.label.issuedAt },
    product: r.product,
    producer: r.producer,
    batch: r.batch,
    certification: r.currentCert ?? r.labelCert,
    labelCertification: r.labelCert,
    scans: r.stats,
    timeline: r.timeline,
  });
}

/** Every Verification is built here, with one shape: the hot path stays monomorphic. */
function answer(base: Omit<Verification, keyof VerdictOutcome | 'found'>, outcome: VerdictOutcome, found?: Verification['found']): Verification {
  return {
    presented: base.presented,
    checkedAt: base.checkedAt,
    fromCacheOnly: base.fromCacheOnly,
    verdict: outcome.verdict,
    reason: outcome.reason,
    warnings: outcome.warnings,
    found,
  };
}
