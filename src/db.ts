import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Config } from './config.js';
import { startFerretDB, withDatabase, type RunningFerret } from './ferretdb.js';

/**
 * Every database call is bounded, so a database that is paused, overloaded or gone
 * fails a request in seconds (503 database/unavailable) instead of holding it open:
 * finding a server, opening a connection, waiting for mongoose's connection, and any
 * one reply (no operation of ours waits 5 s for a reply; a cursor waits per batch).
 * See docs/operations.md, "Database outages".
 */
export const DATABASE_TIMEOUTS = {
  serverSelectionTimeoutMS: 2_000,
  connectTimeoutMS: 2_000,
  socketTimeoutMS: 5_000,
} as const;
const BUFFER_TIMEOUT_MS = 2_000;
/** /readyz answers within a second whatever the database does: a load balancer waits no longer. */
const READY_TIMEOUT_MS = 800;

/**
 * One mongoose connection per process; routes and services use the default connection.
 * `socketTimeoutMS`: benchmarks that build or survey a large database wait longer for a reply.
 */
export async function connectDatabase(uri: string, opts: { socketTimeoutMS?: number } = {}): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  // While disconnected, mongoose holds operations until it reconnects: not for long.
  mongoose.set('bufferTimeoutMS', BUFFER_TIMEOUT_MS);
  // FerretDB has no transactions; keep retryable writes off so the driver never opens one.
  const connected = await mongoose.connect(uri, { ...DATABASE_TIMEOUTS, ...opts, retryWrites: false, autoIndex: true });
  const info = (await connected.connection.db!.admin().command({ buildInfo: 1 })) as Record<string, unknown>;
  ferretDB = 'ferretdbVersion' in info;
  return connected;
}

let ferretDB = false;

/** True when the connected server is FerretDB (its buildInfo says so), not MongoDB. */
export function onFerretDB(): boolean {
  return ferretDB;
}

/**
 * The filter of an update to one document that must only apply while `guard` holds
 * (a label still active, a run still pending). MongoDB applies the guard atomically
 * with the update, and its `_id` index serves the whole filter: there the filter is
 * `{ _id, ...guard }`. FerretDB applies no condition atomically (ARCHITECTURE.md §5),
 * and its SQLite backend hands a filter to an index only when it is a lone `_id`
 * (docs/operations.md, "Queries and their indexes"): there the filter is `{ _id }`,
 * the guard is the caller's, checked on its read just before, and concurrent one-time
 * changes are decided by a unique claim (e.g. label_status_changes).
 */
export function guardedById(id: string, guard: Record<string, unknown>): Record<string, unknown> {
  return ferretDB ? { _id: id } : { _id: id, ...guard };
}

/** An error that says the database could not be reached or did not answer in time (not a bad query). */
export function isDatabaseUnreachable(err: unknown): boolean {
  const { MongoNetworkError, MongoServerSelectionError, MongoTopologyClosedError, MongoNotConnectedError, MongoOperationTimeoutError } = mongoose.mongo;
  if (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoOperationTimeoutError
  ) {
    return true;
  }
  return err instanceof mongoose.Error && /buffering timed out/.test(err.message);
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** Readiness: the database answers a ping. */
export async function databaseIsReady(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS)));
    const answered = db.admin().ping().then(() => true as const);
    answered.catch(() => undefined); // a ping that fails after the deadline is already answered
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
    }
  } catch {
    return false;
  }
}

/** Creates every model's indexes; call once after connecting (autoIndex is lazy). */
export async function syncIndexes(): Promise<void> {
  await Promise.all(Object.values(mongoose.models).map((m) => m.createIndexes()));
}

/**
 * The conditions of a query as one filter: flat when no field repeats, else `$and`.
 * FerretDB hands top-level equalities to its backend (PostgreSQL uses an index for them)
 * and nothing under `$and`.
 */
export function allOf(parts: readonly Record<string, unknown>[]): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (k in flat) return { $and: parts };
      flat[k] = v;
    }
  }
  return flat;
}

export type OpenDatabase = { uri: string; embedded: boolean; close(): Promise<void> };

/**
 * Connects the way the service runs: MONGODB_URI when set; otherwise the embedded
 * FerretDB (SQLite in DATA_DIR) — reusing one already listening on EMBEDDED_DB_PORT
 * (a running server or `npm run db`), since two servers on one SQLite folder would
 * fight over it. Used by main.ts and the command-line scripts.
 */
export async function openDatabase(config: Config, log: (msg: string) => void = () => {}): Promise<OpenDatabase> {
  let embedded: RunningFerret | null = null;
  let uri = config.mongodbUri;
  if (!uri) {
    if (await portAnswers(config.embeddedDbPort)) {
      uri = withDatabase(`mongodb://127.0.0.1:${config.embeddedDbPort}/`, 'ocop');
      log(`using the embedded FerretDB already listening at ${uri}`);
    } else {
      embedded = await startFerretDB({ backend: { kind: 'sqlite', dir: path.join(config.dataDir, 'db') }, port: config.embeddedDbPort, log });
      uri = withDatabase(embedded.uri, 'ocop');
      log(`embedded FerretDB (SQLite) started at ${uri}`);
    }
  }
  await connectDatabase(uri);
  await syncIndexes();
  return {
    uri,
    embedded: embedded !== null,
    async close() {
      await disconnectDatabase();
      await embedded?.stop();
    },
  };
}

function portAnswers(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * A write refused by a unique index. MongoDB and FerretDB report code 11000 on the
 * error, or per document in `writeErrors` of an insertMany/bulkWrite. FerretDB 1.24
 * reports a colliding *update* as InternalError (code 1) carrying the backend's
 * message (PostgreSQL "duplicate key value violates unique constraint", SQLite
 * "UNIQUE constraint failed"), so the message is checked too.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; writeErrors?: { code?: unknown; err?: { code?: unknown } }[] } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 11000) return true;
  if (Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w.code === 11000 || w.err?.code === 11000)) return true;
  return typeof e.message === 'string' && /duplicate key value violates unique constraint|UNIQUE constraint failed/i.test(e.message);
}
