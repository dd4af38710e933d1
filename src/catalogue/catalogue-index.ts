import { foldForSearch } from '../registry/text-search.js';
import { productSummaries } from '../registry/products/product.service.js';
import { producerSummaries, type ProducerSummary } from '../registry/producers/producer.service.js';
import { currentCertificationSummaries } from '../registry/certifications/certification.reads.js';
import { sortEntries, type CatalogueEntry, type SortedEntries } from './catalogue-search.js';

/**
 * The whole public registry in memory, one small entry per product, read again once it
 * is older than `ttlMs`: the search pages, the search JSON and the open-data downloads
 * answer from it without a database round trip.
 *
 * Why not a query per request: measured by scripts/bench/registry-pages.ts on a shared
 * 2-core machine (figures in docs/operations.md, "Benchmarks"), the products API's
 * `listProducts` on FerretDB 1.24 (PostgreSQL) took 0.6–1.9 s per call with 2,000
 * products and 9–46 s with 20,000 (FerretDB 1.x pushes few filters down to
 * PostgreSQL: it reads the documents and filters them itself); searching 20,000 entries here takes 0.2–1 ms.
 *
 * Staleness: an entry is at most `ttlMs` old (app.ts: 10 × CACHE_TTL_MS, 5 minutes),
 * or up to 2 × `ttlMs` while a reload runs in the background (the first request after
 * `ttlMs` starts it and is answered from the old index; a request after 2 × `ttlMs`
 * waits for the new one). One load at a time. When a reload fails, the old index keeps
 * answering. A load reads three cursors (producers, current certifications, products),
 * a few fields each: an entry is a few hundred bytes, never a full document.
 */
export type CatalogueSnapshot = {
  /** By product id (the open-data order). */
  entries: readonly CatalogueEntry[];
  /** The same in each order a search may ask for. */
  sorted: SortedEntries;
  byId: ReadonlyMap<string, CatalogueEntry>;
  loadedAt: Date;
};

/**
 * After a failed first load, requests fail with that error for this long instead of each
 * starting another read of the whole registry on a database that is already struggling.
 */
const RETRY_AFTER_FAILURE_MS = 2_000;

export class CatalogueIndex {
  private snapshot: CatalogueSnapshot | null = null;
  private loading: Promise<CatalogueSnapshot> | null = null;
  private failure: { at: number; error: unknown } | null = null;

  constructor(
    private readonly opts: {
      ttlMs: number;
      /** Milliseconds now; tests pass their own clock. */
      clock?: () => number;
      /** Reads the registry; tests pass their own. */
      load?: (now: Date) => Promise<CatalogueSnapshot>;
    },
  ) {}

  private now(): number {
    return this.opts.clock?.() ?? Date.now();
  }

  /** The index, loading it first when it is missing or too old (see the staleness rule above). */
  async current(): Promise<CatalogueSnapshot> {
    const snap = this.snapshot;
    if (snap) {
      const age = this.now() - snap.loadedAt.getTime();
      if (age <= this.opts.ttlMs) return snap;
      if (age <= 2 * this.opts.ttlMs) {
        this.reload().catch(() => undefined); // served stale meanwhile; a failure keeps the old one
        return snap;
      }
    }
    if (!snap && !this.loading && this.failure && this.now() - this.failure.at < RETRY_AFTER_FAILURE_MS) throw this.failure.error;
    try {
      return await this.reload();
    } catch (err) {
      if (snap) return snap; // the database failed: an old registry beats none
      throw err;
    }
  }

  private reload(): Promise<CatalogueSnapshot> {
    this.loading ??= (this.opts.load ?? loadSnapshot)(new Date(this.now()))
      .then((s) => {
        this.failure = null;
        return (this.snapshot = s);
      })
      .catch((error: unknown) => {
        this.failure = { at: this.now(), error };
        throw error;
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }
}

async function loadSnapshot(now: Date): Promise<CatalogueSnapshot> {
  const producers = new Map<string, ProducerSummary>();
  for await (const p of producerSummaries()) producers.set(p._id, p);
  const certs = await currentCertificationSummaries(now);
  const entries: CatalogueEntry[] = [];
  for await (const p of productSummaries()) {
    const producer = producers.get(p.producerId);
    if (!producer) continue; // a product always has its producer; a half-written one is not listed
    const cert = certs.get(p._id);
    const vi = foldForSearch(p.name.vi);
    const en = p.name.en ? foldForSearch(p.name.en) : '';
    entries.push({
      id: p._id,
      name: { vi: p.name.vi, en: p.name.en ?? null },
      folded: { vi, en, all: `${vi} ${en}`.trim() },
      group: p.group,
      groupListVersion: p.groupListVersion,
      gtin: p.gtin ?? null,
      photoId: p.photo?.id ?? null,
      producerId: producer._id,
      producerName: producer.name,
      producerKind: producer.kind,
      provinceCode: producer.address.provinceCode,
      communeCode: producer.address.communeCode,
      stars: cert?.stars ?? null,
      status: cert?.status ?? 'none',
      certificateNumber: cert?.decisionNumber ?? null,
      decisionDate: cert?.decisionDate ?? null,
      validUntil: cert?.validUntil ?? null,
      createdAt: p.createdAt,
    });
  }
  return { entries, sorted: sortEntries(entries), byId: new Map(entries.map((e) => [e.id, e])), loadedAt: now };
}
