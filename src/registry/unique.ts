import { isDuplicateKey } from '../http/error-handler.js';

/**
 * A write refused by a unique index. Inserts report it as code 11000 everywhere, but
 * FerretDB 1.24 reports an *update* that collides as an InternalError (code 1) carrying
 * the backend's message (PostgreSQL "duplicate key value violates unique constraint",
 * SQLite "UNIQUE constraint failed"), so updates check the message too.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (isDuplicateKey(err)) return true;
  const message = err instanceof Error ? err.message : '';
  return /duplicate key value violates unique constraint|UNIQUE constraint failed/i.test(message);
}
