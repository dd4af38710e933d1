import { BoundedMap } from '../../bounded-map.js';
import { needsProvince, type Resource } from '../../policy/policy.js';
import type { Principal } from '../../policy/principal.js';
import { findCommune } from '../../reference/admin-units.js';
import { ProducerModel } from './producer.model.js';

/**
 * The province a producer's records belong to, for the policy's province scope: the
 * province of the producer's commune (the address's province code when the commune is
 * not in the reference list). Services ask it only for callers kept to some provinces
 * (a provincial admin, an inspector): the national office, producer keys and the public
 * never pay the lookup, and the label verification path never asks.
 */
export function provinceOfAddress(address: { provinceCode: string; communeCode: string }): string {
  return findCommune(address.communeCode)?.provinceCode ?? address.provinceCode;
}

/**
 * Producers' provinces change only when an office moves a producer's address, which
 * this process forgets at once (forgetProducerProvince) and others within a minute:
 * writes by scoped callers come in bursts (a batch, its run, its events), each asking.
 */
const CACHE_MS = 60_000;
const cached = new BoundedMap<string, { province: string | null; at: number }>(10_000);

/** The producer's province, null for no such producer (within no province: refused to scoped callers). */
export async function provinceOfProducer(producerId: string): Promise<string | null> {
  const hit = cached.get(producerId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.province;
  const doc = await ProducerModel.findById(producerId, { address: 1 }).lean<{ address?: { provinceCode: string; communeCode: string } }>();
  const province = doc?.address ? provinceOfAddress(doc.address) : null;
  cached.set(producerId, { province, at: Date.now() });
  return province;
}

export function forgetProducerProvince(producerId: string): void {
  cached.delete(producerId);
}

/** The resource to ask the policy with: the producer, and its province when the caller's scope needs it. */
export async function producerResource(principal: Principal | null, producerId: string): Promise<Resource> {
  return needsProvince(principal) ? { producerId, province: await provinceOfProducer(producerId) } : { producerId };
}

/**
 * The provinces of several producers (each looked up once), for presenting many records
 * to a caller kept to some provinces; empty for every other caller, who needs none.
 */
export async function provincesOfProducers(principal: Principal | null, producerIds: readonly string[]): Promise<Map<string, string | null>> {
  if (!needsProvince(principal)) return new Map();
  const ids = [...new Set(producerIds)];
  return new Map(await Promise.all(ids.map(async (id) => [id, await provinceOfProducer(id)] as const)));
}
