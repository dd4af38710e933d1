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
  latestRevokedCertificationFor,
  type CertificationRecord,
} from '../registry/certifications/certification.reads.js';
import { findProducer, type ProducerRecord } from '../registry/producers/producer.service.js';
import { findProduct, type ProductRecord } from '../registry/products/product.service.js';
import { batchTimeline, type Timeline } from '../events/timeline/timeline.js';
import { onChange, type Heard } from '../changes/changes.service.js';
import { TtlCache, databaseUnavailable } from './cache.js';
import { all, andThen, orNull, runSteps, wait, type MaybePromise, type Steps } from './maybe-async.js';
import type { ScanClient, ScanRecorder } from './scans/scan-recorder.js';
import { scanFigures, type Figures } from './scans/scan-figures.js';
import type { ScanTallies } from './scans/scan-tallies.js';
import { decideVerdict, type VerdictOutcome, type VerdictFacts } from './verdict.js';
import { scanRecordOf } from './scans/scan-record.js';
import { certFacts, initialFacts, labelFacts, SignatureCheck } from './verdict-facts.js';

/** Labels are looked up by serial: keep this many in memory (≈ 0.5 KB each). */
const LABEL_CACHE_ENTRIES = 50_000;
/** Products, producers, batches, runs, certifications: far fewer than labels. */
const REGISTRY_CACHE_ENTRIES = 20_000;

type Cert = Pick<
  CertificationRecord,
  'stars' | 'score' | 'decisionNumber' | 'authority' | 'decisionDate' | 'validUntil' | 'status' | 'statusChangedAt' | 'statusReason'
> & { _id: string };

export type Verification = VerdictOutcome & {
  presented: SignedLabel;
  checkedAt: Date;
  /** The database was unreachable: the answer comes from cached data. */
  fromCacheOnly: boolean;
  /** Present only when the label is ours (not forged, not unknown). */
  found?: {
    /** statusChangedAt / statusReason: when and why a void or revoked label was taken out of use. */
    label: Pick<Label, 'status' | 'issuedAt' | 'statusChangedAt' | 'statusReason'> & { serial: string };
    /** The label's print run; revokedAt / revokedReason say when and why a revoked run was. */
    run: Pick<LabelRun, 'state' | 'revokedAt' | 'revokedReason'> | null;
    /** When the key that signed the label was revoked (null unless it was). */
    keyRevokedAt: Date | null;
    product: ProductRecord;
    producer: ProducerRecord | null;
    batch: BatchRecord;
    /**
     * The certificate the verdict is about: the revoked decision when the verdict is a
     * revoked certification, else the product's current one, else the label's own.
     */
    certification: Cert | null;
    labelCertification: Cert | null;
    scans: Figures | null;
    /** The batch's value-chain events; null when they could not be read. */
    timeline: Timeline | null;
  };
};

/** Who scanned (salted hashes, see ScanRecorder.clientOf) and the commune code they sent. */
export type ScanContext = ScanClient & { place: string | null };

/**
 * Verifies label URLs with no database round trip on the hot path: everything is
 * read through bounded caches (staleness ≤ CACHE_TTL_MS). The signature is verified
 * over what the label presents, as an offline verifier does (docs/label-format.md §4):
 * ECDSA runs once per label and presentation, then the result is remembered.
 *
 * The decision is written once (`decide`) over lookups that answer with a plain value
 * when their cache can (the keyring's statuses, fresh entries) and a promise when
 * something must be loaded: a label scanned before is decided with no promise at all.
 */
export class LabelVerifier {
  private readonly labels: TtlCache<string, Label | null>;
  private readonly runs: TtlCache<string, LabelRun | null>;
  private readonly batches: TtlCache<string, BatchRecord | null>;
  private readonly products: TtlCache<string, ProductRecord | null>;
  private readonly producers: TtlCache<string, ProducerRecord | null>;
  private readonly certifications: TtlCache<string, Cert | null>;
  private readonly currentCertifications: TtlCache<string, Cert | null>;
  private readonly revokedCertifications: TtlCache<string, Cert | null>;
  private readonly tallies: ScanTallies;
  private readonly timelines: TtlCache<string, Timeline>;
  private readonly signatures = new SignatureCheck(LABEL_CACHE_ENTRIES);
  /** Verdicts given so far, by verdict (a plain count: the metrics read it when scraped). */
  readonly verdicts: Record<string, number> = {};

