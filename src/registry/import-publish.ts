import { ProducerModel } from './producers/producer.model.js';
import { ProductModel } from './products/product.model.js';
import { CertificationModel } from './certifications/certification.model.js';
import { settleImportedCertification } from './certifications/certification.service.js';
import type { Principal } from '../policy/principal.js';

/**
 * The last step of a decision import (import-visibility.ts): makes every record it wrote
 * public, producers, then products, then certifications, and then lets each of its
 * certifications supersede the product's earlier decisions. Each part is idempotent, so
 * an import that stopped here publishes again when resumed. A certification revealed but
 * not yet superseding its predecessor is already the product's current one (the later
 * decision wins, certification-rules.ts currentAmong).
 */
export async function publishImport(importing: string, certificationIds: readonly string[], actor: Principal): Promise<void> {
  const reveal = { $unset: { importing: 1 } };
  await ProducerModel.updateMany({ importing }, reveal);
  await ProductModel.updateMany({ importing }, reveal);
  await CertificationModel.updateMany({ importing }, reveal);
  for (const id of certificationIds) await settleImportedCertification(id, actor);
}
