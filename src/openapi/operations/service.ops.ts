import { z } from 'zod';
import { apiKeyCreateSchema, apiKeyListSchema } from '../../accounts/api-key.schema.js';
import { auditListSchema } from '../../audit/audit.schema.js';
import { reportListSchema } from '../../reports/report.schema.js';
import { RECEIPT_PATTERN } from '../../reports/report.service.js';
import { LOT_PATTERN } from '../../reference/gs1.js';
import { SERIAL_PATTERN } from '../../labels/format/label-url.js';
import { LINK_TYPES } from '../../verify/resolver/links.js';
import { revocationListQuerySchema } from '../../verify/revocations/revocations.routes.js';
import { pageOf, record, type Operation } from '../operation.js';

/** API keys, reports, the resolver (label URLs and what offline verifiers read), probes and this description. */

const apiKey = record('An API key: id, role, label, producerId, keyPrefix, createdAt, revokedAt.');
const receiptParams = z.object({ receipt: z.string().regex(RECEIPT_PATTERN) });

/**
 * A label URL as the resolver reads it (src/labels/format/label-url.ts parses it by hand,
 * docs/label-format.md §4): these are the checks it makes, answered with
 * `label/malformed_uri` and the problem's name.
 */
const labelQuery = z.object({
  s: z.string().regex(/^[1-5]$/).meta({ description: 'Stars when the label was issued.' }),
  v: z.string().regex(/^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/).meta({ description: 'Certificate valid-until, YYMMDD.' }),
  k: z.string().regex(/^[A-Za-z0-9_-]{8}$/).meta({ description: "The first 8 characters of the signing key's thumbprint." }),
  sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/).meta({ description: 'Ed25519 signature of the canonical string, base64url.' }),
  lang: z.enum(['vi', 'en']).optional().meta({ description: 'The page language (kept in a cookie).' }),
  linkType: z.enum(['linkset', 'all', ...LINK_TYPES]).optional().meta({ description: 'A GS1 link type: 307 to it, or the linkset.' }),
  place: z.string().optional().meta({ description: 'A commune code the scanner chooses to send, recorded with the scan.' }),
});
const lot = z.string().regex(LOT_PATTERN);
const serial = z.string().regex(SERIAL_PATTERN);
const labelExampleQuery = { s: '4', v: '270228', k: 'AAAAAAAA', sig: 'A'.repeat(86) };
const verdictAnswer = {
  status: 200,
  description: 'The verdict (`genuine`, `expired`, `revoked`, `forged`, `unknown`): a page, JSON (`Accept: application/json`) or an RFC 9264 linkset.',
  types: ['text/html', 'application/json', 'application/linkset+json'],
};

