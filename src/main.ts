import cluster from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db.js';
import { createLogger } from './logger.js';
import { ensureBootstrapAdminKey } from './accounts/api-key.service.js';
import { loadDemoDataIfEmpty } from './seed.js';
import { ScanRecorder } from './verify/scans/scan-recorder.js';
import { DashboardSnapshots } from './dashboard/dashboard.service.js';
import { Keyring } from './labels/signing/keyring.js';
import { IDEMPOTENCY_SWEEP_EVERY_MS, sweepExpiredIdempotencyKeys } from './idempotency/idempotency.service.js';
import { runUpgrades } from './upgrades/upgrades.service.js';
import { ChangeFeed } from './changes/changes.service.js';
import { LabelVerifier } from './verify/verify.service.js';
import { answerClusterPrimary, collectProcessMetrics, observe, watchDatabase } from './metrics/metrics.js';
import { serveMetrics, type MetricsServer } from './metrics/metrics-server.js';
import mongoose from 'mongoose';

/** The whole header block within 10 s; the whole request, a 1 MB body on a slow phone included, within 30 s. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

async function main(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);

  const database = await openDatabase(config, (msg) => logger.info(msg));

  const adminKey = await ensureBootstrapAdminKey();
  if (adminKey) {
    // Printed once, never stored in clear: copy it now.
    console.warn(`\n  Bootstrap admin API key (shown once, keep it safe):\n\n    ${adminKey}\n`);
  }
  await runUpgrades((msg) => logger.info(msg));
  const keyring = Keyring.open(config);
  if (config.seedDemo) {
    const seeded = await loadDemoDataIfEmpty({ keyring, publicBaseUrl: config.publicBaseUrl });
    if (seeded) {
      logger.info(seeded.counts, 'demo data loaded into the empty database');
      console.warn(`  Demo labels: open one to see the verification page\n\n${seeded.sampleUrls.map((u) => `    ${u}`).join('\n')}\n`);
      // Shown once, like the bootstrap key: only the passwords' hashes are stored.
      console.warn(
        `  Demo accounts: log in at ${config.publicBaseUrl}/login (passwords shown once)\n\n` +
          `${seeded.accounts.map((a) => `    ${a.email.padEnd(24)} ${a.password}   ${a.what}`).join('\n')}\n`,
      );
    }
  }

  // No TTL index on FerretDB: expired Idempotency-Keys read as unused and are deleted here, at start and hourly.
  const sweepIdempotencyKeys = () =>
    sweepExpiredIdempotencyKeys().then(
      (deleted) => deleted > 0 && logger.info({ deleted }, 'expired idempotency keys deleted'),
      (err: unknown) => logger.warn({ err }, 'deleting expired idempotency keys failed; next try in an hour'),
    );
  void sweepIdempotencyKeys();
  const sweeper = setInterval(() => void sweepIdempotencyKeys(), IDEMPOTENCY_SWEEP_EVERY_MS);
  sweeper.unref();

  const scans = new ScanRecorder({ flushMs: config.scanFlushMs, tallyTtlMs: config.scanTallyRefreshMs, logger });
  const statistics = new DashboardSnapshots({ refreshMs: config.statisticsRefreshMs, logger });
  // Other instances' revocations, voids and key changes reach this one's caches within CHANGE_POLL_MS plus a read.
  const available = () => mongoose.connection.readyState === 1;
  const changes = new ChangeFeed({ pollMs: config.changePollMs, available, logger });
  await changes.start();
  const verifier = new LabelVerifier({ config, keyring, scans });
  const metrics = await startMetrics(config, { verifier, scans, changes });
  if (metrics) logger.info(`metrics on http://${config.metricsHost}:${metrics.port}/metrics`);
  const app = createApp({ config, logger, keyring, scans, statistics, verifier });
  // A client that sends its request slowly, or never finishes it, is cut off instead of
  // holding a connection for Node's default five minutes; the checks run every second.
  const server = http.createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 }, app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo; // PORT=0 picks a free one
  // The statistics page's first visitor should not wait for its first computation: start it (or load the stored one) now.
  void statistics.current().catch((err: unknown) => logger.warn({ err }, 'statistics snapshot not ready; the page computes it on its first visit'));
  logger.info(`ocop-trace listening on http://${config.host}:${port} (labels point to ${config.publicBaseUrl})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    clearInterval(sweeper);
    server.closeIdleConnections();
    await closed; // in-flight requests have had their answers
    await scans.stop(); // the last scans still buffered: written before the database goes
    await changes.stop();
    await metrics?.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * Metrics when METRICS_PORT is set: a listener of this process's own, or, in a
 * cluster worker, only the figures (the primary serves them for every worker).
 */
async function startMetrics(
  config: Config,
  live: { verifier: LabelVerifier; scans: ScanRecorder; changes: ChangeFeed },
): Promise<MetricsServer | null> {
  if (config.metricsPort === null) return null;
  observe({
    verdicts: () => live.verifier.verdicts,
    caches: () => live.verifier.cacheCounts,
    scans: () => {
      const s = live.scans.stats;
      return { buffered: s.buffered, recorded: s.recorded, written: s.written, dropped: s.dropped, oldestBufferedAt: s.oldestBufferedAt };
    },
    tallies: () => {
      const t = live.scans.tallies.stats;
      return { ...t, unwrittenLabels: t.pendingLabels + t.unconfirmedLabels };
    },
    changes: () => live.changes.stats,
  });
  watchDatabase();
  collectProcessMetrics(cluster.isWorker ? { worker: String(cluster.worker?.id ?? 0) } : undefined);
  if (cluster.isWorker) {
    answerClusterPrimary();
    return null;
  }
  return serveMetrics({ host: config.metricsHost, port: config.metricsPort, cluster: false });
}

try {
  await main(loadConfig());
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error('ocop-trace failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
