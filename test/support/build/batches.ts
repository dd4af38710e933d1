import { randomInt } from 'node:crypto';
import { systemPrincipal } from '../../../src/policy/principal.js';
import { parseInput } from '../../../src/errors/validate.js';
import { createBatchInput } from '../../../src/batches/batch.schema.js';
import { createBatch, type BatchRecord } from '../../../src/batches/batch.service.js';
import { daysAgo } from './registry.js';

/**
 * Batches made through the batch service (so the lot, date and commune rules hold),
 * unique on every call. Overrides use the API's input shape.
 */

/** The commune batches and producers are placed in by default (Xã Bát Tràng, Hà Nội). */
export const aCommune = { code: '00577', provinceCode: '01' };

/** A fresh lot code (GS1 AI 10: at most 20 characters). */
export const uniqueLot = () => `L${Date.now().toString(36).toUpperCase()}${randomInt(1e6)}`.slice(0, 20);

/**
 * A valid, unique `POST /products/:productId/batches` body, and a batch made from it:
 * made ten days ago and good for a year by default (dates
 * relative to today, so a batch never expires under a test by the calendar alone).
 */
export function batchInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    lotCode: uniqueLot(),
    productionDate: daysAgo(10),
    expiryDate: daysAgo(-365),
    quantity: 500,
    unit: 'jar',
    origin: { communeCode: aCommune.code, placeName: 'Vườn ong đồi Đá Chông' },
    ...overrides,
  };
}

export async function buildBatch(product: { _id: string }, overrides: Record<string, unknown> = {}): Promise<BatchRecord> {
  return createBatch(systemPrincipal, product._id, parseInput(createBatchInput, batchInput(overrides)));
}

/** A batch's own fields as the API's body again (PUT replaces them all), so a change that sends it leaves the batch as it was. */
export const batchInputOf = (b: Pick<BatchRecord, 'lotCode' | 'productionDate' | 'expiryDate' | 'quantity' | 'unit' | 'origin'>) => ({
  lotCode: b.lotCode,
  productionDate: b.productionDate.toISOString().slice(0, 10),
  ...(b.expiryDate ? { expiryDate: b.expiryDate.toISOString().slice(0, 10) } : {}),
  quantity: b.quantity,
  unit: b.unit,
  origin: { communeCode: b.origin?.communeCode ?? aCommune.code },
});
