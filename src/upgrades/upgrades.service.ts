import { isDuplicateKeyError } from '../db.js';
import { backfillRunKeys, lockBatchesOfLabelledRuns, lockKeysOfLabelledProducts } from '../labels/runs/issue-run.service.js';
import { backfillRunPages } from '../labels/runs/labels.service.js';
import { backfillCertificationSlots } from '../registry/certifications/certification.service.js';
import { backfillOpenCaptures } from '../events/capture/capture.service.js';
import { backfillProductGtins } from '../registry/products/product.service.js';
import { backfillBatchLots } from '../batches/batch.service.js';
import { backfillScanTallies } from '../verify/scans/scan-tally-backfill.js';
import { UpgradeModel } from './upgrade.model.js';

/**
 * Upgrades of data stored by an older version, run at start (main.ts) until each has
 * finished once; a finished one costs one `_id` lookup at later starts. Each is
 * idempotent, so several instances starting at once, or a start stopped half-way,
 * do no harm. Reading a whole collection is allowed here, once, not on a request.
 */
const UPGRADES: ReadonlyArray<{ name: string; run: () => Promise<number | void> }> = [
  // Runs issued before products recorded when they were first labelled.
  { name: 'product-key-locks', run: lockKeysOfLabelledProducts },
  // Batches labelled before batches recorded it: their lot and dates are fixed (updateBatch).
  { name: 'batch-label-locks', run: lockBatchesOfLabelledRuns },
  // The lookups by `_id` that replace queries on fields (docs/operations.md, "Queries and their indexes").
  { name: 'label-run-keys', run: backfillRunKeys },
  { name: 'label-run-pages', run: backfillRunPages },
  { name: 'certification-slots', run: backfillCertificationSlots },
  { name: 'open-captures', run: backfillOpenCaptures },
  { name: 'product-gtins', run: backfillProductGtins },
  { name: 'batch-lots', run: backfillBatchLots },
  // Scans logged before per-label tallies: their counts carried over.
  { name: 'scan-tallies', run: backfillScanTallies },
];

/** Runs every upgrade not yet finished; returns the names of those it ran. */
export async function runUpgrades(log: (msg: string) => void = () => {}): Promise<string[]> {
  const ran: string[] = [];
  for (const { name, run } of UPGRADES) {
    if (await UpgradeModel.exists({ _id: name })) continue;
    const started = Date.now();
    const changed = (await run()) ?? 0;
    try {
      await UpgradeModel.create({ _id: name, at: new Date(), changed });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // another instance finished it too
    }
    log(`upgrade ${name}: ${changed} documents written in ${Date.now() - started} ms`);
    ran.push(name);
  }
  return ran;
}
