import { notFound } from '../errors/app-error.js';
import { assertMay } from '../policy/policy.js';
import type { Principal } from '../policy/principal.js';
import { findProducer, type ProducerRecord } from '../registry/producers/producer.service.js';
import { findProduct, listProducts, type ProductRecord } from '../registry/products/product.service.js';
import {
  currentCertificationsFor,
  latestRevokedCertificationFor,
  type CertificationRecord,
} from '../registry/certifications/certification.reads.js';
import { certificationStatus } from '../registry/certifications/certification-status.js';
import { findBatch, listBatches, type BatchRecord } from '../batches/batch.service.js';
import { findLabelRun, labelsWrittenOfRun, listRunsOfBatch, type Label } from '../labels/runs/labels.service.js';
import type { LabelRun } from '../labels/runs/issue-run.service.js';
import { labelAllowance } from '../labels/runs/run-allowance.js';
import { MAX_RUN_COUNT } from '../labels/runs/label-run.schema.js';

/**
 * What the producer's own screens read, each record asked of the policy
 * ('producer_screen.read' / 'producer_screen.write') with its producer: a producer's user
 * sees only its own producer's products, batches and runs; another producer's id is a
 * 403, an id that names nothing a 404 (admins may open any, see the policy table). Writes go to the batch and label services, which
 * ask the policy again and audit.
 */

/** Warned from this many days before the certificate's end date. */
export const EXPIRY_WARNING_DAYS = 90;
const DAY_MS = 86_400_000;

export type CertificateState = 'in_force' | 'expiring' | 'expired' | 'revoked' | 'none';

/** Where a product's certification stands for its producer: the warning starts 90 days before the end date. */
export function certificateState(current: CertificationRecord | null, revoked: CertificationRecord | null, now: Date = new Date()): { state: CertificateState; daysLeft: number | null } {
  if (current) {
    if (certificationStatus(current, now) === 'expired') return { state: 'expired', daysLeft: null };
    const daysLeft = Math.ceil((current.validUntil.getTime() - now.getTime()) / DAY_MS);
    return { state: daysLeft <= EXPIRY_WARNING_DAYS ? 'expiring' : 'in_force', daysLeft };
  }
  return { state: revoked ? 'revoked' : 'none', daysLeft: null };
}

export type ProductOverview = {
  product: ProductRecord;
  certification: CertificationRecord | null;
  state: CertificateState;
  daysLeft: number | null;
};

/** The producer the principal works for; a producer user's producer always exists (the office made the user for it). */
function ownProducerId(principal: Principal, action: 'producer_screen.home' | 'producer_screen.read'): string {
  assertMay(principal, action);
  // An admin (the office) has no producer of its own: it opens a producer's records by their pages.
  if (!principal.producerId) throw notFound('producer/not_found', 'This account is not bound to a producer: the producer home is for producer accounts; open a product, batch or run by its page.');
  return principal.producerId;
}

async function overviewOf(products: ProductRecord[], now: Date): Promise<ProductOverview[]> {
  const current = await currentCertificationsFor(products.map((p) => p._id));
  return Promise.all(
    products.map(async (product) => {
      const certification = current.get(product._id) ?? null;
      const revoked = certification ? null : await latestRevokedCertificationFor(product._id);
      return { product, certification: certification ?? revoked, ...certificateState(certification, revoked, now) };
    }),
  );
}

/** The home screen: the producer and its products (the first 100) with their certificates. */
export async function producerHome(principal: Principal, now: Date = new Date()): Promise<{ producer: ProducerRecord; products: ProductOverview[]; more: boolean }> {
  const producerId = ownProducerId(principal, 'producer_screen.home');
  const producer = await findProducer(producerId);
  if (!producer) throw notFound('producer/not_found', `No producer ${producerId}.`);
  const page = await listProducts({ producer: producerId, limit: 100, offset: 0 } as Parameters<typeof listProducts>[0]);
  return { producer, products: await overviewOf(page.items, now), more: page.page.total > page.items.length };
}

type ScreenAction = 'producer_screen.read' | 'producer_screen.write';

/** One of the producer's products, with its certificate. */
export async function ownProduct(principal: Principal, productId: string, action: ScreenAction = 'producer_screen.read', now: Date = new Date()): Promise<ProductOverview> {
  const product = await findProduct(productId);
  if (!product) throw notFound('product/not_found', `No product ${productId}.`);
  assertMay(principal, action, product);
  const [overview] = await overviewOf([product], now);
  return overview!;
}

/** The product's batches, newest first (the first 100). */
export async function batchesOfOwnProduct(principal: Principal, product: ProductRecord): Promise<BatchRecord[]> {
  assertMay(principal, 'producer_screen.read', product);
  return (await listBatches(principal, { product: product._id, limit: 100, offset: 0 } as Parameters<typeof listBatches>[1])).items;
}

export async function ownBatch(principal: Principal, batchId: string, action: ScreenAction = 'producer_screen.read'): Promise<BatchRecord> {
  const batch = await findBatch(batchId);
  if (!batch) throw notFound('batch/not_found', `No batch ${batchId}.`);
  assertMay(principal, action, batch);
  return batch;
}

/** How many labels the batch may still take: null when it is not bounded (a batch by weight or volume). */
export type Allowance = { allowance: number | null; issued: number; available: number };

/** The batch's runs (newest first) and what it may still take. */
export async function runsOfOwnBatch(principal: Principal, batch: BatchRecord): Promise<{ runs: LabelRun[]; allowance: Allowance }> {
  assertMay(principal, 'producer_screen.read', batch);
  const runs = (await listRunsOfBatch(principal, batch._id, { limit: 1000, offset: 0 })).items;
  const issued = runs.filter((r) => r.state !== 'revoked').reduce((sum, r) => sum + r.count, 0);
  const allowance = labelAllowance(batch);
  const available = allowance === null ? MAX_RUN_COUNT : Math.min(MAX_RUN_COUNT, Math.max(0, allowance - issued));
  return { runs, allowance: { allowance, issued, available } };
}

export async function ownRun(principal: Principal, runId: string, action: ScreenAction = 'producer_screen.read'): Promise<LabelRun> {
  const run = await findLabelRun(runId);
  if (!run) throw notFound('run/not_found', `No label run ${runId}.`);
  assertMay(principal, action, run);
  return run;
}

/** A run with its batch and product, and how far its labels are written. */
export async function ownRunPage(principal: Principal, runId: string) {
  const run = await ownRun(principal, runId);
  const [batch, product, producer, written] = await Promise.all([findBatch(run.batchId), findProduct(run.productId), findProducer(run.producerId), labelsWrittenOfRun(run)]);
  if (!batch || !product || !producer) throw notFound('run/incomplete', `The batch, product or producer of run ${runId} no longer exists.`);
  return { run, batch, product, producer, written };
}

/** A label the principal may change through its screens (a label of its own producer). */
export function assertOwnLabel(principal: Principal, label: Pick<Label, 'producerId'>): void {
  assertMay(principal, 'producer_screen.write', label);
}
