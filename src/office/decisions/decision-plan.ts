import { derivedId, importKey, type Decision, type NewProducer, type NewProduct, type ReadRow } from './decision-csv.js';
import { findProducerByRegistration, producersByIds } from '../../registry/producers/producer.service.js';
import { findProductByGtin, productsByIds } from '../../registry/products/product.service.js';
import { decisionRecordedFor } from '../../registry/certifications/certification.service.js';
import type { Principal } from '../../policy/principal.js';

/**
 * What importing a decision would write (decision-import.service.ts runs it): the file's
 * rows checked against the registry, and the plan of every record to create, each under
 * an id derived from the decision.
 */

export type Figures = { producers: number; products: number; certifications: number };

/** What the commit writes, stored with the claim. */
export type Plan = {
  decision: Decision;
  producers: Array<{ id: string; input: NewProducer }>;
  products: Array<{ id: string; producerId: string; input: NewProduct }>;
  certifications: Array<{ id: string; productId: string; stars: number; score: number }>;
};

export function planOf(decision: Decision, rows: ReadRow[]): Plan {
  const key = importKey(decision);
  const plan: Plan = { decision, producers: [], products: [], certifications: [] };
  const producerIds = new Map<string, string>();
  for (const row of rows) {
    const p = row.plan;
    if (!p) continue;
    let producerId: string;
    if ('id' in p.producer) producerId = p.producer.id;
    else {
      const known = producerIds.get(p.producer.registrationNumber);
      producerId = known ?? derivedId(key, `producer:${p.producer.registrationNumber}`);
      if (!known) {
        producerIds.set(p.producer.registrationNumber, producerId);
        plan.producers.push({ id: producerId, input: p.producer.create });
      }
    }
    let productId: string;
    if ('id' in p.product) productId = p.product.id;
    else {
      productId = derivedId(key, `product:${p.product.key}`);
      plan.products.push({ id: productId, producerId, input: p.product.create });
    }
    plan.certifications.push({ id: derivedId(key, `certification:${productId}`), productId, stars: p.stars, score: p.score });
  }
  return plan;
}

export const figuresOf = (plan: Plan): Figures => ({ producers: plan.producers.length, products: plan.products.length, certifications: plan.certifications.length });

/** Adds each row's problems that need the registry (the rows without problems of their own). */
export async function checkAgainstRegistry(actor: Principal, decision: Decision | null, rows: ReadRow[]): Promise<void> {
  const scope = actor.scope?.province ?? null;
  if (decision && scope && (decision.level === 'ministry' || decision.province !== scope)) {
    for (const row of rows) row.problems.push({ code: 'outside_scope', column: 'province', params: { province: scope } });
  }
  const planned = rows.filter((r) => r.plan);
  const producerIds = planned.flatMap((r) => ('id' in r.plan!.producer ? [r.plan!.producer.id] : []));
  const productIds = planned.flatMap((r) => ('id' in r.plan!.product ? [r.plan!.product.id] : []));
  const [producers, products] = await Promise.all([producersByIds(producerIds), productsByIds(productIds)]);
  const registrations = new Map<string, string | null>();
  for (const row of planned) {
    const plan = row.plan!;
    const problems = row.problems;
    let province: string | null = null;
    let producerId: string | null = null;
    if ('id' in plan.producer) {
      const producer = producers.get(plan.producer.id);
      if (!producer) problems.push({ code: 'unknown_producer', column: 'producer_id', params: { value: plan.producer.id } });
      else {
        province = producer.address.provinceCode;
        producerId = producer._id;
      }
    } else {
      const reg = plan.producer.registrationNumber;
      if (!registrations.has(reg)) registrations.set(reg, (await findProducerByRegistration(reg))?._id ?? null);
      const taken = registrations.get(reg);
      if (taken) problems.push({ code: 'registration_taken', column: 'registration_number', params: { value: reg, id: taken } });
      province = plan.producer.create.provinceCode;
    }
    if (decision?.level === 'province' && province && province !== decision.province) {
      problems.push({ code: 'outside_scope', column: 'commune', params: { province: decision.province ?? '' } });
    }
    if ('id' in plan.product) {
      const product = products.get(plan.product.id);
      if (!product) problems.push({ code: 'unknown_product', column: 'product_id', params: { value: plan.product.id } });
      else if (product.producerId !== producerId) problems.push({ code: 'product_of_other_producer', column: 'product_id', params: { value: product._id, producer: product.producerId } });
      else if (decision && (await decisionRecordedFor(product._id, decision.number, decision.date))) {
        problems.push({ code: 'already_certified', column: 'product_id', params: { value: product._id } });
      }
    } else if (plan.product.create.gtin) {
      const holder = await findProductByGtin(plan.product.create.gtin);
      if (holder) problems.push({ code: 'gtin_taken', column: 'gtin', params: { value: plan.product.create.gtin, id: holder._id } });
    }
    if (problems.length) row.plan = null;
  }
}
