import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Everything else receives a Config.
 * An invalid value stops start-up with one line naming the variable.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: start the embedded FerretDB (SQLite) in DATA_DIR. */
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  /** Port of the embedded FerretDB when MONGODB_URI is unset. */
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(27018),
  DATA_DIR: z.string().default('.data'),
  /** Printed into every label's QR: where scans land. No trailing slash. */
  PUBLIC_BASE_URL: z.url().transform((u) => u.replace(/\/+$/, '')).default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Private signing key as a JWK (JSON) — instead of the key file in DATA_DIR. */
  SIGNING_KEY_JWK: z.string().optional(),
  /** How long cached registry data (certifications, products, batches, runs, keys) may be stale. */
  CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Scans are written in batches at this interval: at most this much is lost on a crash. */
  SCAN_FLUSH_MS: z.coerce.number().int().min(10).max(10_000).default(200),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb or 512kb').default('1mb'),
  /** Load the demo data when the database is empty (default: on unless production). */
  SEED_DEMO: z.enum(['true', 'false']).optional(),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  mongodbUri: string | undefined;
  embeddedDbPort: number;
  dataDir: string;
  publicBaseUrl: string;
  logLevel: string;
  signingKeyJwk: string | undefined;
  cacheTtlMs: number;
  scanFlushMs: number;
  bodyLimit: string;
  seedDemo: boolean;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid configuration: ${name}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    embeddedDbPort: e.EMBEDDED_DB_PORT,
    dataDir: path.resolve(e.DATA_DIR),
    publicBaseUrl: e.PUBLIC_BASE_URL,
    logLevel: e.NODE_ENV === 'test' ? 'silent' : e.LOG_LEVEL,
    signingKeyJwk: e.SIGNING_KEY_JWK,
    cacheTtlMs: e.CACHE_TTL_MS,
    scanFlushMs: e.SCAN_FLUSH_MS,
    bodyLimit: e.BODY_LIMIT,
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV !== 'production',
  });
}
