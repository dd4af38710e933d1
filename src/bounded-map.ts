type Slot<V> = { value: V; tick: number };

/**
 * A map that never holds more than `maxEntries` keys, for every in-process cache and
 * memo: whatever keys people send (serials, headers, batches), memory stays bounded.
 *
 * Eviction is least-recently-used, approximately, so that a lookup stays cheap: a Map
 * keeps insertion order, so the oldest key is the first one, and a used key is moved to
 * the young end by deleting and re-inserting it. Moving on every read would cost two
 * hash operations per hit; instead a key is moved only once it has drifted into the
 * older half (more than maxEntries / 2 insertions or moves since its own). So a key
 * read is kept for at least maxEntries / 2 further insertions, and a hot key costs a
 * plain lookup almost every time.
 */
export class BoundedMap<K, V> {
  private readonly slots = new Map<K, Slot<V>>();
  /** Counts insertions and moves: a slot's tick says how far from the young end it may be. */
  private tick = 0;
  private readonly halfLife: number;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    this.halfLife = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this.slots.size;
  }

  /** The value, counting as a use (undefined when absent). */
  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (this.tick - slot.tick >= this.halfLife) {
      this.slots.delete(key);
      slot.tick = ++this.tick;
      this.slots.set(key, slot);
    }
    return slot.value;
  }

  /** The value without counting as a use. */
  peek(key: K): V | undefined {
    return this.slots.get(key)?.value;
  }

  has(key: K): boolean {
    return this.slots.has(key);
  }

  /** Stores a value as the youngest key, evicting the oldest when the bound is reached. */
  set(key: K, value: V): void {
    this.slots.delete(key);
    this.slots.set(key, { value, tick: ++this.tick });
    if (this.slots.size > this.maxEntries) {
      const oldest = this.slots.keys().next();
      if (!oldest.done) this.slots.delete(oldest.value);
    }
  }

  /** The value of `key`, computing and storing it the first time (a memo). */
  remember(key: K, compute: (key: K) => V): V {
    const known = this.get(key);
    if (known !== undefined || this.slots.has(key)) return known as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    return this.slots.delete(key);
  }

  clear(): void {
    this.slots.clear();
  }
}
