import { ScanModel } from './scan.model.js';
import { ScanTallyModel, tallyId } from './scan-tally.model.js';
import { noScans, type Figures } from './scan-figures.js';

const INSERT_CHUNK = 1000;

/**
 * Once, on a database whose scans were logged before tallies existed: gives every
 * scanned label a first tally with its total and first scan, so the page's counts
 * survive the upgrade. The clone signals start afresh (the old log's client hashes
 * cannot be split into browsers and networks). Run once by the upgrades at start
 * (src/upgrades); safe to repeat after a crash: a label that already has a first
 * version keeps it (unique `_id`). Answers how many labels it read scans of.
 */
export async function backfillScanTallies(): Promise<number> {
  const bySerial = new Map<string, Figures>();
  for await (const scan of ScanModel.find().select({ serial: 1, time: 1 }).lean().cursor()) {
    let f = bySerial.get(scan.serial);
    if (!f) bySerial.set(scan.serial, (f = noScans()));
    f.total += 1;
    if (f.firstAt === null || scan.time < f.firstAt) f.firstAt = scan.time;
  }
  const docs = [...bySerial].map(([serial, f]) => ({ _id: tallyId(serial, 1), serial, version: 1, writer: 'backfill', ...f }));
  for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
    await ScanTallyModel.insertMany(docs.slice(i, i + INSERT_CHUNK), { ordered: false, lean: true }).catch((err: unknown) => {
      const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
      if (!writeErrors?.every((w) => (w.code ?? w.err?.code) === 11000)) throw err; // labels that already have one keep it
    });
  }
  return docs.length;
}
