import { z } from 'zod';
import { createBatchInput, listBatchesQuery, recordIdParam as batchIdParam } from '../../batches/batch.schema.js';
import { issueRunBody, kidParam, optionalReasonBody, pngQuery, reasonBody, recordIdParam, runListQuery, serialParam } from '../../labels/runs/label-run.schema.js';
import { sheetQuery, zplQuery } from '../../labels/print/print.schema.js';
import { LABEL_LANGS } from '../../labels/print/label-face.js';
import { pageOf, record, type Operation } from '../operation.js';

/** Batches, label runs, labels and their print outputs, signing keys. */

const batch = record('A batch: lot code, dates, quantity and unit, origin.');
const run = record('A label run: its state (`pending`, `issued`, `revoked`), count and batch.');
const label = record('A label: serial, state, run; `url` (the signed label URL) only for who may print it.');
const keys = record('`{items: [{kid, status, createdAt, retiredAt, revokedAt, canSignHere}]}`.');
const runParams = z.object({ id: recordIdParam });
const serialParams = z.object({ serial: serialParam });
/** A batch as its creation and its change send it. */
const batchExample = { lotCode: 'BT-2025-09', productionDate: '2025-09-01', expiryDate: '2027-09-01', quantity: 500, unit: 'jar', origin: { communeCode: '00577', placeName: 'Xưởng gốm số 1' } };
const printErrors = ['run/not_found', 'run/not_printable', 'run/incomplete'] as const;

/** What `sheet.pdf` reads, as parameters: its schema is a preprocess over a union, which has no parameter form. */
const sheetParams = z.object({
  format: z.enum(['a4', 'roll']).default('a4').meta({ description: '`a4`: the A4 sheet; `roll`: one label per page of width × height mm.' }),
  width: z.number().optional().meta({ description: 'With format=roll: the label width in mm, to a tenth.' }),
  height: z.number().optional().meta({ description: 'With format=roll: the label height in mm, to a tenth.' }),
  lang: z.enum(LABEL_LANGS).default('vi-en'),
});

