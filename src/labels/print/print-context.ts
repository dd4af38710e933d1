import type { Principal } from '../../policy/principal.js';
import { findBatch, type BatchRecord } from '../../batches/batch.service.js';
import { conflict, notFound } from '../../errors/app-error.js';
import { findProduct, type ProductRecord } from '../../registry/products/product.service.js';
import { findProducer, producerResource, type ProducerRecord } from '../../registry/producers/producer.service.js';
import type { LabelRun } from '../runs/issue-run.service.js';
import { assertMay } from '../../policy/policy.js';
import { existingLabel, existingRun, type Label } from '../runs/labels.service.js';

export type PrintContext = { run: LabelRun; batch: BatchRecord; product: ProductRecord; producer: ProducerRecord };

/**
 * What printing needs, and the rule for it: only labels of an issued run are printed
 * (a pending run's labels would not verify; a revoked run's must not reach a package).
 */
export async function printContext(principal: Principal, runId: string): Promise<PrintContext> {
  const run = await existingRun(runId);
  assertMay(principal, 'label.print', await producerResource(principal, run.producerId));
  if (run.state !== 'issued') {
    throw conflict('run/not_printable', `Run ${runId} is ${run.state}: only an issued run can be printed.`);
  }
  const [batch, product, producer] = await Promise.all([findBatch(run.batchId), findProduct(run.productId), findProducer(run.producerId)]);
  if (!batch || !product || !producer) throw notFound('run/incomplete', `The batch, product or producer of run ${runId} no longer exists.`);
  return { run, batch, product, producer };
}

/** One label for printing, with its run's context; a void label is not printed again. */
export async function printableLabel(principal: Principal, serial: string): Promise<PrintContext & { label: Label }> {
  const label = await existingLabel(serial);
  assertMay(principal, 'label.print', await producerResource(principal, label.producerId));
  if (label.status !== 'active') throw conflict('label/not_printable', `Label ${serial} is ${label.status}: it cannot be printed.`);
  return { label, ...(await printContext(principal, label.runId)) };
}
