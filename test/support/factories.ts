import { randomInt } from 'node:crypto';
import { systemPrincipal } from '../../src/policy/principal.js';
import { parseInput } from '../../src/errors/validate.js';
import { withCheckDigit } from '../../src/reference/gs1.js';
import { producerCreateSchema } from '../../src/registry/producers/producer.schema.js';
import { createProducer, type ProducerRecord } from '../../src/registry/producers/producer.service.js';
import { productCreateSchema } from '../../src/registry/products/product.schema.js';
import { createProduct, type ProductRecord } from '../../src/registry/products/product.service.js';
import { certificationCreateSchema } from '../../src/registry/certifications/certification.schema.js';
import { createCertification, type CertificationRecord } from '../../src/registry/certifications/certification.service.js';
import { monthsBefore, todayInVietnam } from '../../src/registry/certifications/certification-rules.js';

/**
 * Shared factories: valid registry records made through the real services (so every
 * rule holds), unique on every call. Overrides use the API's input shape.
 */
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const tag = () => digits(6);

/** A fresh 13-digit GTIN under the Vietnam prefix 893, with a correct check digit. */
export const uniqueGtin13 = () => withCheckDigit(`893${digits(9)}`);

/** A decision date `months` before today (Vietnam), as YYYY-MM-DD. */
export const monthsAgo = (months: number) => monthsBefore(todayInVietnam(), months);

export async function buildProducer(overrides: Record<string, unknown> = {}): Promise<ProducerRecord> {
  const input = {
    name: `HTX Thử nghiệm ${tag()}`,
    kind: 'cooperative',
    registrationNumber: `01${digits(8)}`,
    address: { provinceCode: '01', communeCode: '00577', legacyDistrict: 'Gia Lâm' },
    contact: { person: 'Nguyễn Văn An', phone: `09${digits(8)}`, email: `htx${tag()}@example.vn` },
    ...overrides,
  };
  return createProducer(parseInput(producerCreateSchema, input), systemPrincipal);
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
    decisionNumber: `${randomInt(1, 999_999)}/QĐ-UBND`,
    decisionDate: monthsAgo(1),
    ...rest,
  };
  return createCertification(productId, parseInput(certificationCreateSchema, input), systemPrincipal);
}
