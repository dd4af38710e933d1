import type mongoose from 'mongoose';
import { noScans, type Figures } from './scan-figures.js';
import { ScanTallyModel, tallyId, type ScanTallyDoc } from './scan-tally.model.js';

/** The database side of scan tallies: finding a label's newest version, inserting the next ones. */

/** FerretDB 1.24 hangs on bulk writes of 100 updates or more (FERRETDB.md). */
const UPDATE_CHUNK = 32;

/** A label's scan figures as of one version (0: never scanned). */
export type Tally = Figures & { version: number };

/**
 * The newest version of a label's tally, by `_id` lookups only: from `from` (or the
 * head, or nothing) probe 1, 2, 4 … versions ahead until one is missing, then halve the
 * gap. Versions are written one after another with no gaps, so this finds the newest in
 * about 2·log2(distance) lookups; a refresh where nothing changed is one lookup.
 */
export async function newestFrom(serial: string, from: Tally | null): Promise<Tally> {
  let low = from;
  if (!low) {
    const [head, first] = await Promise.all([
      ScanTallyModel.findById(serial).lean<ScanTallyDoc>(),
      ScanTallyModel.findById(tallyId(serial, 1)).lean<ScanTallyDoc>(),
    ]);
    if (!first) return { ...noScans(), version: 0 };
    low = tallyOf(head && head.version > first.version ? head : first);
  }
  let step = 1;
  let missing: number;
  for (;;) {
    const doc = await ScanTallyModel.findById(tallyId(serial, low.version + step)).lean<ScanTallyDoc>();
    if (!doc) {
      missing = low.version + step;
      break;
    }
    low = tallyOf(doc);
    step *= 2;
  }
  while (missing - low.version > 1) {
    const middle = Math.floor((low.version + missing) / 2);
    const doc = await ScanTallyModel.findById(tallyId(serial, middle)).lean<ScanTallyDoc>();
    if (doc) low = tallyOf(doc);
    else missing = middle;
  }
  return low;
}

/** One version of a label's tally (null when it is not there). */
export async function readVersion(serial: string, version: number): Promise<Tally | null> {
  const doc = await (ScanTallyModel.collection as unknown as mongoose.mongo.Collection<ScanTallyDoc>).findOne({ _id: tallyId(serial, version) });
  return doc ? tallyOf(doc) : null;
}

export function tallyOf(doc: ScanTallyDoc): Tally {
  return {
    version: doc.version,
    total: doc.total,
    firstAt: doc.firstAt ?? null,
    window: doc.window.map((w) => ({ c: w.c, at: w.at })),
    windowNetworks: doc.windowNetworks.map((w) => ({ n: w.n, at: w.at })),
    browsers: [...doc.browsers],
    networks: [...doc.networks],
    places: doc.places.map((p) => ({ p: p.p, n: p.n })),
  };
}

/** Inserts new versions; answers the positions another writer took first (duplicate `_id`). */
export async function insertNew(docs: ScanTallyDoc[]): Promise<Set<number>> {
  try {
    // The driver's own insert: the documents are plain already, and casting thousands a second costs CPU on the page's process.
    await (ScanTallyModel.collection as unknown as mongoose.mongo.Collection<ScanTallyDoc>).insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const duplicates = duplicatePositions(err);
    if (duplicates === null) throw err;
    return duplicates;
  }
}

function duplicatePositions(err: unknown): Set<number> | null {
  const writeErrors = (err as { writeErrors?: Array<{ index?: number; code?: number; err?: { index?: number; code?: number } }> }).writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) return null;
  const positions = new Set<number>();
  for (const w of writeErrors) {
    if ((w.code ?? w.err?.code) !== 11000) return null;
    const index = w.index ?? w.err?.index;
    if (index === undefined) return null;
    positions.add(index);
  }
  return positions;
}

/** Copies versions to their labels' heads (`_id` = the serial). */
export async function copyToHeads(docs: ScanTallyDoc[]): Promise<void> {
  for (let i = 0; i < docs.length; i += UPDATE_CHUNK) {
    const ops = docs.slice(i, i + UPDATE_CHUNK).map(({ _id, ...figures }) => ({
      updateOne: { filter: { _id: figures.serial }, update: { $set: figures }, upsert: true },
    }));
    // The driver's own bulk write, as insertNew does: these are plain documents, and casting them costs the page's process CPU.
    await (ScanTallyModel.collection as unknown as mongoose.mongo.Collection<ScanTallyDoc>).bulkWrite(ops, { ordered: false });
  }
}

export async function inBatches<T, R>(items: T[], size: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(f))));
  return out;
}
