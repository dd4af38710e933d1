import { isDuplicateKeyError } from './db.js';

/**
 * Short append-only lists stored one entry per document, `_id` = `${key}:${n}` for
 * n = 0, 1, 2…: the entries of one key are found by `_id` lookups, the only reads that
 * use an index on FerretDB's SQLite backend (docs/operations.md, "Queries and their
 * indexes"), instead of a query on a field, which there reads the whole collection.
 * Concurrent appends lose nothing: each inserts at the first free position it saw, and
 * a duplicate `_id` sends it one further. Positions fill in order, so the first
 * missing one ends the list. For lists of a few entries per key (a product's
 * certifications).
 */
export type SlotDoc = { _id: string; value: string };

export type SlotStore = {
  read(id: string): Promise<SlotDoc | null>;
  insert(doc: SlotDoc): Promise<unknown>;
};

export const slotId = (key: string, n: number) => `${key}:${n}`;

/** Positions read side by side per round trip: most keys have fewer entries. */
const READ_AHEAD = 4;

/** The key's entries in the order they were appended (an entry appended twice once), and the next free position. */
export async function readSlots(store: SlotStore, key: string): Promise<{ values: string[]; next: number }> {
  const values: string[] = [];
  for (let start = 0; ; start += READ_AHEAD) {
    const docs = await Promise.all(Array.from({ length: READ_AHEAD }, (_, i) => store.read(slotId(key, start + i))));
    for (const [i, doc] of docs.entries()) {
      if (!doc) return { values: [...new Set(values)], next: start + i };
      values.push(doc.value);
    }
  }
}

/** Appends `value` unless the key already holds it. */
export async function appendSlot(store: SlotStore, key: string, value: string): Promise<void> {
  const { values, next } = await readSlots(store, key);
  if (values.includes(value)) return;
  for (let n = next; n < next + 1_000; n++) {
    try {
      await store.insert({ _id: slotId(key, n), value });
      return;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      if ((await store.read(slotId(key, n)))?.value === value) return; // a concurrent append of the same value
    }
  }
  throw new Error(`slots of ${key}: no free position found`);
}
