import { ProducerModel } from './registry/producer.model.js';
import { seedRegistry } from './registry/registry.seed.js';
import { AppError } from './http/errors.js';

/**
 * Demo data, in steps: each feature seeds its part on top of what the earlier steps
 * returned. To add a step, write `seedX(registry)` next to the feature (see
 * src/registry/registry.seed.ts for the shape) and call it below, merging its counts.
 */
export async function loadDemoData(): Promise<Record<string, number>> {
  const registry = await seedRegistry();
  const counts: Record<string, number> = { ...registry.counts };
  // Next steps go here, e.g.:
  //   const batches = await seedDemoBatches(registry);
  //   Object.assign(counts, batches.counts, await seedDemoEvents(batches.ids));
  return counts;
}

/**
 * Loads the demo data when the registry is empty; returns what it created, or null
 * when there was already data. Two processes starting together on an empty database
 * race on the producers' unique registration numbers: the loser stands back.
 */
export async function loadDemoDataIfEmpty(): Promise<Record<string, number> | null> {
  if (await ProducerModel.exists({})) return null;
  try {
    return await loadDemoData();
  } catch (err) {
    if (err instanceof AppError && err.code === 'producer/duplicate_registration') return null;
    throw err;
  }
}
