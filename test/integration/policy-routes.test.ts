import { randomInt, randomUUID } from 'node:crypto';
import { withCheckDigit } from '../../src/reference/gs1.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import express, { type Express } from 'express';
import request from 'supertest';
import { allow } from '../../src/policy/principal-of-request.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { recordChange } from '../../src/changes/changes.service.js';
import { activeLabelsOfRun } from '../../src/labels/runs/labels.service.js';
import { POLICY, CALLER_KINDS, type CallerKind } from '../../src/policy/policy-table.js';
import { batchInputOf, buildProducer, buildUser, epcisDoc, type EventBatch, formToken, issueRunThroughApi, objectEvent } from '../support/kit.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { appRoutes, routeName } from '../support/app-routes.js';

/** What one request sends: a path with real ids, and what the route needs to reach its access check. */
type Sample = { url: string; body?: unknown; headers?: Record<string, string> };
type Records = Awaited<ReturnType<typeof buildRecords>>;

/**
 * One sample request per route. Writes that are decided on the record (own or other
 * producer) send a valid body, so the service gets as far as asking the policy; the
 * others may send a dummy one (a 400 after the policy is an allowed answer).
 */
/** A request of the route's method (GET, POST, PATCH, PUT, DELETE, OPTIONS). */
const requestFor = (app: Parameters<typeof request>[0], method: string, url: string) => {
  const agent = request(app);
  if (method === 'OPTIONS') return agent.options(url);
  return method === 'GET' ? agent.get(url) : method === 'PATCH' ? agent.patch(url) : method === 'PUT' ? agent.put(url) : method === 'DELETE' ? agent.delete(url) : agent.post(url);
};

