import { isDuplicateKeyError } from './db.js';

/**
 * Unique keys held by one record each, stored as documents `{ _id: key, value: recordId }`
 * (a product's GTIN, a batch's product and lot): finding the record of a key is then two
 * `_id` lookups, the only reads that use an index on FerretDB's SQLite backend
 * (docs/operations.md, "Queries and their indexes"), instead of a query on a field,
 * which there reads the whole collection. A claim is written before its record; one
 * whose record does not hold the key (never created, or it gave the key up) counts as
 * free. The records' own unique indexes still refuse two records with one key.
 */
export type ClaimDoc = { _id: string; value: string };

export type ClaimStore = {
  read(key: string): Promise<ClaimDoc | null>;
  insert(doc: ClaimDoc): Promise<unknown>;
  /** Writes the claim whether or not it exists (an upsert). */
  set(key: string, value: string): Promise<unknown>;
  remove(key: string): Promise<unknown>;
};

/**
 * Claims `key` for `recordId`: null when it is now this record's, else the id of the
 * record that holds it (`holds` says whether a record holds the key). The holder is
 * answered from the claim read here: read again later, the claim may already name a
 * concurrent request that took it over and then lost.
 */
export async function claimKey(store: ClaimStore, key: string, recordId: string, holds: (recordId: string) => Promise<boolean>): Promise<string | null> {
  try {
    await store.insert({ _id: key, value: recordId });
    return null;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const claim = await store.read(key);
  if (claim && claim.value !== recordId && (await holds(claim.value))) return claim.value;
  // Free (a record that was never made, or let the key go): taken over.
  if (!claim || claim.value !== recordId) await store.set(key, recordId);
  return null;
}

/** The record holding `key`, or null: `load` reads a record and says whether it holds the key. */
export async function holderOf<T>(store: ClaimStore, key: string, load: (recordId: string) => Promise<T | null>): Promise<T | null> {
  const claim = await store.read(key);
  return claim ? load(claim.value) : null;
}

/** Gives `key` up, when `recordId` holds its claim. */
export async function releaseKey(store: ClaimStore, key: string, recordId: string): Promise<void> {
  const claim = await store.read(key);
  if (claim?.value === recordId) await store.remove(key);
}