  constructor(
    private readonly deps: { config: Config; keyring: Keyring; scans: ScanRecorder },
    readonly databaseAvailable: () => boolean = () => mongoose.connection.readyState === 1,
  ) {
    const ttlMs = deps.config.cacheTtlMs;
    const available = databaseAvailable;
    this.labels = new TtlCache({ ttlMs, maxEntries: LABEL_CACHE_ENTRIES, available });
    this.tallies = deps.scans.tallies;
    const small = { ttlMs, maxEntries: REGISTRY_CACHE_ENTRIES, available };
    // A run still being issued becomes `issued` within seconds: read it again on each scan
    // until then, so its labels read genuine as soon as the run completes, not a TTL later.
    this.runs = new TtlCache({ ...small, keep: (run) => run?.state !== 'pending' });
    this.batches = new TtlCache(small);
    this.products = new TtlCache(small);
    this.producers = new TtlCache(small);
    this.certifications = new TtlCache(small);
    this.currentCertifications = new TtlCache(small);
    this.revokedCertifications = new TtlCache(small);
    this.timelines = new TtlCache(small);
    // Revocations, voids, certification and registry changes: dropped as soon as this instance hears of them (src/changes/).
    onChange((change) => this.forget(change));
  }

  /** Cache hits and misses per cache, for the metrics. */
  get cacheCounts(): Record<string, { hits: number; misses: number }> {
    return {
      labels: this.labels.counts,
      runs: this.runs.counts,
      batches: this.batches.counts,
      products: this.products.counts,
      producers: this.producers.counts,
      certifications: this.certifications.counts,
      current_certifications: this.currentCertifications.counts,
      revoked_certifications: this.revokedCertifications.counts,
      timelines: this.timelines.counts,
    };
  }

  private forget(change: Heard): void {
    switch (change.kind) {
      case 'label':
        return this.labels.drop(change.id);
      case 'run':
        return this.runs.drop(change.id);
      case 'certification':
        this.certifications.drop(change.id);
        if (change.productId) {
          this.currentCertifications.drop(change.productId);
          this.revokedCertifications.drop(change.productId);
        }
        return;
      case 'product':
        return this.products.drop(change.id);
      case 'producer':
        return this.producers.drop(change.id);
      case 'batch':
        this.batches.drop(change.id);
        return this.timelines.drop(change.id);
      case 'key':
        return; // the keyring hears it itself
      case 'everything':
        for (const cache of [this.labels, this.runs, this.batches, this.products, this.producers, this.certifications]) cache.clear();
        for (const cache of [this.currentCertifications, this.revokedCertifications, this.timelines]) cache.clear();
    }
  }

  /**
   * Verifies a parsed label and, when `scan` is given, records this scan. A plain
   * value when everything needed was in memory, else a promise.
   */
  verify(presented: SignedLabel, scan: ScanContext | null, now = new Date()): MaybePromise<Verification> {
    return andThen(runSteps(this.decide(presented, scan, now)), (result) => {
      this.verdicts[result.verdict] = (this.verdicts[result.verdict] ?? 0) + 1;
      if (scan) {
        const { record, province, clone } = scanRecordOf(presented, result, scan, now);
        this.deps.scans.record(record, { province, clone });
      }
      return result;
    });
  }

