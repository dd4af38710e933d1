import { registryIsEmpty } from './registry/producers/producer.service.js';
import { seedRegistry } from './registry/registry.demo.js';
import { AppError } from './errors/app-error.js';
import type { Keyring } from './labels/signing/keyring.js';
import { seedDemoLabels } from './labels/labels.demo.js';
import { seedDemoEvents } from './events/events.demo.js';
import { seedDemoAccounts, type DemoAccount } from './accounts/accounts.demo.js';

export type DemoDeps = { keyring: Keyring; publicBaseUrl: string };
export type DemoResult = { counts: Record<string, number>; sampleUrls: string[]; accounts: DemoAccount[] };

/**
 * Demo data, in steps: each feature seeds its part on top of what the earlier steps
 * returned. To add a step, write `seedX(registry)` next to the feature (see
 * src/registry/registry.demo.ts for the shape) and call it below, merging its counts.
 */
export async function loadDemoData(deps: DemoDeps): Promise<DemoResult> {
  const registry = await seedRegistry();
  const labels = await seedDemoLabels(registry, deps);
  const events = await seedDemoEvents(labels.batchIds, { baseUrl: deps.publicBaseUrl });
  const accounts = await seedDemoAccounts(registry);
  return { counts: { ...registry.counts, ...labels.counts, ...events, users: accounts.length }, sampleUrls: labels.sampleUrls, accounts };
}

/**
 * Loads the demo data when the registry is empty; returns what it created, or null
 * when there was already data. Two processes starting together on an empty database
 * race on the producers' unique registration numbers: the loser stands back.
 */
export async function loadDemoDataIfEmpty(deps: DemoDeps): Promise<DemoResult | null> {
  if (!(await registryIsEmpty())) return null;
  try {
    return await loadDemoData(deps);
  } catch (err) {
    if (err instanceof AppError && err.code === 'producer/duplicate_registration') return null;
    throw err;
  }
}
