import compression from 'compression';
import express, { type Express } from 'express';
import helmet from 'helmet';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { databaseIsReady } from './db.js';
import type { Logger } from './logger.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { requestLog } from './http/request-log.js';
import { carriesCredential, openRoute, principal } from './policy/principal-of-request.js';
import { apiRateLimit, pageRateLimit } from './limits/rate-limit.js';
import { Keyring } from './labels/signing/keyring.js';
import { apiKeysRouter } from './accounts/api-key.routes.js';
import { auditApiRouter } from './audit/audit.routes.js';
import { ACCOUNT_PAGES, accountPagesLayer, apiSessionLayer, loginPagesRouter, type AccountWeb } from './accounts/login.routes.js';
import { accountPagesRouter, meApiRouter } from './accounts/account.routes.js';
import { officePagesRouter } from './accounts/office.routes.js';
import { officeRegistryRouter } from './office/office.routes.js';
import { decisionPagesRouter } from './office/decisions/decisions.routes.js';
import { flaggedScansRouter } from './office/flagged/flagged.routes.js';
import { producerScreensRouter } from './producer-screens/producer-screens.routes.js';
import { inspectPagesRouter } from './inspect/inspect.routes.js';
import { producerEventsRouter } from './producer-screens/events.routes.js';
import { producerScansRouter } from './producer-screens/scans.routes.js';
import { sessionSecret, sessionStore } from './accounts/session.js';
import { csrfProtection } from './accounts/csrf.js';
import { LoginGate } from './accounts/login.service.js';
import { registryRouter } from './registry/registry.routes.js';
import { mediaRouter } from './registry/products/product-photo.routes.js';
import { referenceRouter } from './reference/admin-units.routes.js';
import { eventsRouter } from './events/events.routes.js';
import { batchesRouter } from './batches/batches.routes.js';
import { labelsRouter } from './labels/labels.routes.js';
import { verifyRouter } from './verify/verify.routes.js';
import { reportPagesRouter, reportsApiRouter } from './reports/report.routes.js';
import { inspectionsApiRouter } from './inspections/inspection.routes.js';
import { inspectionPagesRouter } from './inspections/inspection-pages.routes.js';
import { reportQueueRouter } from './reports/report-queue.routes.js';
import { openApiRouter } from './openapi/openapi.routes.js';
import { ScanRecorder } from './verify/scans/scan-recorder.js';
import { dashboardRouter } from './dashboard/dashboard.routes.js';
import { DashboardSnapshots } from './dashboard/dashboard.service.js';
import { CatalogueIndex } from './catalogue/catalogue-index.js';
import { cataloguePagesRouter } from './catalogue/catalogue-pages.routes.js';
import { openDataRouter } from './catalogue/open-data.routes.js';
import { LabelVerifier } from './verify/verify.service.js';
import { requestMetrics } from './http/request-metrics.js';
import { revocationsRouter } from './verify/revocations/revocations.routes.js';
import { RevocationLists } from './verify/revocations/revocation-list.service.js';
import { inspectCheckRouter } from './inspect/inspect-check.routes.js';
import { photoDecodeRouter } from './verify/photos/photo-decode.routes.js';