export const labelOperations: Operation[] = [
  {
    route: 'POST /api/v1/products/:productId/batches',
    action: 'batch.create',
    tag: 'Batches',
    summary: 'Create a batch (a lot) of a product',
    params: z.object({ productId: batchIdParam }),
    body: { schema: createBatchInput, example: batchExample },
    example: { params: { productId: 'p7m2q8r4st' } },
    idempotency: 'optional',
    ok: { status: 201, description: 'The batch, with a `Location` header.', json: batch },
    errors: ['product/not_found', 'batch/duplicate_lot'],
  },
  {
    route: 'GET /api/v1/batches',
    action: 'batch.read',
    tag: 'Batches',
    summary: 'List batches',
    description: 'A producer key lists its own batches.',
    query: listBatchesQuery,
    example: { query: { producer: 'k3j9x0a1bc', limit: '20' } },
    ok: { status: 200, description: 'A page of batches, newest first.', json: pageOf('Batches.') },
  },
  {
    route: 'GET /api/v1/batches/:id',
    action: 'batch.read',
    tag: 'Batches',
    summary: 'Read a batch',
    params: z.object({ id: batchIdParam }),
    example: { params: { id: 'b2h8k4m9qz' } },
    ok: { status: 200, description: 'The batch.', json: batch },
    errors: ['batch/not_found'],
  },
  {
    route: 'PUT /api/v1/batches/:id',
    action: 'batch.update',
    tag: 'Batches',
    summary: 'Change a batch until labels are printed for it',
    description: 'Every field again, as when the batch was created. Once a label run was started for it, 409 `batch/labels_printed`: what the labels say is fixed.',
    params: z.object({ id: batchIdParam }),
    body: { schema: createBatchInput, example: { ...batchExample, quantity: 480 } },
    example: { params: { id: 'b2h8k4m9qz' } },
    ok: { status: 200, description: 'The batch as changed.', json: batch },
    errors: ['batch/not_found', 'batch/labels_printed', 'batch/duplicate_lot'],
  },

  {
    route: 'POST /api/v1/batches/:batchId/label-runs',
    action: 'label_run.issue',
    tag: 'Labels',
    summary: 'Issue a label run for a batch',
    description: 'The run keeps its Idempotency-Key without expiry: a retry resumes or answers the run.',
    params: z.object({ batchId: recordIdParam }),
    body: { schema: issueRunBody, example: { count: 500 } },
    example: { params: { batchId: 'b2h8k4m9qz' } },
    idempotency: 'required',
    ok: { status: 201, description: 'The run, with a `Location` header.', json: run },
    also: { 200: 'The run an earlier request with this Idempotency-Key made (`Idempotent-Replayed: true`).' },
    errors: [
      'batch/not_found',
      'run/idempotency_key_required',
      'run/idempotency_conflict',
      'run/no_certification',
      'run/certification_expired',
      'run/certification_revoked',
      'run/revoked',
      'run/count_exceeds_batch',
      'key/no_signing_key',
    ],
  },
  {
    route: 'GET /api/v1/batches/:batchId/label-runs',
    action: 'label_run.read',
    tag: 'Labels',
    summary: "List a batch's label runs",
    params: z.object({ batchId: recordIdParam }),
    query: runListQuery,
    example: { params: { batchId: 'b2h8k4m9qz' }, query: { limit: '10' } },
    ok: { status: 200, description: 'A page of runs, newest first.', json: pageOf('Label runs.') },
    errors: ['batch/not_found'],
  },
  {
    route: 'GET /api/v1/label-runs/:id',
    action: 'label_run.read',
    tag: 'Labels',
    summary: 'Read a label run',
    params: runParams,
    example: { params: { id: 'r4t6y8u2io' } },
    ok: { status: 200, description: 'The run.', json: run },
    errors: ['run/not_found'],
  },
  {
    route: 'POST /api/v1/label-runs/:id/revoke',
    action: 'label_run.revoke',
    tag: 'Labels',
    summary: 'Revoke a label run (every label of it)',
    params: runParams,
    body: { schema: reasonBody, example: { reason: 'roll lost in transit' } },
    example: { params: { id: 'r4t6y8u2io' } },
    ok: { status: 200, description: 'The run, revoked.', json: run },
    errors: ['run/not_found', 'run/already_revoked'],
  },
  {
    route: 'GET /api/v1/label-runs/:id/sheet.pdf',
    action: 'label.print',
    tag: 'Labels',
    summary: "Print a run's labels as PDF (an A4 sheet, or roll labels)",
    params: runParams,
    query: sheetQuery,
    queryShown: sheetParams,
    example: { params: { id: 'r4t6y8u2io' }, query: { format: 'roll', width: '50', height: '30', lang: 'vi' } },
    ok: { status: 200, description: 'The PDF.', types: ['application/pdf'] },
    errors: [...printErrors, 'label/size_too_small'],
  },
  {
    route: 'GET /api/v1/label-runs/:id/labels.zpl',
    action: 'label.print',
    tag: 'Labels',
    summary: "A run's labels for a Zebra-class printer (ZPL)",
    params: runParams,
    query: zplQuery,
    example: { params: { id: 'r4t6y8u2io' }, query: { width: '50', height: '30', dpmm: '8', lang: 'vi-en' } },
    ok: { status: 200, description: 'ZPL, one ^XA…^XZ per label.', types: ['text/plain'] },
    errors: [...printErrors, 'label/size_too_small'],
  },
  {
    route: 'GET /api/v1/label-runs/:id/labels.csv',
    action: 'label.print',
    tag: 'Labels',
    summary: "A run's labels as CSV (for a label printer's software)",
    params: runParams,
    example: { params: { id: 'r4t6y8u2io' } },
    ok: { status: 200, description: 'CSV: seq, serial, url, lot, stars, valid_until.', types: ['text/csv'] },
    errors: [...printErrors],
  },
  {
    route: 'GET /api/v1/labels/:serial.svg',
    action: 'label.print',
    tag: 'Labels',
    summary: "A label's QR code as SVG",
    params: serialParams,
    example: { params: { serial: 'A7K2M9Q4T6W8X' } },
    ok: { status: 200, description: 'The QR code.', types: ['image/svg+xml'] },
    errors: ['label/not_found', 'label/not_printable', ...printErrors],
  },
  {
    route: 'GET /api/v1/labels/:serial.png',
    action: 'label.print',
    tag: 'Labels',
    summary: "A label's QR code as PNG",
    params: serialParams,
    query: pngQuery,
    example: { params: { serial: 'A7K2M9Q4T6W8X' }, query: { size: '512' } },
    ok: { status: 200, description: 'The QR code, `size` px square.', types: ['image/png'] },
    errors: ['label/not_found', 'label/not_printable', 'label/png_too_small', ...printErrors],
  },
  {
    route: 'GET /api/v1/labels/:serial',
    action: 'label.read',
    tag: 'Labels',
    summary: 'Read a label',
    params: serialParams,
    example: { params: { serial: 'A7K2M9Q4T6W8X' } },
    ok: { status: 200, description: 'The label.', json: label },
    errors: ['label/not_found'],
  },
  {
    route: 'POST /api/v1/labels/:serial/void',
    action: 'label.void',
    tag: 'Labels',
    summary: 'Void one label',
    params: serialParams,
    body: { schema: optionalReasonBody, example: { reason: 'torn' }, required: false },
    example: { params: { serial: 'A7K2M9Q4T6W8X' } },
    ok: { status: 200, description: 'The label, void.', json: label },
    errors: ['label/not_found', 'label/not_active'],
  },

  {
    route: 'GET /api/v1/keys',
    action: 'signing_key.read',
    tag: 'Signing keys',
    summary: 'List signing keys',
    ok: { status: 200, description: 'The signing keys, whole.', json: keys },
  },
  {
    route: 'POST /api/v1/keys/rotate',
    action: 'signing_key.rotate',
    tag: 'Signing keys',
    summary: 'Rotate the signing key',
    description: 'The new key signs new labels; the old one still verifies the labels it signed.',
    idempotency: 'optional',
    ok: { status: 201, description: '`{kid, items}`: the new key id and every key.', json: keys },
    errors: ['key/rotate_by_environment'],
  },
  {
    route: 'POST /api/v1/keys/:kid/revoke',
    action: 'signing_key.revoke',
    tag: 'Signing keys',
    summary: 'Revoke a signing key (its labels no longer verify)',
    params: z.object({ kid: kidParam }),
    body: { schema: reasonBody, example: { reason: 'key file copied to an unmanaged laptop' } },
    example: { params: { kid: 'AAAAAAAA' } },
    ok: { status: 200, description: 'Every key.', json: keys },
    errors: ['key/not_found', 'key/already_revoked'],
  },
];
