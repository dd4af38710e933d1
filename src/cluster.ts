import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type OpenDatabase } from './db.js';
import { createLogger } from './logger.js';
import { serveMetrics, type MetricsServer } from './metrics/metrics-server.js';

/**
 * npm run start:cluster: one service process per core (WORKERS=n to choose), sharing
 * the port through node:cluster; several instances are one service (docs/operations.md,
 * "Several instances"), so nothing here but starting, restarting and stopping them.
 *
 * 1. With no MONGODB_URI, this primary starts the embedded database once and hands its
 *    address to the workers (two servers on one SQLite folder would fight over it).
 * 2. The first worker starts alone: the one-time start-up work (indexes, upgrades, the
 *    bootstrap admin key, demo data) runs once; the others follow when it listens.
 * 3. A worker that dies is started again, a second later.
 * 4. SIGTERM or SIGINT: every worker drains (answers its requests in flight, writes its
 *    buffered scans, main.ts's shutdown), then the primary closes the database and exits.
 * 5. METRICS_PORT: the primary serves every worker's metrics, each with its `worker` label.
 */
const RESTART_AFTER_MS = 1_000;
/** A worker's own shutdown gives up after 15 s (main.ts); this waits a little longer. */
const STOP_WITHIN_MS = 20_000;

async function primary(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  let database: OpenDatabase | null = null;
  const env: Record<string, string> = {};
  if (!config.mongodbUri) {
    database = await openDatabase(config, (msg) => logger.info(msg));
    env.MONGODB_URI = database.uri;
  }
  const count = config.workers ?? os.availableParallelism();
  cluster.setupPrimary({ exec: path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js') });
  let stopping = false;
  const fork = () => cluster.fork(env);

  const first = fork();
  await new Promise<void>((resolve, reject) => {
    first.once('listening', () => resolve());
    first.once('exit', (code) => reject(new Error(`the first worker exited with ${code} before listening`)));
  });
  for (let i = 1; i < count; i += 1) fork();
  logger.info({ workers: count }, 'ocop-trace cluster started');

  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) return;
    logger.warn({ worker: worker.id, code, signal }, 'a worker died; starting another');
    setTimeout(() => !stopping && fork(), RESTART_AFTER_MS).unref();
  });

  let metrics: MetricsServer | null = null;
  if (config.metricsPort !== null) {
    metrics = await serveMetrics({ host: config.metricsHost, port: config.metricsPort, cluster: true });
    logger.info(`metrics of every worker on http://${config.metricsHost}:${metrics.port}/metrics`);
  }

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the workers');
    const force = setTimeout(() => process.exit(1), STOP_WITHIN_MS);
    force.unref();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await metrics?.close();
    await database?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

try {
  await primary(loadConfig());
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error('ocop-trace cluster failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
}
