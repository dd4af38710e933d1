import { CertificationModel } from './certifications/certification.model.js';
import { currentAmong } from './certifications/certification-rules.js';
import { certificationStatus } from './certifications/certification-status.js';
import { ProducerModel } from './producers/producer.model.js';
import { ProductModel } from './products/product.model.js';
import { VISIBLE } from './import-visibility.js';

/**
 * What the public statistics page counts in the registry, read in a few whole-collection
 * reads of a handful of fields each: the registry holds tens of thousands of products,
 * not a growing history, and the page reads this in the background (src/dashboard/),
 * never per request. Nothing here writes.
 */

/** A product whose current certification is in force (not expired), with what the page groups it by. */
export type CertifiedProductRow = {
  productId: string;
  /** The producer's province ('' if the producer is missing). */
  province: string;
  group: string;
  /** The producer's kind (enterprise, cooperative, household, cooperative_group; '' if missing). */
  kind: string;
  stars: number;
  validUntil: Date;
};

/** One certification decision (whatever its status now), by its producer's province and decision year. */
export type DecisionRow = { province: string; year: number };

export type RegistryFigureRows = {
  certified: CertifiedProductRow[];
  decisions: DecisionRow[];
  /** Every producer's province, for figures other features keep per producer (label runs). */
  provinceOfProducer: Map<string, string>;
};

type SlimCert = { _id: string; productId: string; producerId: string; stars: number; status: string; decisionDate: Date; createdAt: Date; validUntil: Date };

export async function registryFigureRows(now: Date = new Date()): Promise<RegistryFigureRows> {
  // One after another: read side by side they took longer in all (FerretDB converts every document, on the same cores).
  const certs = await CertificationModel.find({ ...VISIBLE }, { _id: 1, productId: 1, producerId: 1, stars: 1, status: 1, decisionDate: 1, createdAt: 1, validUntil: 1 }).lean<SlimCert[]>();
  const products = await ProductModel.find({ ...VISIBLE }, { _id: 1, group: 1, producerId: 1 }).lean<Array<{ _id: string; group: string; producerId: string }>>();
  const producers = await ProducerModel.find({ ...VISIBLE }, { _id: 1, kind: 1, 'address.provinceCode': 1 }).lean<Array<{ _id: string; kind: string; address?: { provinceCode?: string } }>>();
  const producerById = new Map(producers.map((p) => [p._id, { kind: p.kind, province: p.address?.provinceCode ?? '' }]));
  const productById = new Map(products.map((p) => [p._id, p]));

  const decisions: DecisionRow[] = [];
  const byProduct = new Map<string, SlimCert[]>();
  for (const c of certs) {
    decisions.push({ province: producerById.get(c.producerId)?.province ?? '', year: c.decisionDate.getUTCFullYear() });
    const list = byProduct.get(c.productId);
    if (list) list.push(c);
    else byProduct.set(c.productId, [c]);
  }

  const certified: CertifiedProductRow[] = [];
  for (const [productId, list] of byProduct) {
    const current = currentAmong(list);
    if (!current || certificationStatus(current, now) !== 'active') continue;
    const product = productById.get(productId);
    if (!product) continue;
    const producer = producerById.get(product.producerId);
    certified.push({
      productId,
      province: producer?.province ?? '',
      group: product.group,
      kind: producer?.kind ?? '',
      stars: current.stars,
      validUntil: current.validUntil,
    });
  }
  return { certified, decisions, provinceOfProducer: new Map([...producerById].map(([id, p]) => [id, p.province])) };
}
