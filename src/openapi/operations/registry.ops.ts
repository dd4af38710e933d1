import { z } from 'zod';
import { recordId } from '../../registry/common.schema.js';
import { producerCreateSchema, producerListSchema, producerPatchSchema } from '../../registry/producers/producer.schema.js';
import { productCreateSchema, productListSchema, productPatchSchema } from '../../registry/products/product.schema.js';
import { certificationCreateSchema, certificationListSchema, revokeSchema } from '../../registry/certifications/certification.schema.js';
import { pageOf, record, recordIdParams, type Operation } from '../operation.js';

/** The registry (producers, products, photos, certifications) and the reference data it is written with. */

const producer = record('A producer (docs/api.md "Producers"); a household\'s `contact` and `address.street` only for admins and its own key.');
const product = record('A product with its `currentCertification` (or null) and `photo` (or null).');
const certification = record('A certification: stars, score, decision, authority, validity and status.');

const producerExample = {
  name: 'Hợp tác xã Gốm sứ Bát Tràng',
  kind: 'cooperative',
  registrationNumber: '0312345678',
  address: { provinceCode: '01', communeCode: '00577', street: 'Thôn Bát Tràng', legacyDistrict: 'Gia Lâm' },
  contact: { person: 'Nguyễn Văn Minh', phone: '024 3874 1234', email: 'htx@example.vn' },
  publicContact: { phone: '024 3874 1234', website: 'https://gomsubattrang.example.vn' },
};

