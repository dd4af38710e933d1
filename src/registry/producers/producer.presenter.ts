import type { Principal } from '../../policy/principal.js';
import { findCommune, findProvince } from '../../reference/admin-units.js';
import { may } from '../../policy/policy.js';
import type { ProducerRecord } from './producer.service.js';
import { provinceOfAddress } from './producer-province.js';

export type ProducerView = {
  id: string;
  name: string;
  kind: string;
  registrationNumber: string;
  address: {
    provinceCode: string;
    provinceName: string | null;
    communeCode: string;
    communeName: string | null;
    street?: string | null;
    legacyDistrict: string | null;
  };
  contact?: { person: string | null; phone: string | null; email: string | null };
  /** Published by the producer's choice: shown to everyone, households included. */
  publicContact: { phone: string | null; website: string | null };
  createdAt: string;
  updatedAt: string;
};

/**
 * The fields a reader may see. Household businesses are people: their phone, e-mail,
 * contact person and street address are personal data ('producer.read_private' in the
 * policy). Cooperatives' and enterprises' contacts are public business details.
 */
export function presentProducer(p: ProducerRecord, viewer: Principal | null): ProducerView {
  const full = p.kind !== 'household' || may(viewer, 'producer.read_private', { producerId: p._id, province: provinceOfAddress(p.address) });
  return {
    id: p._id,
    name: p.name,
    kind: p.kind,
    registrationNumber: p.registrationNumber,
    address: {
      provinceCode: p.address.provinceCode,
      provinceName: findProvince(p.address.provinceCode)?.name ?? null,
      communeCode: p.address.communeCode,
      communeName: findCommune(p.address.communeCode)?.name ?? null,
      ...(full ? { street: p.address.street ?? null } : {}),
      legacyDistrict: p.address.legacyDistrict ?? null,
    },
    ...(full
      ? { contact: { person: p.contact?.person ?? null, phone: p.contact?.phone ?? null, email: p.contact?.email ?? null } }
      : {}),
    publicContact: { phone: p.publicContact?.phone ?? null, website: p.publicContact?.website ?? null },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