  private *decide(presented: SignedLabel, scan: ScanContext | null, now: Date): Steps<Verification> {
    const base = this.baseOf(presented, now);
    let key: KnownKey | undefined;
    try {
      key = yield* wait(this.deps.keyring.keyForLabel(presented.kid));
    } catch {
      throw databaseUnavailable(); // statuses never read, and they cannot be now
    }
    const facts = initialFacts(presented, key, now);
    if (!key) return answer(base, decideVerdict(facts));

    let label: Label | null;
    try {
      label = yield* wait(this.labels.lookup(presented.serial, findLabel));
    } catch (err) {
      // Without the database a bad signature is still a forgery; only a good one needs the label.
      if (!this.signatures.verifies(key, presented)) return answer(base, decideVerdict(facts));
      throw err;
    }
    if (!label) return this.unknownLabel(base, facts, key, presented);

    const [product, batch] = yield* wait(all([this.products.lookup(label.productId, findProduct), this.batches.lookup(label.batchId, findBatch)]));
    if (!labelFacts(facts, () => this.signatures.verifies(key, presented), presented, label, product, batch)) return answer(base, decideVerdict(facts));

    const [run, producer, currentCert, stats, timeline] = yield* wait(
      all([
        this.runs.lookup(label.runId, findLabelRun),
        this.producers.lookup(product!.producerId, findProducer),
        this.currentCertifications.lookup(product!._id, findCurrentCert),
        // Scan counts and the timeline are extras: without them the verdict still stands.
        orNull(this.tallies.lookup(label._id)),
        orNull(this.timelines.lookup(batch!._id, batchTimeline)),
      ]),
    );
    const labelCert = run ? yield* wait(this.certifications.lookup(run.certificationId, findCertification)) : null;
    // Read only when nothing is in force (never on a genuine label's path): was the rating taken away?
    const revokedCert = currentCert ? null : yield* wait(this.revokedCertifications.lookup(product!._id, findRevokedCert));
    if (scan) this.tallies.add(label._id, { time: now.getTime(), browser: scan.browser, network: scan.network, place: scan.place });
    const figures = stats ? this.tallies.view(label._id) : null;
    return conclude(base, facts, { label, key, product: product!, batch: batch!, run, producer, currentCert, labelCert, revokedCert, figures, timeline });
  }

  private baseOf(presented: SignedLabel, now: Date) {
    return { presented, checkedAt: now, fromCacheOnly: !this.databaseAvailable() };
  }

  /** No label with this serial: forged unless the signature verifies, then unknown. */
  private unknownLabel(base: ReturnType<LabelVerifier['baseOf']>, facts: VerdictFacts, key: KnownKey, presented: SignedLabel): Verification {
    facts.signatureValid = this.signatures.verifies(key, presented);
    return answer(base, decideVerdict(facts));
  }
}

const findCurrentCert = async (productId: string) => (await currentCertificationFor(productId)) as Cert | null;
const findRevokedCert = async (productId: string) => (await latestRevokedCertificationFor(productId)) as Cert | null;

type Loaded = {
  label: Label;
  key: KnownKey;
  product: ProductRecord;
  batch: BatchRecord;
  run: LabelRun | null;
  producer: ProducerRecord | null;
  currentCert: Cert | null;
  labelCert: Cert | null;
  /** The product's newest revoked decision, when none is in force. */
  revokedCert: Cert | null;
  /** The label's scan figures, this scan included. */
  figures: Figures | null;
  timeline: Timeline | null;
};

function conclude(base: Omit<Verification, keyof VerdictOutcome>, facts: VerdictFacts, r: Loaded): Verification {
  facts.runState = r.run?.state ?? null;
  facts.labelCertification = r.labelCert ? certFacts(r.labelCert) : null;
  facts.currentCertification = r.currentCert ? certFacts(r.currentCert) : null;
  facts.revokedDecision = r.revokedCert ? certFacts(r.revokedCert) : null;
  facts.batchExpiry = r.batch.expiryDate ?? null;
  facts.scans = r.figures ? scanFigures(r.figures, facts.now) : null;
  const outcome = decideVerdict(facts);
  if (outcome.verdict === 'unknown') return answer(base, outcome);
  return answer(base, outcome, {
    label: {
      serial: r.label._id,
      status: r.label.status,
      issuedAt: r.label.issuedAt,
      statusChangedAt: r.label.statusChangedAt ?? null,
      statusReason: r.label.statusReason ?? null,
    },
    run: r.run ? { state: r.run.state, revokedAt: r.run.revokedAt ?? null, revokedReason: r.run.revokedReason ?? null } : null,
    keyRevokedAt: r.key.status === 'revoked' ? r.key.revokedAt : null,
    product: r.product,
    producer: r.producer,
    batch: r.batch,
    certification: certificateInQuestion(outcome, r),
    labelCertification: r.labelCert,
    scans: r.figures,
    timeline: r.timeline,
  });
}

/** The certificate a revoked-certification verdict is about is the revoked one, never a superseded one beside it. */
function certificateInQuestion(outcome: VerdictOutcome, r: Loaded): Cert | null {
  if (outcome.reason === 'certification_revoked') return r.labelCert?.status === 'revoked' ? r.labelCert : r.revokedCert;
  return r.currentCert ?? r.labelCert;
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
