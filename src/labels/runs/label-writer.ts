import { isDuplicateKeyError } from '../../db.js';
import type { BatchRecord } from '../../batches/batch.service.js';
import { shortKid, signCanonical, type SigningKey } from '../signing/key-crypto.js';
import { canonicalLabelString, toYYMMDD, type LabelFields, type ProductKey } from '../format/label-url.js';
import { LabelModel, type LabelDoc } from './label.model.js';
import type { LabelRun } from './label-run.model.js';
import { PRINTED_FIELDS, type PrintedLabel } from './labels.service.js';
import { labelsWritten } from '../../metrics/metrics.js';

/** Making a run's labels (serial, signature) and writing them, serial collisions included. */

type NewLabel = LabelDoc & { _id: string };

/** A serial collision at 74 bits is not expected ever; five in a row means a broken source. */
const MAX_COLLISION_ROUNDS = 5;

/** Makes the label at a position of the run: a new serial, signed with the run's fields. */
export function labelMaker(
  run: LabelRun,
  batch: BatchRecord,
  product: ProductKey,
  certification: { stars: number; validUntil: Date },
  key: SigningKey,
  nextSerial: () => string,
) {
  const issuedAt = new Date();
  const kid = shortKid(key.kid);
  const validUntil = toYYMMDD(certification.validUntil);
  return (seq: number): NewLabel => {
    const fields: LabelFields = { product, lot: batch.lotCode, serial: nextSerial(), stars: certification.stars, validUntil, kid };
    return {
      _id: fields.serial,
      runId: run._id,
      batchId: run.batchId,
      productId: run.productId,
      producerId: run.producerId,
      kid,
      stars: fields.stars,
      validUntil,
      sig: signCanonical(key, canonicalLabelString(fields)),
      status: 'active',
      issuedAt,
      seq,
      statusChangedAt: null,
      statusReason: null,
    };
  };
}

type WriteError = { index: number; code?: number };

/**
 * Inserts labels unordered. A duplicate-key failure is either a serial that already
 * exists (re-made with a new serial) or a position another request resuming the same
 * run wrote first (kept: the unique (run, seq) index decided).
 */
export async function insertLabels(runId: string, labels: NewLabel[], make: (seq: number) => NewLabel): Promise<PrintedLabel[]> {
  const written: PrintedLabel[] = [];
  let pending = labels;
  for (let round = 0; round < MAX_COLLISION_ROUNDS; round++) {
    const failed = await insertUnordered(pending);
    const refused = new Set(failed);
    written.push(...pending.filter((l) => !refused.has(l)).map(printedOf));
    labelsWritten.inc(pending.length - failed.length);
    if (failed.length === 0) return written;
    // A collision (rare): which of these positions were written before, and with what?
    const seqs = failed.map((l) => l.seq);
    const before = await LabelModel.find({ runId, seq: { $in: seqs } }, PRINTED_FIELDS).lean<PrintedLabel[]>();
    written.push(...before);
    const taken = new Set(before.map((l) => l.seq));
    pending = seqs.filter((s) => !taken.has(s)).map(make);
    if (pending.length === 0) return written;
  }
  throw new Error(`run ${runId}: serials kept colliding; the random source is broken`);
}

const printedOf = (l: PrintedLabel): PrintedLabel => ({ _id: l._id, seq: l.seq, stars: l.stars, validUntil: l.validUntil, kid: l.kid, sig: l.sig });

/** Returns the labels refused as duplicates; any other failure is thrown. */
async function insertUnordered(labels: NewLabel[]): Promise<NewLabel[]> {
  try {
    // lean: the documents are complete and typed here; skipping hydration keeps big runs fast.
    await LabelModel.insertMany(labels, { ordered: false, lean: true });
    return [];
  } catch (err) {
    const raw = (err as { writeErrors?: WriteError | WriteError[] } | null)?.writeErrors;
    // A duplicate without per-document detail: treat the whole chunk as suspect; the
    // caller re-checks which positions exist and re-makes only the missing ones.
    if (!raw) {
      if (isDuplicateKeyError(err)) return labels;
      throw err;
    }
    const writeErrors = Array.isArray(raw) ? raw : [raw];
    if (writeErrors.some((e) => e.code !== 11000)) throw err;
    return writeErrors.flatMap((e) => labels[e.index] ?? []);
  }
}
