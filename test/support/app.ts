import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import type { Role } from '../../src/policy/principal.js';

/** The public origin labels are signed for in tests. */
export const PUBLIC_BASE_URL = 'https://trace.example.vn';

/**
 * Every test sends from one address (127.0.0.1) and the whole run shares one database:
 * limits far above what the suite sends, counted as production counts them (in the
 * database too). test/integration/rate-limits.test.ts sets its own.
 */
const TEST_RATE_LIMITS = {
  RATE_LIMIT_KEY_READS: '1000000',
  RATE_LIMIT_KEY_WRITES: '1000000',
  RATE_LIMIT_IP_READS: '1000000',
  RATE_LIMIT_IP_WRITES: '1000000',
  RATE_LIMIT_AUTH_FAILURES: '1000000',
  RATE_LIMIT_PAGE: '1000000',
  RATE_LIMIT_REPORTS: '1000000',
  RATE_LIMIT_STORE: 'database',
  LOGIN_FAILURES_PER_ADDRESS: '1000000',
  // Tests speak plain http to the app: Secure cookies would never come back.
  SESSION_COOKIE_SECURE: 'false',
};

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PUBLIC_BASE_URL, DATA_DIR: '.data/test', ...TEST_RATE_LIMITS, ...overrides });
}

/** The same app main.ts serves, with a test config and a silent logger. */
export function buildTestApp(overrides: Record<string, string> = {}): Express {
  const config = testConfig(overrides);
  return createApp({ config, logger: createLogger('silent') });
}

/**
 * The app as main.ts builds it, with the keyring and scan recorder in the test's hands
 * (refresh keys after registering one; flush scans when a test reads them back).
 */
export function verificationApp() {
  const config = testConfig();
  const keyring = Keyring.open(config);
  const scans = new ScanRecorder({ flushMs: 60_000 });
  const app = createApp({ config, logger: createLogger('silent'), keyring, scans });
  return { config, keyring, scans, app };
}

/** A fresh API key: "Authorization: Bearer <key>". */
export async function apiKeyFor(role: Role, producerId?: string): Promise<string> {
  const { key } = await createApiKey({ role, label: `test ${role}`, producerId: producerId ?? null });
  return key;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
