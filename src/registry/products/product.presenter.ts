import { findProductGroup } from '../../reference/product-groups.js';
import { presentCertification, type CertificationView } from '../certifications/certification.presenter.js';
import type { CertificationRecord } from '../certifications/certification.service.js';
import type { ProductRecord } from './product.service.js';
import { photoUrl } from './product-photo.url.js';

export type ProductView = {
  id: string;
  producerId: string;
  name: { vi: string; en: string | null };
  group: { code: string; listVersion: string; vi: string | null; en: string | null };
  gtin: string | null;
  description: string | null;
  images: string[];
  standards: string[];
  /** The verification page's photo, served at `url` (product-photo.routes.ts); null without one. */
  photo: { url: string; width: number; height: number; page: { url: string; width: number; height: number } } | null;
  /** The current certification (latest decision not revoked or superseded), or null. */
  currentCertification: CertificationView | null;
  createdAt: string;
  updatedAt: string;
};

export function presentProduct(p: ProductRecord, current: CertificationRecord | null): ProductView {
  const group = findProductGroup(p.groupListVersion, p.group);
  return {
    id: p._id,
    producerId: p.producerId,
    name: { vi: p.name.vi, en: p.name.en ?? null },
    group: { code: p.group, listVersion: p.groupListVersion, vi: group?.vi ?? null, en: group?.en ?? null },
    gtin: p.gtin ?? null,
    description: p.description ?? null,
    images: [...p.images],
    standards: [...(p.standards ?? [])],
    photo: p.photo
      ? {
          url: photoUrl(p.photo.id),
          width: p.photo.width,
          height: p.photo.height,
          page: { url: photoUrl(p.photo.id, 'page'), width: p.photo.pageWidth, height: p.photo.pageHeight },
        }
      : null,
    currentCertification: current ? presentCertification(current) : null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