const SAMPLES: Record<string, (r: Records) => Sample> = {
  'GET /.well-known/jwks.json': () => ({ url: '/.well-known/jwks.json' }),
  'GET /.well-known/gs1resolver': () => ({ url: '/.well-known/gs1resolver' }),
  'GET /.well-known/ocop-revocations.json': () => ({ url: '/.well-known/ocop-revocations.json' }),
  'GET /api/v1/revocations': () => ({ url: '/api/v1/revocations?since=2026-01-01T00:00:00Z' }),
  'POST /api/v1/decode': () => ({ url: '/api/v1/decode', headers: { 'Content-Type': 'image/jpeg' }, body: 'not a photo' }),
  'GET /docs/label-format.md': () => ({ url: '/docs/label-format.md' }),
  'GET /01/*rest': (r) => ({ url: r.labelPath }),
  'GET /p/*rest': (r) => ({ url: `/p/${r.product._id}/10/${r.batch.lotCode}` }),
  'GET /:compressed': () => ({ url: '/AQnYUc1gmiCNV4JG' }),
  'OPTIONS /:compressed': () => ({ url: '/AQnYUc1gmiCNV4JG', headers: { 'Access-Control-Request-Method': 'GET' } }),
  'GET /gtin/*rest': (r) => ({ url: `/gtin/${r.product.gtin}/lot/${r.batch.lotCode}` }),
  'OPTIONS /01/*rest': (r) => ({ url: `/01/${r.product.gtin}`, headers: { 'Access-Control-Request-Method': 'GET' } }),
  'OPTIONS /gtin/*rest': (r) => ({ url: `/gtin/${r.product.gtin}`, headers: { 'Access-Control-Request-Method': 'GET' } }),
  'OPTIONS /p/*rest': (r) => ({ url: `/p/${r.product._id}/10/${r.batch.lotCode}`, headers: { 'Access-Control-Request-Method': 'GET' } }),
  'GET /static/*file': () => ({ url: '/static/site.css' }),
  'GET /favicon.ico': () => ({ url: '/favicon.ico' }),
  'GET /media/products/:file': () => ({ url: `/media/products/${'0'.repeat(32)}.webp` }),
  'PUT /api/v1/products/:id/photo': (r) => ({ url: `/api/v1/products/${r.product._id}/photo`, headers: { 'Content-Type': 'image/png' }, body: 'not a png' }),
  'DELETE /api/v1/products/:id/photo': (r) => ({ url: `/api/v1/products/${r.product._id}/photo` }),
  'GET /healthz': () => ({ url: '/healthz' }),
  'GET /api/v1/openapi.json': () => ({ url: '/api/v1/openapi.json' }),
  'GET /api/docs': () => ({ url: '/api/docs' }),
  'GET /static/api-docs/:file': () => ({ url: '/static/api-docs/swagger-ui.css' }),
  'GET /readyz': () => ({ url: '/readyz' }),
  'GET /': () => ({ url: '/' }),
  'GET /products': () => ({ url: '/products?q=mat+ong&stars=4' }),
  'GET /products/:id': (r) => ({ url: `/products/${r.product._id}` }),
  'GET /producers/:id': (r) => ({ url: `/producers/${r.producer._id}` }),
  'GET /serial': (r) => ({ url: `/serial?serial=${r.serial}` }),
  'GET /api/v1/registry/search': () => ({ url: '/api/v1/registry/search?q=mat+ong' }),
  'GET /api/v1/registry/products.csv': () => ({ url: '/api/v1/registry/products.csv' }),
  'GET /api/v1/registry/products.json': () => ({ url: '/api/v1/registry/products.json' }),
  'GET /report': () => ({ url: '/report' }),
  'POST /report': () => ({ url: '/report' }),
  'GET /statistics': () => ({ url: '/statistics?province=01' }),
  'GET /statistics/:figure.csv': () => ({ url: '/statistics/stars.csv?province=01' }),
  'GET /api/v1/reports': () => ({ url: '/api/v1/reports' }),
  'GET /api/v1/audit': () => ({ url: '/api/v1/audit?action=producer.create' }),
  'GET /api/v1/reports/:receipt': () => ({ url: '/api/v1/reports/BC-99999999' }),
  'GET /api/v1/reports/:receipt/photo': () => ({ url: '/api/v1/reports/BC-99999999/photo' }),
  // A valid body, a fresh id each time: an allowed caller gets 201; a producer key filtering on its own producer is let through, another producer's refused.
  'GET /api/v1/inspect/check': () => ({ url: '/api/v1/inspect/check?label=not-a-label' }),
  'POST /api/v1/inspections': () => ({ url: '/api/v1/inspections', body: { id: `policy-${randomUUID()}`, at: new Date(Date.now() - 60_000).toISOString(), commune: '00004', place: 'Chợ', finding: 'ok' } }),
  'GET /api/v1/inspections': (r) => ({ url: `/api/v1/inspections?producerId=${r.producer._id}` }),
  'GET /api/v1/inspections.csv': (r) => ({ url: `/api/v1/inspections.csv?producerId=${r.producer._id}` }),
  'GET /api/v1/inspections/:id': (r) => ({ url: `/api/v1/inspections/${r.inspectionId}` }),
  'PUT /api/v1/inspections/:id/photos': () => ({ url: '/api/v1/inspections/no-such-inspection-0/photos', headers: { 'Content-Type': 'image/png' }, body: 'not a photo' }),
  'GET /api/v1/inspections/:id/photos/:slot': (r) => ({ url: `/api/v1/inspections/${r.inspectionId}/photos/1` }),
  // Account pages answer JSON when asked, as the table test reads error codes; their forms carry an anonymous CSRF pair.
  'GET /login': () => ({ url: '/login', headers: JSON_PAGE }),
  'POST /login': (r) => ({ url: '/login', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /logout': (r) => ({ url: '/logout', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /reset/:token': () => ({ url: `/reset/${'x'.repeat(43)}`, headers: JSON_PAGE }),
  'POST /reset/:token': (r) => ({ url: `/reset/${'x'.repeat(43)}`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /account': () => ({ url: '/account', headers: JSON_PAGE }),
  'POST /account/password': (r) => ({ url: '/account/password', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /account/logout-everywhere': (r) => ({ url: '/account/logout-everywhere', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /account/keys': (r) => ({ url: '/account/keys', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /account/keys/:id/revoke': (r) => ({ url: '/account/keys/zzzzzzzzzzzz/revoke', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/users': () => ({ url: '/office/users', headers: JSON_PAGE }),
  'POST /office/users': (r) => ({ url: '/office/users', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /office/users/:id/reset': (r) => ({ url: `/office/users/${r.user.id}/reset`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /office/users/:id/disable': (r) => ({ url: '/office/users/nobody000000/disable', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /office/users/:id/enable': (r) => ({ url: `/office/users/${r.user.id}/enable`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  // The office's registry screens (src/office/): pages and forms like the users page.
  'GET /office': () => ({ url: '/office', headers: JSON_PAGE }),
  'GET /office/producers': () => ({ url: '/office/producers?q=htx', headers: JSON_PAGE }),
  'GET /office/producers/new': () => ({ url: '/office/producers/new', headers: JSON_PAGE }),
  'POST /office/producers': (r) => ({ url: '/office/producers', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/producers/:id': (r) => ({ url: `/office/producers/${r.producer._id}`, headers: JSON_PAGE }),
  'POST /office/producers/:id': (r) => ({ url: `/office/producers/${r.producer._id}`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/producers/:id/products/new': (r) => ({ url: `/office/producers/${r.producer._id}/products/new`, headers: JSON_PAGE }),
  'POST /office/producers/:id/products': (r) => ({ url: `/office/producers/${r.producer._id}/products`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/products/:id': (r) => ({ url: `/office/products/${r.product._id}`, headers: JSON_PAGE }),
  'POST /office/products/:id': (r) => ({ url: `/office/products/${r.product._id}`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /office/products/:id/certifications': (r) => ({ url: `/office/products/${r.product._id}/certifications`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/certifications': () => ({ url: '/office/certifications?status=active', headers: JSON_PAGE }),
  'GET /office/certifications/:id': (r) => ({ url: `/office/certifications/${r.certification._id}`, headers: JSON_PAGE }),
  'POST /office/certifications/:id/revoke': (r) => ({ url: `/office/certifications/${r.certification._id}/revoke`, headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/keys': () => ({ url: '/office/keys', headers: JSON_PAGE }),
  'POST /office/keys/rotate': (r) => ({ url: '/office/keys/rotate', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /office/keys/:kid/revoke': (r) => ({ url: '/office/keys/AAAAAAAA/revoke', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/api-keys': () => ({ url: '/office/api-keys', headers: JSON_PAGE }),
  'POST /office/api-keys/:id/revoke': (r) => ({ url: '/office/api-keys/zzzzzzzzzzzz/revoke', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/audit': () => ({ url: '/office/audit?action=producer.create', headers: JSON_PAGE }),
  'GET /office/decisions': () => ({ url: '/office/decisions', headers: JSON_PAGE }),
  'POST /office/decisions/preview': (r) => ({ url: '/office/decisions/preview', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'POST /office/decisions/commit': (r) => ({ url: '/office/decisions/commit', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/decisions/:id': () => ({ url: '/office/decisions/nothing~here', headers: JSON_PAGE }),
  'POST /office/decisions/:id/resume': (r) => ({ url: '/office/decisions/nothing~here/resume', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /office/flagged': () => ({ url: '/office/flagged', headers: JSON_PAGE }),
  'GET /office/flagged.csv': () => ({ url: '/office/flagged.csv', headers: JSON_PAGE }),
  // The producer's screens: forms, sent as forms (their routes read no JSON), so a write reaches the record's check.
  'GET /producer': () => ({ url: '/producer', headers: JSON_PAGE }),
  'GET /producer/products/:productId': (r) => ({ url: `/producer/products/${r.product._id}`, headers: JSON_PAGE }),
  'GET /producer/products/:productId/batches/new': (r) => ({ url: `/producer/products/${r.product._id}/batches/new`, headers: JSON_PAGE }),
  'POST /producer/products/:productId/batches': (r) => ({ url: `/producer/products/${r.product._id}/batches`, headers: { ...FORM_PAGE, ...r.csrf }, body: { lotCode: `PS-${randomUUID().slice(0, 12)}`, productionDate: '2025-09-01', quantity: '10', unit: 'jar', communeCode: '00577' } }),
  'GET /producer/batches/:batchId': (r) => ({ url: `/producer/batches/${r.batch._id}`, headers: JSON_PAGE }),
  'GET /producer/batches/:batchId/edit': (r) => ({ url: `/producer/batches/${r.batch._id}/edit`, headers: JSON_PAGE }),
  'POST /producer/batches/:batchId': (r) => ({ url: `/producer/batches/${r.batch._id}`, headers: { ...FORM_PAGE, ...r.csrf }, body: {} }),
  'POST /producer/batches/:batchId/runs': (r) => ({ url: `/producer/batches/${r.batch._id}/runs`, headers: { ...FORM_PAGE, ...r.csrf }, body: { count: '1', runKey: randomUUID() } }),
  'GET /producer/runs/:runId': (r) => ({ url: `/producer/runs/${r.runId}`, headers: JSON_PAGE }),
  'GET /producer/runs/:runId/print': (r) => ({ url: `/producer/runs/${r.runId}/print?kind=roll&width=60&height=40&labelLang=vi-en`, headers: JSON_PAGE }),
  'POST /producer/runs/:runId/resume': (r) => ({ url: `/producer/runs/${r.runId}/resume`, headers: { ...FORM_PAGE, ...r.csrf }, body: {} }),
  'POST /producer/runs/:runId/revoke': (r) => ({ url: `/producer/runs/${r.runToRevoke}/revoke`, headers: { ...FORM_PAGE, ...r.csrf }, body: { reason: 'roll lost in transit' } }),
  'GET /producer/labels/void': () => ({ url: '/producer/labels/void', headers: JSON_PAGE }),
  'POST /producer/labels/void': (r) => ({ url: '/producer/labels/void', headers: { ...FORM_PAGE, ...r.csrf }, body: { serial: r.serialToVoid, reason: 'torn' } }),
  // The inspectors' scan page, and the files of its offline app (open, like /static).
  'GET /inspect': () => ({ url: '/inspect', headers: JSON_PAGE }),
  'GET /inspect/app/:file': () => ({ url: '/inspect/app/manifest-vi.webmanifest' }),
  // The findings log's and the reports queue's screens; a producer naming another producer's findings is refused.
  'GET /inspect/findings': (r) => ({ url: `/inspect/findings?producerId=${r.producer._id}`, headers: JSON_PAGE }),
  'GET /office/findings': () => ({ url: '/office/findings', headers: JSON_PAGE }),
  'GET /producer/findings': (r) => ({ url: `/producer/findings?producerId=${r.producer._id}`, headers: JSON_PAGE }),
  'GET /inspect/findings/new': () => ({ url: '/inspect/findings/new', headers: JSON_PAGE }),
  'POST /inspect/findings': (r) => ({ url: '/inspect/findings', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  'GET /inspect/reports': () => ({ url: '/inspect/reports', headers: JSON_PAGE }),
  'GET /office/reports': () => ({ url: '/office/reports', headers: JSON_PAGE }),
  'POST /inspect/reports/:receipt/status': (r) => ({ url: '/inspect/reports/BC-99999999/status', headers: { ...JSON_PAGE, ...r.csrf }, body: {} }),
  // A producer's screens name a record of theirs, so another producer's key is refused (403), not shown its own.
  'GET /producer/events': (r) => ({ url: `/producer/events?batch=${r.batch._id}`, headers: JSON_PAGE }),
  'POST /producer/events': (r) => ({
    url: '/producer/events',
    headers: { ...JSON_PAGE, ...r.csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `step=retail&batchId=${r.batch._id}&when=2026-01-05T09:00&place=commune&commune=00577`,
  }),
  'GET /producer/scans': (r) => ({ url: `/producer/scans?product=${r.product._id}`, headers: JSON_PAGE }),
  'GET /producer/scans/:table.csv': (r) => ({ url: `/producer/scans/days.csv?product=${r.product._id}`, headers: JSON_PAGE }),
  'GET /api/v1/me': () => ({ url: '/api/v1/me' }),
  'POST /api/v1/api-keys': () => ({ url: '/api/v1/api-keys', body: {} }),
  'GET /api/v1/api-keys': () => ({ url: '/api/v1/api-keys' }),
  'POST /api/v1/api-keys/:id/revoke': () => ({ url: '/api/v1/api-keys/zzzzzzzzzzzz/revoke', body: {} }),
  'POST /api/v1/producers': () => ({ url: '/api/v1/producers', body: {} }),
  'GET /api/v1/producers': () => ({ url: '/api/v1/producers' }),
  'GET /api/v1/producers/:id': (r) => ({ url: `/api/v1/producers/${r.producer._id}` }),
  'PATCH /api/v1/producers/:id': (r) => ({ url: `/api/v1/producers/${r.producer._id}`, body: { unknownField: true } }),
  'GET /api/v1/product-groups': () => ({ url: '/api/v1/product-groups' }),
  'POST /api/v1/products': () => ({ url: '/api/v1/products', body: {} }),
  'GET /api/v1/products': () => ({ url: '/api/v1/products' }),
  'GET /api/v1/products/:id': (r) => ({ url: `/api/v1/products/${r.product._id}` }),
  'PATCH /api/v1/products/:id': (r) => ({ url: `/api/v1/products/${r.product._id}`, body: { unknownField: true } }),
  'POST /api/v1/products/:id/certifications': (r) => ({ url: `/api/v1/products/${r.product._id}/certifications`, body: {} }),
  'GET /api/v1/certifications': () => ({ url: '/api/v1/certifications' }),
  'GET /api/v1/certifications/:id': (r) => ({ url: `/api/v1/certifications/${r.certification._id}` }),
  'POST /api/v1/certifications/:id/revoke': (r) => ({ url: `/api/v1/certifications/${r.certification._id}/revoke`, body: {} }),
  'GET /api/v1/admin-units/provinces': () => ({ url: '/api/v1/admin-units/provinces' }),
  'GET /api/v1/admin-units/provinces/:code/communes': () => ({ url: '/api/v1/admin-units/provinces/01/communes' }),
  'POST /api/v1/products/:productId/batches': (r) => ({ url: `/api/v1/products/${r.product._id}/batches`, body: batchBody() }),
  'GET /api/v1/batches': (r) => ({ url: `/api/v1/batches?producer=${r.producer._id}` }),
  'GET /api/v1/batches/:id': (r) => ({ url: `/api/v1/batches/${r.batch._id}` }),
  'PUT /api/v1/batches/:id': (r) => ({ url: `/api/v1/batches/${r.batch._id}`, body: batchInputOf(r.batch) }),
  'POST /api/v1/batches/:batchId/label-runs': (r) => ({
    url: `/api/v1/batches/${r.batch._id}/label-runs`,
    body: { count: 1 },
    headers: { 'Idempotency-Key': randomUUID() },
  }),
  'GET /api/v1/batches/:batchId/label-runs': (r) => ({ url: `/api/v1/batches/${r.batch._id}/label-runs` }),
  'GET /api/v1/label-runs/:id': (r) => ({ url: `/api/v1/label-runs/${r.runId}` }),
  'POST /api/v1/label-runs/:id/revoke': (r) => ({ url: `/api/v1/label-runs/${r.runToRevoke}/revoke`, body: { reason: 'roll lost in transit' } }),
  'GET /api/v1/labels/:serial.svg': (r) => ({ url: `/api/v1/labels/${r.serial}.svg` }),
  'GET /api/v1/labels/:serial.png': (r) => ({ url: `/api/v1/labels/${r.serial}.png` }),
  'GET /api/v1/labels/:serial': (r) => ({ url: `/api/v1/labels/${r.serial}` }),
  'POST /api/v1/labels/:serial/void': (r) => ({ url: `/api/v1/labels/${r.serialToVoid}/void`, body: { reason: 'torn' } }),
  'GET /api/v1/label-runs/:id/sheet.pdf': (r) => ({ url: `/api/v1/label-runs/${r.runId}/sheet.pdf` }),
  'GET /api/v1/label-runs/:id/labels.csv': (r) => ({ url: `/api/v1/label-runs/${r.runId}/labels.csv` }),
  'GET /api/v1/label-runs/:id/labels.zpl': (r) => ({ url: `/api/v1/label-runs/${r.runId}/labels.zpl` }),
  'GET /api/v1/keys': () => ({ url: '/api/v1/keys' }),
  'POST /api/v1/keys/rotate': () => ({ url: '/api/v1/keys/rotate' }),
  'POST /api/v1/keys/:kid/revoke': () => ({ url: '/api/v1/keys/AAAAAAAA/revoke', body: {} }),
  'POST /api/v1/events': (r) => ({ url: '/api/v1/events', body: objectEvent(r.world) }),
  'POST /api/v1/epcis/capture': (r) => ({ url: '/api/v1/epcis/capture', body: epcisDoc([objectEvent(r.world, { bizStep: 'shipping' })]) }),
  'GET /api/v1/epcis/capture/:id': (r) => ({ url: `/api/v1/epcis/capture/${r.captureId}` }),
  'GET /api/v1/events': (r) => ({ url: `/api/v1/events?batch=${r.batch._id}` }),
  'GET /api/v1/epcis/events': (r) => ({ url: `/api/v1/epcis/events?batch=${r.batch._id}` }),
  'GET /api/v1/batches/:id/events/verify': (r) => ({ url: `/api/v1/batches/${r.batch._id}/events/verify` }),
  'GET /api/v1/products/:id/events/verify': (r) => ({ url: `/api/v1/products/${r.product._id}/events/verify` }),
  'GET /api/v1/locations/:id/events/verify': () => ({ url: '/api/v1/locations/8930000000001/events/verify' }),
  // A fresh GLN each time, so an allowed caller gets 201 rather than a duplicate.
  'POST /api/v1/locations': (r) => ({ url: '/api/v1/locations', body: { gln: withCheckDigit(`893${String(randomInt(1e9)).padStart(9, '0')}`), name: 'Kho mẫu', communeCode: '00577', producerId: r.producer._id } }),
  'GET /api/v1/locations': () => ({ url: '/api/v1/locations' }),
  'GET /api/v1/locations/:id': () => ({ url: '/api/v1/locations/8930000000001' }),
};

const JSON_PAGE = { Accept: 'application/json' };
const FORM_PAGE = { ...JSON_PAGE, 'Content-Type': 'application/x-www-form-urlencoded' };

const CALLERS: Record<CallerKind, string> = {
  admin: 'an admin key',
  own: "the record's own producer key",
  other: "another producer's key",
  inspector: 'an inspector key',
  anonymous: 'a caller without a key',
};

/**
 * Credentials that are sent but bad: every route answers 401 auth/unauthorized for
 * them, the public reads too (a bad key is not read as no key), so a client with a
 * broken key notices instead of silently getting the anonymous view.
 */
const BAD_CREDENTIALS: Record<string, (r: Records) => Record<string, string>> = {
  'a revoked key as Bearer': (r) => bearer(r.badKeys.revoked),
  'a revoked key as X-API-Key': (r) => ({ 'X-API-Key': r.badKeys.revoked }),
  'an unknown key as Bearer': (r) => bearer(r.badKeys.unknown),
  'an unknown key as X-API-Key': (r) => ({ 'X-API-Key': r.badKeys.unknown }),
  'a right key with a wrong secret as Bearer': (r) => bearer(r.badKeys.wrongSecret),
  'a malformed key as X-API-Key': () => ({ 'X-API-Key': 'not-a-key' }),
  'an empty X-API-Key': () => ({ 'X-API-Key': '' }),
  'an Authorization header that is not Bearer': () => ({ Authorization: 'Basic dXNlcjpwYXNz' }),
  'a Bearer header without a key': () => ({ Authorization: 'Bearer' }),
};

const batchBody = () => ({
  lotCode: `PL-${randomUUID().slice(0, 12)}`,
  productionDate: '2025-09-01',
  quantity: 10,
  unit: 'jar',
  origin: { communeCode: '00577' },
});

/** A producer with a certified product (GTIN), a batch, two issued runs and an event capture; every caller's key. */
async function buildRecords(app: Express) {
  const { producer, product, certification, batch, key: own, runId } = await issueRunThroughApi(app, 3, { gtin: true });
  const admin = await apiKeyFor('admin');
  const issue = await request(app)
    .post(`/api/v1/batches/${batch._id}/label-runs`)
    .set(bearer(own))
    .set('Idempotency-Key', randomUUID())
    .send({ count: 1 })
    .expect(201);
  const serials: string[] = [];
  for await (const label of activeLabelsOfRun({ _id: runId, count: 3 })) serials.push(label._id);
  const label = await request(app).get(`/api/v1/labels/${serials[0]}`).set(bearer(own)).expect(200);
  const world: EventBatch = { producerId: producer._id, productId: product._id, gtin: product.gtin ?? null, batchId: batch._id, lot: batch.lotCode, expiry: batch.expiryDate ?? new Date() };
  const capture = await request(app).post('/api/v1/events').set(bearer(own)).send(objectEvent(world, { bizStep: 'packing' })).expect(201);
  // The CSRF cookie and token of a browser that is not logged in: the forms' pair.
  const login = await request(app).get('/login').expect(200);
  const csrf = {
    Cookie: [login.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; '),
    'X-CSRF-Token': formToken(login.text),
  };
  const user = await buildUser('inspector');
  const revoked = await apiKeyFor('admin');
  await request(app).post(`/api/v1/api-keys/${revoked.split('_')[1]!}/revoke`).set(bearer(admin)).expect(200);
  const badKeys = {
    revoked,
    unknown: `ok_${'z'.repeat(12)}_${'z'.repeat(40)}`,
    wrongSecret: `${admin.slice(0, -1)}${admin.endsWith('a') ? 'b' : 'a'}`,
  };
  const keys: Record<CallerKind, string | null> = {
    admin,
    own,
    other: await apiKeyFor('producer', (await buildProducer())._id),
    inspector: await apiKeyFor('inspector'),
    anonymous: null,
  };
  // A finding about the producer's product, recorded by the inspector key: its recorder, the office and the producer read it.
  const inspectionId = `policy-${randomUUID()}`;
  await request(app).post('/api/v1/inspections').set(bearer(keys.inspector!)).send({ id: inspectionId, at: new Date(Date.now() - 60_000).toISOString(), commune: '00004', place: 'Chợ', finding: 'ok', label: { productId: product._id } }).expect(201);
  return {
    inspectionId,
    producer, product, batch, world, keys, badKeys, runId, csrf, user,
    certification: certification!,
    runToRevoke: issue.body.id as string,
    serial: serials[0]!,
    serialToVoid: serials[1]!,
    labelPath: new URL(label.body.url as string).pathname + new URL(label.body.url as string).search,
    captureId: capture.body.captureId as string,
  };
}


describe('policy: every route of the app against the role × action table', () => {
  // Its own key folder, so rotating the signing key here never touches the key other tests sign with.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-policy-'));
  const app = buildTestApp({ DATA_DIR: dataDir });
  const routes = appRoutes(app);
  let records: Records;
  let activeBefore: string[] = [];

  before(async () => {
    activeBefore = (await SigningKeyModel.find({ status: 'active' }).lean()).map((k) => k._id);
    records = await buildRecords(app);
  });

  after(async () => {
    // Give the rest of the suite back the keys it signs with (see labels-keys.test.ts).
    const mine = (await request(app).get('/api/v1/keys').set(bearer(records.keys.admin!))).body.items as { kid: string; canSignHere: boolean }[];
    const here = mine.filter((k) => k.canSignHere).map((k) => k.kid);
    await SigningKeyModel.updateMany({ _id: { $in: activeBefore.filter((k) => !here.includes(k)) } }, { $set: { status: 'active', retiredAt: null } });
    await SigningKeyModel.updateMany({ _id: { $in: here }, status: 'active' }, { $set: { status: 'retired', retiredAt: new Date() } });
    await recordChange({ kind: 'key', id: '' }); // behind the service's back: every keyring here reads statuses again
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a route is mounted without allow(), then the walk reports it without an action', () => {
    const scratch = express();
    const api = express.Router();
    api.get('/checked', allow('batch.read'), (_req, res) => void res.end());
    api.post('/forgotten', (_req, res) => void res.end());
    scratch.use('/api/v1', api);
    expect(appRoutes(scratch)).to.deep.equal([
      { method: 'GET', path: '/api/v1/checked', action: 'batch.read' },
      { method: 'POST', path: '/api/v1/forgotten', action: undefined },
    ]);
  });

  it('when the app is built, then every route names a policy action', () => {
    const unnamed = routes.filter((r) => r.action === undefined).map(routeName);
    expect(unnamed, 'routes without allow(<action>): add one and a row in src/policy/policy-table.ts').to.deep.equal([]);
    expect(routes.length).to.be.greaterThan(40);
  });

  it('when the app is built, then every route has a sample request here, and every sample a route', () => {
    const names = routes.map(routeName);
    expect(names.filter((n) => !SAMPLES[n]), 'routes without a sample request in this test').to.deep.equal([]);
    expect(Object.keys(SAMPLES).filter((n) => !names.includes(n)), 'samples of routes the app no longer has').to.deep.equal([]);
  });

  for (const route of routes) {
    const name = routeName(route);
    const rule = route.action ? POLICY[route.action] : undefined;
    describe(`${name} (${route.action ?? 'no action'})`, () => {
      for (const kind of CALLER_KINDS) {
        const answer = rule?.[kind] ?? 'none';
        const outcome = answer === 'allow' ? 'it is let through' : answer === 'key' ? '401 auth/unauthorized' : '403 auth/forbidden';
        it(`when ${CALLERS[kind]} calls, then ${outcome}`, async () => {
          expect(rule, `${name} has no policy action`).to.exist;
          const sample = SAMPLES[name]!(records);
          let req = requestFor(app, route.method, sample.url);
          const key = records.keys[kind];
          if (key) req = req.set(bearer(key));
          for (const [h, v] of Object.entries(sample.headers ?? {})) req = req.set(h, v);
          const res = sample.body === undefined ? await req : await req.send(sample.body as object);
          const seen = `${res.status} ${JSON.stringify(res.body?.error ?? null)}`;
          if (answer === 'allow') expect([401, 403], seen).not.to.include(res.status);
          else if (answer === 'key') expect([res.status, res.body.error?.code], seen).to.deep.equal([401, 'auth/unauthorized']);
          else expect([res.status, res.body.error?.code], seen).to.deep.equal([403, 'auth/forbidden']);
        });
      }
      for (const [credential, headers] of Object.entries(BAD_CREDENTIALS)) {
        it(`when ${credential} is sent, then 401 auth/unauthorized`, async () => {
          expect(rule, `${name} has no policy action`).to.exist;
          const sample = SAMPLES[name]!(records);
          let req = requestFor(app, route.method, sample.url);
          for (const [h, v] of Object.entries({ ...sample.headers, ...headers(records) })) req = req.set(h, v);
          const res = sample.body === undefined ? await req.set('Accept', 'application/json') : await req.send(sample.body as object);
          const seen = `${res.status} ${JSON.stringify(res.body?.error ?? null)}`;
          expect([res.status, res.body.error?.code], seen).to.deep.equal([401, 'auth/unauthorized']);
        });
      }
    });
  }
});
