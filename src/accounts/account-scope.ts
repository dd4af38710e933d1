import { assertMay, needsProvince, provincesOf } from '../policy/policy.js';
import type { Action } from '../policy/policy-table.js';
import type { Principal, Role } from '../policy/principal.js';
import { producerIdsInProvinces, provinceOfProducer } from '../registry/producers/producer.service.js';

/**
 * Which office an account or an API key belongs to: a provincial office manages (and
 * lists) the admins of its province, the inspectors who work only in its province and
 * the people and keys of its province's producers; the national office every one,
 * national admins and inspectors of several provinces included.
 */
export type AccountFields = { role: Role; producerId?: string | null; province?: string | null; provinces?: readonly string[] | null };

/** The provinces an account lies in; null stands for "no province" (the national office's). */
async function provincesOfAccount(a: AccountFields): Promise<(string | null)[]> {
  if (a.role === 'admin') return [a.province ?? null];
  if (a.role === 'inspector') return a.provinces?.length ? [...a.provinces] : [null];
  return [a.producerId ? await provinceOfProducer(a.producerId) : null];
}

/** Where an account or key lies, for its audit entries (audit.service.ts looks a producer's province up). */
export const auditPlaceOf = (a: AccountFields): { producerId: string | null; provinces: (string | null)[] } => ({
  producerId: a.role === 'producer' ? (a.producerId ?? null) : null,
  provinces: a.role === 'admin' ? [a.province ?? null] : a.role === 'inspector' ? [...(a.provinces ?? [])] : [],
});

/** 403 unless the actor's office manages this account (every province it lies in is the actor's). */
export async function assertMayManageAccount(actor: Principal, action: Action, account: AccountFields): Promise<void> {
  if (!needsProvince(actor)) return assertMay(actor, action);
  for (const province of await provincesOfAccount(account)) assertMay(actor, action, { province });
}

/**
 * The filter of a list of accounts or keys to what the viewer's office manages, null for
 * all. Inspectors of several provinces are the national office's to manage, but a
 * provincial office still sees those who work in its province.
 */
export async function accountListFilter(viewer: Principal | null | undefined): Promise<Record<string, unknown> | null> {
  const provinces = provincesOf(viewer ?? null);
  if (provinces === null) return null;
  return {
    $or: [
      { role: 'admin', province: { $in: [...provinces] } },
      { role: 'inspector', provinces: { $in: [...provinces] } },
      { role: 'producer', producerId: { $in: await producerIdsInProvinces(provinces) } },
    ],
  };
}
