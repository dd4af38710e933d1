import { BoundedMap } from '../bounded-map.js';
import { serviceUnavailable } from '../errors/app-error.js';
import type { MaybePromise } from './maybe-async.js';

type Entry<V> = { value: V; loadedAt: number };

/**
 * An in-process cache with a staleness bound, for the verification hot path: a fresh
 * entry costs no database round trip. When an entry is older than `ttlMs` it is loaded
 * again (one load per key at a time, however many requests wait for it). When the
 * database cannot be reached, a stale entry is served rather than nothing; a key never
 * loaded then fails with 503 `verify/database_unavailable`.
 *
 * The entries sit in a BoundedMap (least recently used evicted), so memory stays bounded
 * whatever serials people send.
 */
export class TtlCache<K, V> {
  private readonly entries: BoundedMap<K, Entry<V>>;
  /** Loads in flight: as many as requests wait on at once, gone when they settle. */
  private readonly loading = new Map<K, Promise<V>>();
  /** Bumped by every drop: a load that started before one may have read the old value, so it is not kept. */
  private epoch = 0;
  /** Lookups answered from memory, and those that had to load: the metrics' hit rate. */
  readonly counts = { hits: 0, misses: 0 };

  constructor(
    private readonly opts: {
      ttlMs: number;
      maxEntries: number;
      /** False when the database is known to be unreachable: do not even try. */
      available: () => boolean;
      /** Milliseconds now; tests pass their own clock. */
      clock?: () => number;
      /**
       * False for a value that is about to change and must be read again on the next
       * lookup instead of being kept for ttlMs (a label run still being issued).
       */
      keep?: (value: V) => boolean;
    },
  ) {
    this.entries = new BoundedMap(opts.maxEntries);
  }

  private now(): number {
    return this.opts.clock?.() ?? Date.now();
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The value as a plain value when it can be answered without loading (a fresh entry,
   * or a stale one while the database is unreachable), else a promise of it: the
   * caller stays synchronous on the warm path (see maybe-async.ts).
   */
  lookup(key: K, load: (key: K) => Promise<V>): MaybePromise<V> {
    const entry = this.entries.get(key);
    if (entry !== undefined && (this.now() - entry.loadedAt <= this.opts.ttlMs || !this.opts.available())) {
      this.counts.hits += 1;
      return entry.value;
    }
    this.counts.misses += 1;
    return this.loadOrStale(key, entry, load);
  }

  /** The same as a promise, always. */
  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    return this.lookup(key, load);
  }

  /** The cached value when it is fresh, without loading (undefined when absent or stale). */
  peekFresh(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || this.now() - entry.loadedAt > this.opts.ttlMs) return undefined;
    return entry.value;
  }

  /** The cached value, fresh or not, without loading (undefined when absent). */
  peek(key: K): V | undefined {
    return this.entries.peek(key)?.value;
  }

  /** Forgets `key` (a change feed record named it): the next lookup reads it again. */
  drop(key: K): void {
    this.epoch += 1;
    this.entries.delete(key);
    this.loading.delete(key);
  }

  /** Forgets everything (changes may have been missed). */
  clear(): void {
    this.epoch += 1;
    this.entries.clear();
    this.loading.clear();
  }

  private async loadOrStale(key: K, entry: Entry<V> | undefined, load: (key: K) => Promise<V>): Promise<V> {
    if (!this.opts.available()) throw databaseUnavailable(); // (a stale entry was answered by lookup)
    try {
      return await this.loadOnce(key, load);
    } catch (err) {
      if (entry) return entry.value; // the database failed mid-way: stale beats nothing
      throw err;
    }
  }

  private loadOnce(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const epoch = this.epoch;
    const p = load(key)
      .then((value) => {
        if (epoch !== this.epoch || this.opts.keep?.(value) === false) this.entries.delete(key);
        else this.entries.set(key, { value, loadedAt: this.now() });
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === p) this.loading.delete(key);
      });
    this.loading.set(key, p);
    return p;
  }
}

export const databaseUnavailable = () =>
  serviceUnavailable(
    'verify/database_unavailable',
    'The label database cannot be reached right now and this label is not in our recent memory. Please scan again in a few minutes.',
  );
