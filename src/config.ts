import { isIP } from 'node:net';
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
  /** How often each instance reads the change feed (src/changes/): other instances' revocations reach it within this plus one read. */
  CHANGE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /**
   * How old a label's scan tally may be before a scan reads it again. Other instances' scans arrive sooner through the
   * change feed (each flush announces the labels it wrote); this bounds what an announcement missed.
   */
  SCAN_TALLY_REFRESH_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Prometheus metrics on a listener of their own (unset: no metrics listener). Never the public port. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Address of the metrics listener: keep it internal. */
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** npm run start:cluster: worker processes (default: one per core). */
  WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (Express `trust proxy`):
   * `loopback`, `uniquelocal`, addresses or subnets separated by commas, or a number of hops.
   */
  TRUST_PROXY: z
    .string()
    .refine(isTrustedProxies, 'must be loopback, linklocal, uniquelocal, addresses or subnets separated by commas, or a number of hops')
    .default('loopback'),
  /** How old the public statistics page's figures may get before they are computed again (src/dashboard/). */
  STATISTICS_REFRESH_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** How long the server may spend decoding one label photo (POST /api/v1/decode) before it gives up. */
  DECODE_TIME_LIMIT_MS: z.coerce.number().int().min(1).max(60_000).default(5_000),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 1mb or 512kb').default('1mb'),
  /** Load the demo data when the database is empty (default: on unless production). */
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  // Rate limits (src/limits/, docs/operations.md "Rate limits"): requests per window, 0 = no limit.
  /** API reads (GET, HEAD) per API key per minute. */
  RATE_LIMIT_KEY_READS: limit(1_200),
  /** API writes per API key per minute. */
  RATE_LIMIT_KEY_WRITES: limit(300),
  /** API reads per client address per minute, without a key. */
  RATE_LIMIT_IP_READS: limit(300),
  /** API writes per client address per minute, without a key (every write needs one: these all fail). */
  RATE_LIMIT_IP_WRITES: limit(30),
  /** Requests with an invalid API key per client address per 10 minutes; then that address's keyed requests get 429. */
  RATE_LIMIT_AUTH_FAILURES: limit(30),
  /** Label URLs (the verification page, the resolver) per client address per minute, counted in memory only. */
  RATE_LIMIT_PAGE: limit(600),
  RATE_LIMIT_REPORTS: limit(5),
  /** Where the API's counts are kept: `database` (shared by every instance) or `memory` (per instance). */
  RATE_LIMIT_STORE: z.enum(['database', 'memory']).optional(),
  /** How long a request waits for the shared count before this instance's own count decides alone. */
  RATE_LIMIT_STORE_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(1_000),
  // Accounts (src/accounts/, docs/operations.md "Accounts").
  /** Signs session cookies (32+ characters). Unset: a secret kept in DATA_DIR/session-secret, made on first start. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Send the session and CSRF cookies as Secure (and named __Host-…). Default: when PUBLIC_BASE_URL is https. */
  SESSION_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  /** A session unused this long (seconds) ends. */
  SESSION_IDLE_SEC: z.coerce.number().int().min(10).max(7 * 86_400).default(30 * 60),
  /** A session ends this long (seconds) after its login, however busy. */
  SESSION_ABSOLUTE_SEC: z.coerce.number().int().min(10).max(30 * 86_400).default(12 * 3600),
  /** Failed logins per account per window before the account's logins pause until the window ends. */
  LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(2).max(1_000_000).default(5),
  /** Failed logins per client address per window before that address's logins pause. */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(2).max(1_000_000).default(20),
  LOGIN_WINDOW_SEC: z.coerce.number().int().min(10).max(86_400).default(15 * 60),
  /** How long a password reset link made by an admin works (seconds). */
  RESET_LINK_SEC: z.coerce.number().int().min(60).max(30 * 86_400).default(24 * 3600),
});

