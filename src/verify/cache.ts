import { serviceUnavailable } from '../errors/app-error.js';

type Entry<V> = { value: V; loadedAt: number; usedAt: number };

/** An entry used within this long is not moved again: eviction order is approximate, lookups cheap. */
const REUSE_MOVE_MS = 1_000;

/**
 * A bounded in-process cache with a staleness bound, for the verification hot path:
 * a fresh entry costs no database round trip. When an entry is older than `ttlMs` it
 * is loaded again (one load per key at a time, however many requests wait for it).
 * When the database cannot be reached, a stale entry is served rather than nothing;
 * a key never loaded then fails with 503 `verify/database_unavailable`.
 *
 * Least-recently-used eviction keeps memory bounded whatever serials people send.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loading = new Map<K, Promise<V>>();

  constructor(
    private readonly opts: {
      ttlMs: number;
      maxEntries: number;
      /** False when the database is known to be unreachable: do not even try. */
      available: () => boolean;
      /** Milliseconds now; tests pass their own clock. */
      clock?: () => number;
    },
  ) {}

  private now(): number {
    return this.opts.clock?.() ?? Date.now();
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    const now = this.now();
    if (entry && now - entry.loadedAt <= this.opts.ttlMs) {
      this.touch(key, entry, now);
      return entry.value;
    }
    if (!this.opts.available()) {
      if (entry) return entry.value;
      throw databaseUnavailable();
    }
    try {
      return await this.loadOnce(key, load);
    } catch (err) {
      if (entry) return entry.value; // the database failed mid-way: stale beats nothing
      throw err;
    }
  }

  /**
   * The cached value when it is fresh, without loading and without a promise
   * (undefined when absent or stale): lets a caller answer synchronously and fall
   * back to `get` otherwise.
   */
  peekFresh(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now - entry.loadedAt > this.opts.ttlMs) return undefined;
    this.touch(key, entry, now);
    return entry.value;
  }

  /** The cached value, fresh or not, without loading (undefined when absent). */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Changes a cached value in place (e.g. a new scan), keeping its age. */
  update(key: K, change: (value: V) => void): void {
    const entry = this.entries.get(key);
    if (entry) change(entry.value);
  }

  private loadOnce(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const p = load(key)
      .then((value) => {
        this.set(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  private set(key: K, value: V): void {
    this.entries.delete(key);
    const now = this.now();
    this.entries.set(key, { value, loadedAt: now, usedAt: now });
    if (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  private touch(key: K, entry: Entry<V>, now: number): void {
    if (now - entry.usedAt < REUSE_MOVE_MS) return;
    entry.usedAt = now;
    // Map keeps insertion order: re-inserting moves the key to the young end.
    this.entries.delete(key);
    this.entries.set(key, entry);
  }
}

export const databaseUnavailable = () =>
  serviceUnavailable(
    'verify/database_unavailable',
    'The label database cannot be reached right now and this label is not in our recent memory. Please scan again in a few minutes.',
  );
