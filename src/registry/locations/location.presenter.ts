import { placeName } from '../../reference/admin-units.js';
import type { LocationRecord } from './location.service.js';

/** A registered location as the API shows it: places are public (they appear on timelines). */
export type LocationView = {
  id: string;
  gln: string;
  extension: string | null;
  /** The SGLN URN events may use for it: as registered, else written with a 7-digit company prefix. */
  sgln: string;
  name: string;
  communeCode: string;
  communeName: string | null;
  producerId: string | null;
  createdAt: string;
};

/** urn:epc:id:sgln needs the company prefix length, which a GLN alone does not tell: 7 digits, the length GS1 Vietnam issues (893 + 4). */
const PREFIX_DIGITS = 7;

export function presentLocation(l: LocationRecord): LocationView {
  const body = l.gln.slice(0, 12);
  return {
    id: l._id,
    gln: l.gln,
    extension: l.extension ?? null,
    sgln: l.sgln ?? `urn:epc:id:sgln:${body.slice(0, PREFIX_DIGITS)}.${body.slice(PREFIX_DIGITS)}.${l.extension ?? '0'}`,
    name: l.name,
    communeCode: l.communeCode,
    communeName: placeName(l.communeCode),
    producerId: l.producerId ?? null,
    createdAt: l.createdAt.toISOString(),
  };
}
