import type { ProductRecord } from '../../registry/products/product.service.js';
import type { Label } from './labels.service.js';
import { buildLabelUrl, type ProductKey } from '../format/label-url.js';
import type { LabelRun } from './issue-run.service.js';

const runPath = (id: string) => `/api/v1/label-runs/${id}`;

export function presentRun(run: LabelRun) {
  const printable = run.state === 'issued';
  return {
    id: run._id,
    batchId: run.batchId,
    productId: run.productId,
    producerId: run.producerId,
    certificationId: run.certificationId,
    count: run.count,
    state: run.state,
    createdAt: run.createdAt,
    issuedAt: run.issuedAt ?? null,
    revokedAt: run.revokedAt ?? null,
    revokedReason: run.revokedReason ?? null,
    links: {
      self: runPath(run._id),
      // Outputs exist only for an issued run.
      sheetPdf: printable ? `${runPath(run._id)}/sheet.pdf` : null,
      labelsCsv: printable ? `${runPath(run._id)}/labels.csv` : null,
      labelsZpl: printable ? `${runPath(run._id)}/labels.zpl` : null,
    },
  };
}

export const productKeyOf = (product: Pick<ProductRecord, 'gtin'> & { _id: string }): ProductKey =>
  product.gtin ? { kind: 'gtin', gtin: product.gtin } : { kind: 'product', productId: product._id };

/** The URL printed in the label's QR code. */
export function labelUrlOf(publicBaseUrl: string, label: Pick<Label, '_id' | 'stars' | 'validUntil' | 'kid' | 'sig'>, lot: string, product: ProductKey): string {
  return buildLabelUrl(publicBaseUrl, { product, lot, serial: label._id, stars: label.stars, validUntil: label.validUntil, kid: label.kid, sig: label.sig });
}

export function presentLabel(label: Label, url: string | null) {
  const path = `/api/v1/labels/${label._id}`;
  return {
    serial: label._id,
    runId: label.runId,
    batchId: label.batchId,
    productId: label.productId,
    seq: label.seq,
    stars: label.stars,
    validUntil: label.validUntil,
    kid: label.kid,
    status: label.status,
    statusReason: label.statusReason ?? null,
    issuedAt: label.issuedAt,
    url,
    links: { svg: `${path}.svg`, png: `${path}.png` },
  };
}