export type AppDeps = {
  config: Config;
  logger: Logger;
  /** Label signing keys; opened from config when not given. */
  keyring?: Keyring;
  /** Buffers label scans and writes them in batches; main.ts flushes it on shutdown. */
  scans?: ScanRecorder;
  /** The statistics page's figures (src/dashboard/); made from config when not given. */
  statistics?: DashboardSnapshots;
  /** The label verifier (main.ts makes it, to hand its counts to the metrics); made here when not given. */
  verifier?: LabelVerifier;
};

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** Builds the HTTP app. It neither connects nor listens: main.ts and the tests do that. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const keyring = deps.keyring ?? Keyring.open(config);
  const scans = deps.scans ?? new ScanRecorder({ flushMs: config.scanFlushMs, tallyTtlMs: config.scanTallyRefreshMs, logger });
  const app = express();
  app.disable('x-powered-by');
  // The client address (rate limits per address, scan client hashes) comes from X-Forwarded-For only through these proxies.
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  // Pages are no-store and API lists change: an ETag (a hash of every body) buys nothing here.
  app.set('etag', false);
  // Request rate and latency by route class, only when metrics are on (METRICS_PORT).
  if (config.metricsPort !== null) app.use(requestMetrics());

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          mediaSrc: ["'self'", 'blob:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
    }),
  );
  app.use(requestLog(logger));
  // Text answers go out compressed (brotli or gzip, as the client accepts): a phone on a
  // slow network gets the page in a third of the bytes. A client that sends no
  // Accept-Encoding gets the bytes as they are, and skips the middleware (which wraps
  // every write and header of an answer) at the cost of one header check.
  const compress = compression();
  app.use((req, res, next) => (req.headers['accept-encoding'] ? compress(req, res, next) : next()));
  // Label URLs per client address, in memory (RATE_LIMIT_PAGE=0: not mounted at all).
  const pageLimit = pageRateLimit(config);
  // /serial too: it turns a typed serial into its label's page, so guessing serials is limited like scanning them;
  // /gtin: the same Digital Links as /01 in their convenience-alpha spelling.
  if (pageLimit) app.use(['/01', '/gtin', '/p', '/serial'], pageLimit);
  // First: label URLs are the hot path and should not walk past the API's routers.
  // One verifier, one set of caches, for the label URLs and the API's checks of labels.
  const verifier = deps.verifier ?? new LabelVerifier({ config, keyring, scans });
  app.use(verifyRouter({ config, keyring, scans, verifier }));
  // Sessions (and their CSRF check) on the API and the account pages only: label URLs above never read a session cookie.
  const secret = sessionSecret(config);
  const accounts: AccountWeb = { config, secret, store: sessionStore(config), csrf: csrfProtection(config.accounts, secret), gate: new LoginGate(config) };
  // Before the rate limit, which asks who the caller is (a session user is counted as one).
  app.use('/api', apiSessionLayer(accounts));
  app.use(ACCOUNT_PAGES, accountPagesLayer(accounts));
  // Public like the JWKS, before the API's rate limit and body parser (its /api/v1 address too).
  app.use(revocationsRouter(new RevocationLists({ config, keyring })));
  // Before the body parser: a refused request's body is never read.
  app.use('/api', apiRateLimit(config, { principal, carriesCredential }, logger));
  // JSON bodies are accepted only by the API; label URLs never parse a body (the account pages read their small forms, login.routes.ts).
  app.use('/api', express.json({ limit: config.bodyLimit, type: ['application/json', 'application/*+json'] }));
  // The API description and its reference page (with the swagger-ui files it loads under /static/api-docs/).
  app.use(openApiRouter());
  app.use('/static', openRoute('site.read', express.static(publicDir, { maxAge: '1h', index: false })));
  // Browsers ask for it on every first visit: a small icon, cacheable for a year.
  const favicon = path.join(publicDir, 'favicon.ico');
  app.get('/favicon.ico', openRoute('site.read', (_req, res) => {
    res.sendFile(favicon, { maxAge: '365d', immutable: true, headers: { 'Content-Type': 'image/x-icon' } });
  }));

  // Product photos, by content hash (immutable).
  app.use(mediaRouter());

  app.get('/healthz', openRoute('health.read', (_req, res) => {
    res.json({ status: 'ok' });
  }));
  app.get('/readyz', openRoute('health.read', async (_req, res) => {
    const ready = await databaseIsReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  }));
  app.use(reportPagesRouter(config));
  const statistics = deps.statistics ?? new DashboardSnapshots({ refreshMs: config.statisticsRefreshMs, logger });
  app.use(dashboardRouter(statistics, { refreshMs: config.statisticsRefreshMs }));
  app.use(loginPagesRouter(accounts));
  app.use(accountPagesRouter(accounts));
  app.use(officePagesRouter(accounts));
  app.use(officeRegistryRouter(accounts, { keyring }));
  app.use(decisionPagesRouter(accounts));
  app.use(flaggedScansRouter(accounts));
  app.use(producerScreensRouter(accounts, { keyring, logger }));
  app.use(inspectPagesRouter(accounts, { config, verifier }));
  app.use(inspectionPagesRouter(accounts));
  app.use(reportQueueRouter(accounts));
  app.use(producerEventsRouter(accounts));
  app.use(producerScansRouter(accounts));
  // The public registry (home page, search, product and producer pages, open data), from one in-process
  // index. It changes by office decisions, a few a day, and a reload reads the whole registry: it may be
  // ten times as stale as the label caches (5 minutes by default; CACHE_TTL_MS=0 reloads on every request).
  const catalogue = new CatalogueIndex({ ttlMs: config.cacheTtlMs * 10 });
  app.use(cataloguePagesRouter(catalogue));
  app.use(openDataRouter({ config, index: catalogue, maxAgeSec: (config.cacheTtlMs * 10) / 1000 }));

  app.use('/api/v1', meApiRouter(accounts));
  app.use('/api/v1', apiKeysRouter());
  app.use('/api/v1', auditApiRouter());
  app.use('/api/v1', registryRouter());
  app.use('/api/v1', referenceRouter());
  app.use('/api/v1', batchesRouter());
  app.use('/api/v1', labelsRouter({ config, keyring }));
  app.use('/api/v1', eventsRouter());
  app.use('/api/v1', reportsApiRouter());
  app.use('/api/v1', inspectionsApiRouter());
  app.use('/api/v1', photoDecodeRouter({ config, verifier }));
  app.use('/api/v1', inspectCheckRouter({ config, verifier }));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
