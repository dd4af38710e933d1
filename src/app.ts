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
import { renderPage } from './http/views.js';
import { carriesCredential, openRoute, principal } from './policy/principal-of-request.js';
import { apiRateLimit, pageRateLimit } from './limits/rate-limit.js';
import { Keyring } from './labels/signing/keyring.js';
import { apiKeysRouter } from './accounts/api-key.routes.js';
import { registryRouter } from './registry/registry.routes.js';
import { mediaRouter } from './registry/products/product-photo.routes.js';
import { referenceRouter } from './reference/admin-units.routes.js';
import { eventsRouter } from './events/events.routes.js';
import { batchesRouter } from './batches/batches.routes.js';
import { labelsRouter } from './labels/labels.routes.js';
import { verifyRouter } from './verify/verify.routes.js';
import { reportPagesRouter, reportsApiRouter } from './reports/report.routes.js';
import { ScanRecorder } from './verify/scans/scan-recorder.js';
import { revocationsRouter } from './verify/revocations/revocations.routes.js';
import { RevocationLists } from './verify/revocations/revocation-list.service.js';
import { photoDecodeRouter } from './verify/photos/photo-decode.routes.js';

export type AppDeps = {
  config: Config;
  logger: Logger;
  /** Label signing keys; opened from config when not given. */
  keyring?: Keyring;
  /** Buffers label scans and writes them in batches; main.ts flushes it on shutdown. */
  scans?: ScanRecorder;
};

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** Builds the HTTP app. It neither connects nor listens: main.ts and the tests do that. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const keyring = deps.keyring ?? Keyring.open(config);
  const scans = deps.scans ?? new ScanRecorder({ flushMs: config.scanFlushMs, tallyTtlMs: config.cacheTtlMs, logger });
  const app = express();
  app.disable('x-powered-by');
  // The client address (rate limits per address, scan client hashes) comes from X-Forwarded-For only through these proxies.
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');
  // Pages are no-store and API lists change: an ETag (a hash of every body) buys nothing here.
  app.set('etag', false);

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
  if (pageLimit) app.use(['/01', '/p'], pageLimit);
  // First: label URLs are the hot path and should not walk past the API's routers.
  app.use(verifyRouter({ config, keyring, scans }));
  // Public like the JWKS, before the API's rate limit and body parser (its /api/v1 address too).
  app.use(revocationsRouter(new RevocationLists({ config, keyring })));
  // Before the body parser: a refused request's body is never read.
  app.use('/api', apiRateLimit(config, { principal, carriesCredential }, logger));
  // Bodies are accepted only by the API; label URLs and pages never parse one.
  app.use('/api', express.json({ limit: config.bodyLimit, type: ['application/json', 'application/*+json'] }));
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
  app.get('/', openRoute('site.read', (req, res) => renderPage(req, res, 'home', { title: 'OCOP' })));

  app.use('/api/v1', apiKeysRouter());
  app.use('/api/v1', registryRouter());
  app.use('/api/v1', referenceRouter());
  app.use('/api/v1', batchesRouter());
  app.use('/api/v1', labelsRouter({ config, keyring }));
  app.use('/api/v1', eventsRouter());
  app.use('/api/v1', reportsApiRouter());
  app.use('/api/v1', photoDecodeRouter({ config, keyring, scans }));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
