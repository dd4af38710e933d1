import { randomBytes } from 'node:crypto';
import { systemPrincipal, type Role } from '../policy/principal.js';
import type { DemoRegistry } from '../registry/registry.demo.js';
import { createUser } from './user.service.js';

/** One demo person to log in as, with the password made for them (printed once at first start). */
export type DemoAccount = { email: string; role: Role; password: string; what: string };

/**
 * Demo accounts, one per kind of screen: the national office (/office), a province's
 * office (Hà Nội), the Bát Tràng cooperative's producer user (/producer) and a market
 * inspector of Hà Nội (/inspect). Each has a fresh random password, kept only as its
 * hash: `npm start` prints them once, with the demo labels.
 */
export async function seedDemoAccounts(registry: DemoRegistry): Promise<DemoAccount[]> {
  const people = [
    { email: 'office@demo.ocop.vn', name: 'Văn phòng Điều phối OCOP Trung ương', role: 'admin', what: 'national office (/office)' },
    { email: 'hanoi@demo.ocop.vn', name: 'Văn phòng OCOP Hà Nội', role: 'admin', province: '01', what: "Hà Nội's office (/office)" },
    { email: 'battrang@demo.ocop.vn', name: 'HTX Gốm Bát Tràng', role: 'producer', producerId: registry.producers.batTrang._id, what: 'a producer (/producer)' },
    { email: 'inspector@demo.ocop.vn', name: 'Quản lý thị trường Hà Nội', role: 'inspector', provinces: ['01'], what: 'a market inspector of Hà Nội (/inspect)' },
  ] as const;
  return Promise.all(
    people.map(async ({ what, ...person }) => {
      const password = randomBytes(12).toString('base64url');
      await createUser(systemPrincipal, { ...person, password });
      return { email: person.email, role: person.role, password, what };
    }),
  );
}
