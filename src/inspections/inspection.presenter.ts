import { findCommune, findProvince } from '../reference/admin-units.js';
import type { Principal } from '../policy/principal.js';
import type { InspectionDoc, InspectionPhotoDoc } from './inspection.model.js';

export type InspectionRecord = InspectionDoc & { _id: string };
export type PhotoSummary = Pick<InspectionPhotoDoc, 'inspectionId' | 'slot' | 'width' | 'height' | 'bytes'>;

/**
 * An inspection as a caller reads it. Who recorded it (name, e-mail, credential) is for
 * the office and inspectors only: a producer reads the finding about its product, never
 * who found it, so no stall-side pressure can follow a finding back to a person.
 */
export function presentInspection(r: InspectionRecord, photos: readonly PhotoSummary[], viewer: Principal) {
  const province = findProvince(r.provinceCode);
  return {
    id: r._id,
    at: r.at,
    place: {
      communeCode: r.communeCode,
      commune: findCommune(r.communeCode)?.name ?? null,
      provinceCode: r.provinceCode,
      province: province?.name ?? null,
      shop: r.place,
      gps: r.gps ? { lat: r.gps.lat, lng: r.gps.lng, accuracy: r.gps.accuracy ?? null } : null,
    },
    starsSeen: r.starsSeen ?? null,
    finding: r.finding,
    notes: r.notes ?? '',
    label: r.label
      ? {
          url: r.label.url ?? null,
          serial: r.label.serial ?? null,
          productId: r.label.productId ?? null,
          gtin: r.label.gtin ?? null,
          lot: r.label.lot ?? null,
          verdict: r.label.verdict ?? null,
          verdictAsOf: r.label.verdictAsOf ?? null,
        }
      : null,
    producerId: r.producerId ?? null,
    productId: r.productId ?? null,
    photos: [...photos]
      .sort((a, b) => a.slot - b.slot)
      .map((p) => ({ slot: p.slot, width: p.width, height: p.height, bytes: p.bytes, href: `/api/v1/inspections/${r._id}/photos/${p.slot}` })),
    ...(viewer.role === 'producer'
      ? {}
      : { inspector: { name: r.recordedBy.name ?? null, email: r.recordedBy.email ?? null, keyId: r.recordedBy.keyId } }),
    recordedAt: r.createdAt,
  };
}

export type InspectionView = ReturnType<typeof presentInspection>;
