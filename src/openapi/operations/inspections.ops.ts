import { inspectionCreateSchema, inspectionCsvSchema, inspectionIdParams, inspectionListSchema } from '../../inspections/inspection.schema.js';
import { photoParams } from '../../inspections/inspection.routes.js';
import { inspectCheckQuery } from '../../inspect/inspect-check.routes.js';
import { pageOf, record, type Operation } from '../operation.js';

/** The market inspectors' findings log (src/inspections/). */

const inspection = record('An inspection: id, at, place, starsSeen, finding, notes, label, producerId, productId, photos, inspector (not for producers), recordedAt.');
const exampleId = 'dev-7Qm2x9Lk4Rt8Vw3Z';

export const inspectionOperations: Operation[] = [
  {
    route: 'GET /api/v1/inspect/check',
    action: 'inspection.create',
    tag: 'Inspections',
    summary: "An inspector's check of a label",
    description:
      'The verdict of a label link, the same JSON as GET on the label URL with `Accept: application/json`, but not counted as a scan: an inspector checking a shelf adds nothing to the label\'s scan count or its clone signals.',
    query: inspectCheckQuery,
    example: { query: { label: `https://trace.example.vn/01/08930000000019/10/LOT-A/21/ACDEFGHJKMNPQRT3?s=4&v=290101&k=abcdefgh&sig=${'Q'.repeat(86)}` } },
    ok: { status: 200, description: 'The verdict, as the resolver answers it.', json: record('verdict, reason, message, warnings, checkedAt, label, run, product, producer, certification, batch, scans, links.') },
    errors: ['label/malformed_uri'],
  },
  {
    route: 'POST /api/v1/inspections',
    action: 'inspection.create',
    tag: 'Inspections',
    summary: 'Record an inspection',
    description:
      'The id is made on the device and is the idempotency key: the same id with the same body answers 200 with the record already made; with another body, 409 `inspection/id_reused`. The producer and product are found by the server from the label.',
    body: {
      schema: inspectionCreateSchema,
      example: {
        id: exampleId,
        at: '2026-12-02T09:30:00+07:00',
        commune: '00004',
        gps: { lat: 21.0367, lng: 105.8342, accuracy: 12 },
        place: 'Sạp 12, chợ Đồng Xuân',
        starsSeen: 5,
        finding: 'stars_above_certified',
        notes: 'Bao bì in 5 sao; chứng nhận 4 sao.',
        label: { url: 'https://trace.example.vn/01/08930000000019/10/LOT-A/21/ACDEFGHJKMNPQRT3?s=4&v=290101&k=abcdefgh&sig=x', verdict: 'genuine', verdictAsOf: '2026-12-02T07:05:00+07:00' },
      },
    },
    ok: { status: 201, description: 'The inspection, recorded.', json: inspection },
    also: { 200: 'The same id and body again: the inspection recorded the first time.' },
    errors: ['inspection/id_reused'],
  },
  {
    route: 'GET /api/v1/inspections',
    action: 'inspection.read',
    tag: 'Inspections',
    summary: 'List inspections',
    description: 'Admins: all; inspectors: theirs and their provinces\'; producers: those about their own products, without `inspector`.',
    query: inspectionListSchema,
    example: { query: { from: '2026-12-01', to: '2026-12-02', finding: 'forged_label' } },
    ok: { status: 200, description: 'A page of inspections, newest first.', json: pageOf('Inspections.') },
  },
  {
    route: 'GET /api/v1/inspections.csv',
    action: 'inspection.read',
    tag: 'Inspections',
    summary: 'Inspections as CSV',
    description: 'The same filters and visibility as the list, every match; text cells that a spreadsheet would run as a formula start with an apostrophe.',
    query: inspectionCsvSchema,
    example: { query: { commune: '00004' } },
    ok: { status: 200, description: 'CSV (UTF-8 with BOM, CRLF).', types: ['text/csv'] },
  },
  {
    route: 'GET /api/v1/inspections/:id',
    action: 'inspection.read',
    tag: 'Inspections',
    summary: 'Read an inspection',
    params: inspectionIdParams,
    example: { params: { id: exampleId } },
    ok: { status: 200, description: 'The inspection.', json: inspection },
    errors: ['inspection/not_found'],
  },
  {
    route: 'PUT /api/v1/inspections/:id/photos',
    action: 'inspection.attach_photo',
    tag: 'Inspections',
    summary: 'Attach a photo to an inspection',
    description: 'By the inspector who recorded it, or an admin. Re-encoded to JPEG at most 1600 px a side, without metadata; the same bytes again add nothing (200); at most 5 photos.',
    params: inspectionIdParams,
    rawBody: { types: ['image/jpeg', 'image/png', 'image/webp'], description: 'The image itself, at most 5 MB and 40 million pixels.' },
    example: { params: { id: exampleId } },
    ok: { status: 201, description: 'The inspection with its `photos`.', json: inspection },
    also: { 200: 'The same photo again: the inspection as it was.' },
    errors: ['inspection/not_found', 'inspection/photo_unreadable', 'inspection/photo_too_large', 'inspection/too_many_photos', 'request/too_large'],
  },
  {
    route: 'GET /api/v1/inspections/:id/photos/:slot',
    action: 'inspection.read',
    tag: 'Inspections',
    summary: "An inspection's photo",
    params: photoParams,
    example: { params: { id: exampleId, slot: '1' } },
    ok: { status: 200, description: 'The photo.', types: ['image/jpeg'] },
    errors: ['inspection/not_found'],
  },
];