function isTrustedProxies(value: string): boolean {
  if (/^\d+$/.test(value)) return true;
  return value.split(',').every((entry) => {
    const [address = '', bits, ...rest] = entry.trim().split('/');
    if (['loopback', 'linklocal', 'uniquelocal'].includes(address)) return bits === undefined;
    const version = isIP(address);
    if (!version || rest.length) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
  });
}

function limit(fallback: number) {
  return z.coerce.number().int().min(0).max(1_000_000_000).default(fallback);
}

/** Requests allowed per window of each limit (0: no limit); the windows are fixed (src/limits/rate-limit.ts). */
export type RateLimits = Readonly<{
  keyReads: number;
  keyWrites: number;
  ipReads: number;
  ipWrites: number;
  authFailures: number;
  page: number;
  /** Product reports (POST /report) per client address per 10 minutes. */
  reports: number;
  /** Keep the API's counts in the database, shared by every instance (else in this process only). */
  shared: boolean;
  storeTimeoutMs: number;
}>;

/** Logins and sessions: src/accounts/. */
export type AccountSettings = Readonly<{
  sessionSecret: string | undefined;
  cookieSecure: boolean;
  idleSec: number;
  absoluteSec: number;
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
  loginWindowSec: number;
  resetLinkSec: number;
}>;

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
  /** STATISTICS_REFRESH_MINUTES in milliseconds. */
  statisticsRefreshMs: number;
  changePollMs: number;
  scanTallyRefreshMs: number;
  /** null: no metrics listener. */
  metricsPort: number | null;
  metricsHost: string;
  /** null: one per core. */
  workers: number | null;
  bodyLimit: string;
  decodeTimeLimitMs: number;
  /** Express `trust proxy`: a hop count, or the proxies' addresses/subnets. */
  trustProxy: number | string;
  seedDemo: boolean;
  rateLimits: RateLimits;
  accounts: AccountSettings;
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
    statisticsRefreshMs: e.STATISTICS_REFRESH_MINUTES * 60_000,
    changePollMs: e.CHANGE_POLL_MS,
    scanTallyRefreshMs: e.SCAN_TALLY_REFRESH_MS,
    metricsPort: e.METRICS_PORT ?? null,
    metricsHost: e.METRICS_HOST,
    workers: e.WORKERS ?? null,
    bodyLimit: e.BODY_LIMIT,
    decodeTimeLimitMs: e.DECODE_TIME_LIMIT_MS,
    trustProxy: /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    seedDemo: e.SEED_DEMO ? e.SEED_DEMO === 'true' : e.NODE_ENV !== 'production',
    rateLimits: Object.freeze({
      keyReads: e.RATE_LIMIT_KEY_READS,
      keyWrites: e.RATE_LIMIT_KEY_WRITES,
      ipReads: e.RATE_LIMIT_IP_READS,
      ipWrites: e.RATE_LIMIT_IP_WRITES,
      authFailures: e.RATE_LIMIT_AUTH_FAILURES,
      page: e.RATE_LIMIT_PAGE,
      reports: e.RATE_LIMIT_REPORTS,
      // Several instances share a MongoDB; the embedded database serves one instance, and its SQLite
      // backend would scan the whole collection of counts on every request (no secondary index is used).
      shared: (e.RATE_LIMIT_STORE ?? (e.MONGODB_URI ? 'database' : 'memory')) === 'database',
      storeTimeoutMs: e.RATE_LIMIT_STORE_TIMEOUT_MS,
    }),
    accounts: Object.freeze({
      sessionSecret: e.SESSION_SECRET,
      cookieSecure: e.SESSION_COOKIE_SECURE ? e.SESSION_COOKIE_SECURE === 'true' : e.PUBLIC_BASE_URL.startsWith('https:'),
      idleSec: e.SESSION_IDLE_SEC,
      absoluteSec: e.SESSION_ABSOLUTE_SEC,
      loginFailuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
      loginFailuresPerAddress: e.LOGIN_FAILURES_PER_ADDRESS,
      loginWindowSec: e.LOGIN_WINDOW_SEC,
      resetLinkSec: e.RESET_LINK_SEC,
    }),
  });
}
