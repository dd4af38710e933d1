import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/accounts/api-key.service.js';
import type { Role } from '../../src/policy/principal.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://trace.example.vn', DATA_DIR: '.data/test', ...overrides });
}

/** The same app main.ts serves, with a test config and a silent logger. */
export function buildTestApp(overrides: Record<string, string> = {}): Express {
  const config = testConfig(overrides);
  return createApp({ config, logger: createLogger('silent') });
}

/** A fresh API key: "Authorization: Bearer <key>". */
export async function apiKeyFor(role: Role, producerId?: string): Promise<string> {
  const { key } = await createApiKey({ role, label: `test ${role}`, producerId: producerId ?? null });
  return key;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
