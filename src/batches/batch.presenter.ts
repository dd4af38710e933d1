import { findCommune, findProvince } from '../reference/admin-units.js';
import type { BatchDoc } from './batch.model.js';

const isoDay = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);

/** A batch as the API shows it: dates as days, the origin with readable names. */
export function presentBatch(b: BatchDoc) {
  // Always stored (required in the schema); the inferred type just cannot say so.
  const origin = b.origin ?? { provinceCode: '', communeCode: '', placeName: null, geo: undefined };
  const geo = origin.geo;
  return {
    id: b._id,
    productId: b.productId,
    producerId: b.producerId,
    lotCode: b.lotCode,
    productionDate: isoDay(b.productionDate),
    expiryDate: isoDay(b.expiryDate),
    quantity: b.quantity,
    unit: b.unit,
    origin: {
      provinceCode: origin.provinceCode,
      provinceName: findProvince(origin.provinceCode)?.name ?? null,
      communeCode: origin.communeCode,
      communeName: findCommune(origin.communeCode)?.name ?? null,
      placeName: origin.placeName ?? null,
      geo: geo && typeof geo.lat === 'number' && typeof geo.lng === 'number' ? { lat: geo.lat, lng: geo.lng } : null,
    },
    createdAt: (b as { createdAt?: Date }).createdAt ?? null,
    links: { labelRuns: `/api/v1/batches/${b._id}/label-runs` },
  };
}
