import { systemPrincipal } from '../policy/principal.js';
import { createBatch } from '../batches/batch.service.js';
import { createBatchInput } from '../batches/batch.schema.js';
import { parseInput } from '../errors/validate.js';
import type { DemoRegistry } from '../registry/registry.demo.js';
import type { Keyring } from './signing/keyring.js';
import { LabelModel } from './runs/label.model.js';
import { labelUrlOf, productKeyOf } from './runs/label.presenter.js';
import { issueLabelRun } from './runs/issue-run.service.js';

/** One A4 sheet of labels per demo batch. */
const LABELS_PER_RUN = 24;
const DAY = 86_400_000;
const day = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);

/** Batches of products whose certification is in force, each with a printed label run. */
const demoBatches = [
  { product: 'crackleVase', lotCode: 'BT-2026-11', daysAgo: 20, shelfDays: null, quantity: 120, unit: 'piece', communeCode: '00577', placeName: 'Lò gốm Bát Tràng' },
  { product: 'budTea', lotCode: 'TC-VU-XUAN-26', daysAgo: 12, shelfDays: 540, quantity: 300, unit: 'pack', communeCode: '05503', placeName: 'Đồi chè Hồng Thái' },
  { product: 'driedLongan', lotCode: 'PH-2026-08', daysAgo: 9, shelfDays: 365, quantity: 500, unit: 'bag', communeCode: '11953', placeName: 'Vườn nhãn lồng Phố Hiến' },
] as const;

export async function seedDemoLabels(
  registry: DemoRegistry,
  deps: { keyring: Keyring; publicBaseUrl: string },
): Promise<{ batchIds: string[]; sampleUrls: string[]; counts: { batches: number; labels: number } }> {
  const batchIds: string[] = [];
  const sampleUrls: string[] = [];
  for (const b of demoBatches) {
    const product = registry.products[b.product];
    const input = parseInput(createBatchInput, {
      lotCode: b.lotCode,
      productionDate: day(b.daysAgo * DAY),
      expiryDate: b.shelfDays ? day((b.daysAgo - b.shelfDays) * DAY) : null,
      quantity: b.quantity,
      unit: b.unit,
      origin: { communeCode: b.communeCode, placeName: b.placeName },
    });
    const batch = await createBatch(systemPrincipal, product._id, input);
    const { run } = await issueLabelRun(
      systemPrincipal,
      { batchId: batch._id, count: LABELS_PER_RUN, idempotencyKey: `demo-${b.lotCode}` },
      { keyring: deps.keyring },
    );
    const first = await LabelModel.findOne({ runId: run._id, seq: 1 }).lean();
    if (first) sampleUrls.push(labelUrlOf(deps.publicBaseUrl, first, batch.lotCode, productKeyOf(product)));
    batchIds.push(batch._id);
  }
  return { batchIds, sampleUrls, counts: { batches: batchIds.length, labels: batchIds.length * LABELS_PER_RUN } };
}