export const serviceOperations: Operation[] = [
  {
    route: 'GET /api/v1/me',
    action: 'account.read_own',
    tag: 'API keys',
    summary: 'Who this request acts as',
    description:
      'The caller of this request (an API key, or a logged-in user by the session cookie): role, producer, scope, the account when there is one, and the CSRF token a cookie-authenticated write must send in `X-CSRF-Token`.',
    ok: { status: 200, description: '`{keyId, role, producerId, userId, scope, user, csrfToken}`.', json: record('The caller: keyId, role, producerId, userId, scope, user, csrfToken.') },
  },
  {
    route: 'POST /api/v1/api-keys',
    action: 'api_key.create',
    tag: 'API keys',
    summary: 'Create an API key',
    description: 'The key text is in this answer only: only its hash is stored.',
    body: { schema: apiKeyCreateSchema, example: { role: 'inspector', label: 'Đội quản lý thị trường số 3, Hà Nội' } },
    idempotency: 'optional',
    ok: { status: 201, description: 'The key, with its secret `key` (shown once).', json: apiKey },
  },
  {
    route: 'GET /api/v1/api-keys',
    action: 'api_key.read',
    tag: 'API keys',
    summary: 'List API keys',
    query: apiKeyListSchema,
    example: { query: { limit: '50', offset: '0' } },
    ok: { status: 200, description: 'A page of keys (never their secret), newest first.', json: pageOf('API keys.') },
  },
  {
    route: 'POST /api/v1/api-keys/:id/revoke',
    action: 'api_key.revoke',
    tag: 'API keys',
    summary: 'Revoke an API key',
    params: z.object({ id: z.string().regex(/^[0-9A-Za-z]{12}$/) }),
    example: { params: { id: 'AbC123xYz789' } },
    ok: { status: 200, description: 'The key, revoked.', json: apiKey },
    errors: ['api_key/not_found', 'api_key/already_revoked', 'api_key/revoke_self'],
  },

  {
    route: 'GET /api/v1/audit',
    action: 'audit.read',
    tag: 'API keys',
    summary: 'Read the audit log',
    description:
      "Every write, newest first, with the key or user that made it and the provinces of the record written. A provincial admin reads its province's entries (naming another province: 403); the national office every entry, national ones (signing keys) and those written before entries kept provinces.",
    query: auditListSchema,
    example: { query: { province: '01', action: 'producer.create', limit: '20' } },
    ok: { status: 200, description: '`{items, page: {limit, offset, hasMore}}`: no total.', json: record('A page of audit entries: id, at, actor, userId, role, action, targetType, targetId, provinces, details.') },
  },
  {
    route: 'GET /api/v1/reports',
    action: 'report.read',
    tag: 'Reports',
    summary: 'List product reports',
    query: reportListSchema,
    example: { query: { status: 'open', province: '01' } },
    ok: { status: 200, description: 'A page of reports, newest first.', json: pageOf('Reports.') },
  },
  {
    route: 'GET /api/v1/reports/:receipt',
    action: 'report.read',
    tag: 'Reports',
    summary: 'Read a report by its receipt number',
    params: receiptParams,
    example: { params: { receipt: 'BC-3479ACDE' } },
    ok: { status: 200, description: 'The report.', json: record('A report: receipt, kind, label, details, place, contact, status.') },
    errors: ['report/not_found'],
  },
  {
    route: 'GET /api/v1/reports/:receipt/photo',
    action: 'report.read',
    tag: 'Reports',
    summary: "A report's photo",
    params: receiptParams,
    example: { params: { receipt: 'BC-3479ACDE' } },
    ok: { status: 200, description: 'The photo, re-encoded without metadata.', types: ['image/jpeg'] },
    errors: ['report/not_found'],
  },

  {
    route: 'GET /01/*rest',
    path: '/01/{gtin}/10/{lot}/21/{serial}',
    action: 'verify.read',
    tag: 'Resolver',
    summary: 'Verify a label (GS1 Digital Link URI)',
    description: 'The label URL printed in the QR code (docs/label-format.md). Every path under /01/ is the resolver\'s.',
    params: z.object({ gtin: z.string().regex(/^\d{14}$/).meta({ description: 'GTIN-14, with a valid check digit.' }), lot, serial }),
    query: labelQuery,
    example: { params: { gtin: '08936045120019', lot: 'BT-2025-09', serial: 'A7K2M9Q4T6W8X' }, query: labelExampleQuery },
    ok: verdictAnswer,
    also: {
      307: 'With `linkType`: to that link. Any other valid GS1 Digital Link (a GTIN alone, with a lot, a serial, qualifiers 22 or 235, data attributes; no signature): to its default link, the product page or its lot (docs/digital-link.md), with the query passed on.',
    },
    errors: ['label/malformed_uri', 'resolver/link_type_not_found', 'resolver/gtin_not_found', 'verify/rate_limited', 'verify/database_unavailable'],
  },
  {
    route: 'GET /gtin/*rest',
    path: '/gtin/{gtin}',
    action: 'verify.read',
    tag: 'Resolver',
    summary: 'Resolve a GS1 Digital Link written with the convenience alphas (/gtin/…/lot/…/ser/…)',
    description: 'Read as its numeric form under /01/ (docs/digital-link.md). `linkType=linkset` or `Accept: application/linkset+json`: the linkset of every level up to the GTIN.',
    params: z.object({ gtin: z.string().regex(/^(\d{8}|\d{12,14})$/).meta({ description: 'GTIN-8, -12, -13 or -14, with a valid check digit.' }) }),
    example: { params: { gtin: '08936045120019' } },
    ok: { status: 307, description: "To the default link (the product's page, or its lot), the query passed on." },
    also: { 200: 'The linkset (`linkType=linkset`, `linkType=all`, or `Accept: application/linkset+json`).' },
    errors: ['label/malformed_uri', 'resolver/gtin_not_found', 'verify/rate_limited'],
  },
  {
    route: 'GET /:compressed',
    path: '/{compressed}',
    action: 'verify.read',
    tag: 'Resolver',
    summary: 'Resolve a compressed GS1 Digital Link (GTIN)',
    description: 'One base64url segment per GS1 Digital Link: Compression, starting with AI (01). Answered as its uncompressed form, which the `Link` header names with `rel="owl:sameAs"` (docs/digital-link.md).',
    params: z.object({ compressed: z.string().regex(/^A[Q-Za-f][A-Za-z0-9_-]{8,}$/).meta({ description: 'The compressed link.' }) }),
    example: { params: { compressed: 'AQnYUc1gmiCNV4JG' } },
    ok: { status: 307, description: "To the default link (the product's page, or its lot), the query passed on." },
    also: { 200: 'The linkset (`linkType=linkset`, `linkType=all`, or `Accept: application/linkset+json`).' },
    errors: ['label/malformed_uri', 'resolver/gtin_not_found', 'resolver/compression_not_supported', 'verify/rate_limited'],
  },
  {
    route: 'GET /p/*rest',
    path: '/p/{productId}/10/{lot}/21/{serial}',
    action: 'verify.read',
    tag: 'Resolver',
    summary: 'Verify a label of a product without a GTIN',
    params: z.object({ productId: z.string().regex(/^[0-9a-z]{10}$/), lot, serial }),
    query: labelQuery,
    example: { params: { productId: 'p7m2q8r4st', lot: 'BT-2025-09', serial: 'A7K2M9Q4T6W8X' }, query: labelExampleQuery },
    ok: verdictAnswer,
    also: { 307: 'With `linkType`: to that link.' },
    errors: ['label/malformed_uri', 'resolver/link_type_not_found', 'verify/rate_limited', 'verify/database_unavailable'],
  },
  {
    route: 'GET /.well-known/jwks.json',
    action: 'resolver.read',
    tag: 'Resolver',
    summary: 'The public signing keys (JWKS) offline verifiers check labels with',
    ok: { status: 200, description: 'A JWK Set.', types: ['application/jwk-set+json'] },
  },
  {
    route: 'GET /.well-known/ocop-revocations.json',
    action: 'revocation_list.read',
    tag: 'Resolver',
    summary: 'The signed revocation list offline verifiers keep',
    description: 'Revoked keys, runs, voided labels, revoked and expired certifications, signed with the label key (docs/revocation-list.md). `since` (the `asOf` of the list held) answers only what changed.',
    query: revocationListQuerySchema,
    example: { query: { since: '2026-12-01T07:05:00.000Z' } },
    ok: { status: 200, description: 'The signed list or delta (gzip-encoded when large and accepted).', types: ['application/json'] },
  },
  {
    route: 'GET /api/v1/revocations',
    action: 'revocation_list.read',
    tag: 'Resolver',
    summary: 'The signed revocation list (the same answer under /api)',
    description: 'Revoked keys, runs, voided labels, revoked and expired certifications, signed with the label key (docs/revocation-list.md). `since` (the `asOf` of the list held) answers only what changed.',
    query: revocationListQuerySchema,
    example: { query: { since: '2026-12-01T07:05:00.000Z' } },
    ok: { status: 200, description: 'The signed list or delta (gzip-encoded when large and accepted).', types: ['application/json'] },
  },
  {
    route: 'POST /api/v1/decode',
    action: 'label_photo.decode',
    tag: 'Resolver',
    summary: 'Read the labels on a photo',
    description: 'For inspectors whose camera stream fails: the QR codes on the photo, and for our labels the verdict. The photo is not kept and is not counted as a scan.',
    rawBody: { types: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'], description: 'The photo itself, at most 8 MB and 24 megapixels.' },
    ok: { status: 200, description: 'The decoded texts and, for label URLs, their verdicts.', json: record('codes: the decoded texts with their verdicts.') },
    errors: ['decode/unsupported_image', 'decode/too_many_pixels', 'decode/time_limit', 'decode/no_code_found', 'decode/busy', 'request/too_large'],
  },
  {
    route: 'GET /.well-known/gs1resolver',
    action: 'resolver.read',
    tag: 'Resolver',
    summary: 'The GS1 resolver description',
    ok: { status: 200, description: 'The resolver description document.', json: record('GS1 resolver description.') },
  },
  {
    route: 'GET /docs/label-format.md',
    action: 'resolver.read',
    tag: 'Resolver',
    summary: 'The label format, as the resolver description names it',
    ok: { status: 200, description: 'docs/label-format.md.', types: ['text/markdown'] },
  },
  {
    route: 'GET /media/products/:file',
    action: 'site.read',
    tag: 'Products',
    summary: "A product photo, at its content-hash address (a product's `photo.url`)",
    params: z.object({ file: z.string().regex(/^[0-9a-f]{32}(-240)?\.webp$/) }),
    example: { params: { file: '0123456789abcdef0123456789abcdef.webp' } },
    ok: { status: 200, description: 'The WebP image, cacheable for a year.', types: ['image/webp'] },
    errors: ['product/photo_not_found'],
  },

  {
    route: 'GET /healthz',
    action: 'health.read',
    tag: 'Service',
    summary: 'Whether the service is up',
    ok: { status: 200, description: '`{status: "ok"}`.', json: z.strictObject({ status: z.literal('ok') }) },
  },
  {
    route: 'GET /readyz',
    action: 'health.read',
    tag: 'Service',
    summary: 'Whether the service can reach its database',
    ok: { status: 200, description: '`{status: "ready"}`.', json: z.strictObject({ status: z.enum(['ready', 'database unavailable']) }) },
    also: { 503: '`{status: "database unavailable"}`.' },
  },
  {
    route: 'GET /api/v1/openapi.json',
    action: 'api_docs.read',
    tag: 'Service',
    summary: 'This description (OpenAPI 3.1)',
    ok: { status: 200, description: 'The OpenAPI document.', types: ['application/json'] },
  },
];
