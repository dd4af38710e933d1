import type { Operation } from '../operation.js';
import { eventOperations } from './events.ops.js';
import { labelOperations } from './labels.ops.js';
import { registryOperations } from './registry.ops.js';
import { serviceOperations } from './service.ops.js';

/**
 * Every route of the app the description tells, in the order it lists them. A new route
 * is an entry in one of these files (or in LEFT_OUT, saying why); test/integration/openapi.test.ts
 * fails for a route of the app that is in neither.
 */
export const OPERATIONS: readonly Operation[] = [...registryOperations, ...labelOperations, ...eventOperations, ...serviceOperations];

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
};
