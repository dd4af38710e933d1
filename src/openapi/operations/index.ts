import type { Operation } from '../operation.js';
import { eventOperations } from './events.ops.js';
import { inspectionOperations } from './inspections.ops.js';
import { labelOperations } from './labels.ops.js';
import { registryOperations } from './registry.ops.js';
import { serviceOperations } from './service.ops.js';

/**
 * Every route of the app the description tells, in the order it lists them. A new route
 * is an entry in one of these files (or in LEFT_OUT, saying why); test/integration/openapi.test.ts
 * fails for a route of the app that is in neither.
 */
export const OPERATIONS: readonly Operation[] = [...registryOperations, ...labelOperations, ...eventOperations, ...inspectionOperations, ...serviceOperations];

/** Routes for people, not programs: pages, their files and this description's own page. */
export const LEFT_OUT: Readonly<Record<string, string>> = {
  'GET /': 'the home page',
  'GET /report': 'the report form, a page for people',
  'POST /report': "the report form's submission (multipart, answers a page); programs read reports at /api/v1/reports",
  'GET /static/*file': "the pages' style sheets and scripts",
  'GET /static/api-docs/:file': "the reference page's swagger-ui files",
  'GET /favicon.ico': "the site's icon",
  'GET /api/docs': 'the reference page that renders this description',
  'GET /products': 'the registry search page (programs: /api/v1/registry/search)',
  'GET /products/:id': 'a product page',
  'GET /producers/:id': 'a producer page',
  'GET /serial': 'the serial typed on the home page, sent on to its label page',
  // CORS preflights: browsers send them before a cross-origin read; no body (docs/api.md, resolver).
  'OPTIONS /01/*rest': "a browser's CORS preflight for a resolver path",
  'OPTIONS /gtin/*rest': "a browser's CORS preflight for a resolver path",
  'OPTIONS /p/*rest': "a browser's CORS preflight for a resolver path",
  'OPTIONS /:compressed': "a browser's CORS preflight for a compressed Digital Link",
  'GET /statistics': 'the statistics page (charts and tables)',
  'GET /statistics/:figure.csv': "one chart's table as CSV, linked from the page (docs/api.md, statistics)",
  // Accounts: forms for people, with a session cookie and a CSRF token (programs use API keys).
  'GET /login': 'the login form',
  'POST /login': "the login form's submission",
  'POST /logout': 'logging out (a form button)',
  'GET /reset/:token': 'the one-time password reset form',
  'POST /reset/:token': "the reset form's submission",
  'GET /account': "the user's account page",
  'POST /account/password': 'a form on the account page',
  'POST /account/logout-everywhere': 'a form on the account page',
  'POST /account/keys': 'a form on the account page (the key is shown once on the page)',
  'POST /account/keys/:id/revoke': 'a form on the account page',
  'GET /office/users': "the programme office's users page",
  'POST /office/users': 'a form on the users page',
  'POST /office/users/:id/reset': 'a form on the users page (the one-time link is shown once on the page)',
  'POST /office/users/:id/disable': 'a form on the users page',
  'POST /office/users/:id/enable': 'a form on the users page',
  // The office's registry screens (src/office/); programs use the registry, keys and API-key routes of /api/v1.
  'GET /office': "the programme office's home page",
  'GET /office/producers': "the office's list of producers",
  'GET /office/producers/new': 'the form to register a producer',
  'POST /office/producers': "the producer form's submission",
  'GET /office/producers/:id': "a producer's office page (edit form and products)",
  'POST /office/producers/:id': "the producer edit form's submission",
  'GET /office/producers/:id/products/new': 'the form to add a product',
  'POST /office/producers/:id/products': "the product form's submission",
  'GET /office/products/:id': "a product's office page (edit form, certifications)",
  'POST /office/products/:id': "the product edit form's submission",
  'POST /office/products/:id/certifications': 'the certification form on a product page (record or re-rate)',
  'GET /office/certifications': "the office's list of certifications",
  'GET /office/certifications/:id': "a certification's office page (the revoke form)",
  'POST /office/certifications/:id/revoke': "the revoke form's submission",
  'GET /office/keys': "the office's signing keys page",
  'POST /office/keys/rotate': 'a form on the signing keys page',
  'POST /office/keys/:kid/revoke': 'a form on the signing keys page',
  'GET /office/api-keys': "the office's list of API keys",
  'POST /office/api-keys/:id/revoke': 'a form on the API keys page',
  'GET /office/audit': "the office's audit log reader",
  'GET /office/decisions': "the programme office's decision import page",
  'POST /office/decisions/preview': 'a file upload form on the decision import page (the preview is a page)',
  'POST /office/decisions/commit': 'a form on the decision preview page',
  'GET /office/decisions/:id': "an imported decision's page (its figures or its progress)",
  'POST /office/decisions/:id/resume': "a form on an interrupted decision's page",
  'GET /office/flagged': "the programme office's flagged scans page",
  'GET /office/flagged.csv': 'the flagged scans page as a CSV download',
  // The producer's own screens (src/producer-screens/): pages and their forms; programs use the batches and label-runs API.
  'GET /producer': "a producer's home screen",
  'GET /producer/products/:productId': "a producer's product and its batches",
  'GET /producer/products/:productId/batches/new': 'the new batch form',
  'POST /producer/products/:productId/batches': "the new batch form's submission (programs: POST /api/v1/products/:productId/batches)",
  'GET /producer/batches/:batchId': 'a batch, its label runs and the form to issue one',
  'GET /producer/batches/:batchId/edit': 'the batch edit form',
  'POST /producer/batches/:batchId': "the batch edit form's submission",
  'POST /producer/batches/:batchId/runs': "the run form's submission (programs: POST /api/v1/batches/:batchId/label-runs)",
  'GET /producer/runs/:runId': "a label run's page: state, progress, downloads",
  'GET /producer/runs/:runId/print': "the run page's roll PDF and ZPL forms, sent on to the label-runs API's files",
  'POST /producer/runs/:runId/resume': 'a button on the run page: continue a run left pending',
  'POST /producer/runs/:runId/revoke': 'a form on the run page (programs: POST /api/v1/label-runs/:id/revoke)',
  'GET /producer/labels/void': 'the void-a-label form',
  'POST /producer/labels/void': "the void form's submission (programs: POST /api/v1/labels/:serial/void)",
  'GET /inspect': "the inspectors' scan page (programs verify labels at their URLs and POST /api/v1/decode)",
  'GET /inspect/app/:file': "the scan page's offline app: manifest, icons, service worker, the QR decoder worker and its readers",
  // The findings log and the reports queue: screens for inspectors, the office and producers (programs: /api/v1/inspections, /api/v1/reports).
  'GET /inspect/findings': "the inspector's findings list (filters, table, CSV link)",
  'GET /office/findings': "the programme office's findings list",
  'GET /producer/findings': "a producer's findings about its own products",
  'GET /inspect/findings/new': 'the form to record an inspection without a label',
  'POST /inspect/findings': "that form's submission",
  'GET /inspect/reports': "the inspectors' queue of shoppers' reports",
  'GET /office/reports': "the programme office's queue of shoppers' reports",
  'POST /inspect/reports/:receipt/status': "a form on the reports queues (open → checked → closed, with a note)",
  // A producer's own screens (programs capture with POST /api/v1/epcis/capture and a producer key).
  'GET /producer/events': "the producer's step forms (harvest … retail) and a batch's journey",
  'POST /producer/events': "a step form's submission (records one EPCIS event)",
  'GET /producer/scans': "the scans of the producer's labels (charts and tables)",
  'GET /producer/scans/:table.csv': "one table of the scans page as CSV, linked from the page",
};
