import { randomInt } from 'node:crypto';
import { systemPrincipal } from '../../../src/policy/principal.js';
import { parseInput } from '../../../src/errors/validate.js';
import { withCheckDigit } from '../../../src/reference/gs1.js';
import { producerCreateSchema } from '../../../src/registry/producers/producer.schema.js';
import { createProducer, type ProducerRecord } from '../../../src/registry/producers/producer.service.js';
import { ProductModel } from '../../../src/registry/products/product.model.js';
import { productCreateSchema } from '../../../src/registry/products/product.schema.js';
import { createProduct, type ProductRecord } from '../../../src/registry/products/product.service.js';
import { certificationCreateSchema } from '../../../src/registry/certifications/certification.schema.js';
import { createCertification, type CertificationRecord } from '../../../src/registry/certifications/certification.service.js';
import { monthsBefore, todayInVietnam } from '../../../src/registry/certifications/certification-rules.js';

/**
 * Registry records (producers, products, certifications) made through the real
 * services, so every rule holds; unique on every call. Overrides use the API's input shape.
 */
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/**
 * `n` digits no earlier call of this test process gave (for fewer than 10^n calls): a
 * random start, then one up per call. Random digits alone collide by the birthday rule:
 * 2,000 registration numbers of 8 random digits meet about one run in fifty.
 */
let issued = randomInt(1e9);
export const uniqueDigits = (n: number) => String((issued += 1) % 10 ** n).padStart(n, '0');
const tag = () => uniqueDigits(6);

/** A fresh 13-digit GTIN under the Vietnam prefix 893, with a correct check digit. */
export const uniqueGtin13 = () => withCheckDigit(`893${uniqueDigits(9)}`);

/** The same as a GTIN-14, as products store it and labels carry it. */
export const uniqueGtin14 = () => `0${uniqueGtin13()}`;

/** A fresh decision number in the form the registry accepts, e.g. "48213/QĐ-UBND". */
export const uniqueDecisionNumber = () => `${((issued += 1) % 999_999) + 1}/QĐ-UBND`;

/** A date `months` before today (Vietnam), as YYYY-MM-DD. */
export const monthsAgo = (months: number) => monthsBefore(todayInVietnam(), months);

/** A date `days` before today (Vietnam), as YYYY-MM-DD; negative for a day to come. */
export const daysAgo = (days: number) => new Date(Date.parse(`${todayInVietnam()}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** A valid, unique `POST /producers` body. */
export function producerInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `HTX Thử nghiệm ${tag()}`,
    kind: 'cooperative',
    registrationNumber: `01${uniqueDigits(8)}`,
    address: { provinceCode: '01', communeCode: '00577', legacyDistrict: 'Gia Lâm' },
    contact: { person: 'Nguyễn Văn An', phone: `09${digits(8)}`, email: `htx${tag()}@example.vn` },
    ...overrides,
  };
}

export async function buildProducer(overrides: Record<string, unknown> = {}): Promise<ProducerRecord> {
  return createProducer(parseInput(producerCreateSchema, producerInput(overrides)), systemPrincipal);
}

/** A product; makes its producer unless `producerId` is given. `gtin: true` gives a fresh valid GTIN. */
export async function buildProduct(overrides: Record<string, unknown> = {}): Promise<ProductRecord> {
  const { gtin, ...rest } = overrides;
  const producerId = typeof rest.producerId === 'string' ? rest.producerId : (await buildProducer())._id;
  const input = {
    producerId,
    name: { vi: `Sản phẩm thử ${tag()}`, en: null },
    group: 'handicraft',
    gtin: gtin === true ? uniqueGtin13() : (gtin ?? null),
    ...rest,
  };
  return createProduct(parseInput(productCreateSchema, input), systemPrincipal);
}

/**
 * A product rated under the 2018 group list (default group "textile"). Written straight
 * to the model on purpose: the service accepts only the current list, so such records
 * exist only from before the 2023 list and cannot be made through it.
 */
export async function buildLegacyProduct(fields: { producerId: string; name?: { vi: string }; group?: string }): Promise<ProductRecord> {
  const doc = await ProductModel.create({
    producerId: fields.producerId,
    name: fields.name ?? { vi: `Khăn lụa thử ${tag()}` },
    group: fields.group ?? 'textile',
    groupListVersion: '2018',
  });
  return doc.toObject() as ProductRecord;
}

/** Scores that agree with each star rating (OCOP score bands). */
export const scoreFor = (stars: number) => [0, 20, 40, 60, 75, 92][stars] ?? 60;

/** A certification (4★ by default, decided a month ago); makes its product unless `productId` is given. */
export async function buildCertification(overrides: Record<string, unknown> = {}): Promise<CertificationRecord> {
  const { productId: given, ...rest } = overrides;
  const productId = typeof given === 'string' ? given : (await buildProduct())._id;
  const stars = typeof rest.stars === 'number' ? rest.stars : 4;
  const input = {
    stars,
    score: scoreFor(stars),
    decisionNumber: uniqueDecisionNumber(),
    decisionDate: monthsAgo(1),
    ...rest,
  };
  return createCertification(productId, parseInput(certificationCreateSchema, input), systemPrincipal);
}