export const registryOperations: Operation[] = [
  {
    route: 'GET /api/v1/admin-units/provinces',
    action: 'reference.read',
    tag: 'Reference data',
    summary: 'List the 34 provinces (2025 units)',
    ok: {
      status: 200,
      description: 'The provinces, cacheable for a day.',
      json: z.strictObject({ items: z.array(z.strictObject({ code: z.string(), name: z.string(), type: z.string(), communeCount: z.number().int() })) }),
    },
  },
  {
    route: 'GET /api/v1/admin-units/provinces/:code/communes',
    action: 'reference.read',
    tag: 'Reference data',
    summary: "List a province's communes",
    description: 'The code is read as the route reads it: 1–2 digits, zero-padded (`1` is `01`).',
    params: z.object({ code: z.string().regex(/^\d{1,2}$/) }),
    example: { params: { code: '01' } },
    ok: {
      status: 200,
      description: "The province and its communes, cacheable for a day.",
      json: z.strictObject({
        province: z.strictObject({ code: z.string(), name: z.string() }),
        items: z.array(z.strictObject({ code: z.string(), name: z.string(), type: z.string() })),
      }),
    },
    errors: ['admin_unit/province_not_found'],
  },
  {
    route: 'GET /api/v1/product-groups',
    action: 'reference.read',
    tag: 'Reference data',
    summary: 'List the OCOP product groups, per list version',
    ok: {
      status: 200,
      description: 'Every list version and its groups, cacheable for a day.',
      json: z.strictObject({
        currentVersion: z.string(),
        versions: z.array(z.strictObject({ version: z.string(), groups: z.array(z.strictObject({ code: z.string(), vi: z.string(), en: z.string() })) })),
      }),
    },
  },

  {
    route: 'POST /api/v1/producers',
    action: 'producer.create',
    tag: 'Producers',
    summary: 'Register a producer',
    body: { schema: producerCreateSchema, example: producerExample },
    idempotency: 'optional',
    ok: { status: 201, description: 'The producer, with a `Location` header.', json: producer },
    errors: ['producer/duplicate_registration'],
  },
  {
    route: 'GET /api/v1/producers',
    action: 'producer.read',
    tag: 'Producers',
    summary: 'List producers',
    description: '`q` matches part of the name, ignoring case and Vietnamese diacritics.',
    query: producerListSchema,
    example: { query: { province: '01', kind: 'cooperative', q: 'bat trang', limit: '20', page: '1' } },
    ok: { status: 200, description: 'A page of producers, oldest first.', json: pageOf('Producers.') },
  },
  {
    route: 'GET /api/v1/producers/:id',
    action: 'producer.read',
    tag: 'Producers',
    summary: 'Read a producer',
    params: recordIdParams(),
    example: { params: { id: 'k3j9x0a1bc' } },
    ok: { status: 200, description: 'The producer.', json: producer },
    errors: ['producer/not_found'],
  },
  {
    route: 'PATCH /api/v1/producers/:id',
    action: 'producer.update',
    tag: 'Producers',
    summary: 'Change a producer',
    description: '`contact` and `publicContact` fields merge with the stored ones (`null` clears one); `address` is replaced whole.',
    params: recordIdParams(),
    body: { schema: producerPatchSchema, example: { publicContact: { website: 'https://gomsubattrang.example.vn' } } },
    example: { params: { id: 'k3j9x0a1bc' } },
    ok: { status: 200, description: 'The producer as changed.', json: producer },
    errors: ['producer/not_found', 'producer/duplicate_registration'],
  },

  {
    route: 'POST /api/v1/products',
    action: 'product.create',
    tag: 'Products',
    summary: 'Register a product',
    body: {
      schema: productCreateSchema,
      example: {
        producerId: 'k3j9x0a1bc',
        name: { vi: 'Bình gốm men rạn vẽ tay', en: 'Hand-painted crackle-glaze vase' },
        group: 'handicraft',
        gtin: '8936045001042',
        description: null,
        images: [],
        standards: ['TCVN 5250:2015', 'QCVN 8-2:2011/BYT'],
      },
    },
    idempotency: 'optional',
    ok: { status: 201, description: 'The product, with a `Location` header.', json: product },
    errors: ['product/unknown_producer', 'product/invalid_gtin', 'product/duplicate_gtin'],
  },
  {
    route: 'GET /api/v1/products',
    action: 'product.read',
    tag: 'Products',
    summary: 'List products',
    description: "`stars` and `status` refer to the product's current certification.",
    query: productListSchema,
    example: { query: { group: 'handicraft', stars: '4', status: 'active', province: '01' } },
    ok: { status: 200, description: 'A page of products, oldest first.', json: pageOf('Products.') },
  },
  {
    route: 'GET /api/v1/products/:id',
    action: 'product.read',
    tag: 'Products',
    summary: 'Read a product',
    params: recordIdParams(),
    example: { params: { id: 'p7m2q8r4st' } },
    ok: { status: 200, description: 'The product.', json: product },
    errors: ['product/not_found'],
  },
  {
    route: 'PATCH /api/v1/products/:id',
    action: 'product.update',
    tag: 'Products',
    summary: 'Change a product',
    description: 'Name parts merge; `gtin: null` removes the GTIN, which is locked once labels are printed.',
    params: recordIdParams(),
    body: { schema: productPatchSchema, example: { description: 'Men rạn cổ, vẽ tay, nung 1300 °C.' } },
    example: { params: { id: 'p7m2q8r4st' } },
    ok: { status: 200, description: 'The product as changed.', json: product },
    errors: ['product/not_found', 'product/invalid_gtin', 'product/duplicate_gtin', 'product/gtin_locked'],
  },
  {
    route: 'PUT /api/v1/products/:id/photo',
    action: 'product.update',
    tag: 'Products',
    summary: "Set the product's photo",
    description: 'Turned upright, scaled to 480 px (and 240 px) and stored as WebP without metadata.',
    params: recordIdParams(),
    rawBody: { types: ['image/jpeg', 'image/png', 'image/webp'], description: 'The image itself, at most 5 MB.' },
    example: { params: { id: 'p7m2q8r4st' } },
    ok: { status: 200, description: 'The product with its `photo`.', json: product },
    errors: ['product/not_found', 'product/unsupported_image', 'request/too_large'],
  },
  {
    route: 'DELETE /api/v1/products/:id/photo',
    action: 'product.update',
    tag: 'Products',
    summary: "Remove the product's photo",
    params: recordIdParams(),
    example: { params: { id: 'p7m2q8r4st' } },
    ok: { status: 200, description: 'The product without a photo.', json: product },
    errors: ['product/not_found'],
  },

  {
    route: 'POST /api/v1/products/:id/certifications',
    action: 'certification.create',
    tag: 'Products',
    summary: 'Record a certification (a rating decision)',
    params: recordIdParams(),
    body: {
      schema: certificationCreateSchema,
      example: { stars: 4, score: 78, decisionNumber: '4521/QĐ-UBND', decisionDate: '2024-02-29', authority: { level: 'province', name: 'Ủy ban nhân dân Thành phố Hà Nội' } },
    },
    example: { params: { id: 'p7m2q8r4st' } },
    idempotency: 'optional',
    ok: { status: 201, description: 'The certification, with a `Location` header.', json: certification },
    errors: [
      'product/not_found',
      'certification/score_mismatch',
      'certification/authority_mismatch',
      'certification/authority_name_required',
      'certification/duplicate_decision',
    ],
  },
  {
    route: 'GET /api/v1/certifications',
    action: 'certification.read',
    tag: 'Products',
    summary: 'List certifications',
    query: certificationListSchema,
    example: { query: { province: '01', stars: '4', status: 'active', limit: '50' } },
    ok: { status: 200, description: 'A page of certifications, newest decision first.', json: pageOf('Certifications.') },
  },
  {
    route: 'GET /api/v1/certifications/:id',
    action: 'certification.read',
    tag: 'Products',
    summary: 'Read a certification',
    params: z.object({ id: recordId }),
    example: { params: { id: 'c5n1v6w3xy' } },
    ok: { status: 200, description: 'The certification.', json: certification },
    errors: ['certification/not_found'],
  },
  {
    route: 'POST /api/v1/certifications/:id/revoke',
    action: 'certification.revoke',
    tag: 'Products',
    summary: 'Revoke a certification',
    params: z.object({ id: recordId }),
    body: { schema: revokeSchema, example: { reason: 'Quyết định thu hồi số 88/QĐ-UBND: sản phẩm không còn đạt tiêu chuẩn' } },
    example: { params: { id: 'c5n1v6w3xy' } },
    ok: { status: 200, description: 'The certification, revoked.', json: certification },
    errors: ['certification/not_found', 'certification/already_revoked'],
  },
];
