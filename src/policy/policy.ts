import { AppError, forbidden, unauthorized } from '../errors/app-error.js';
import type { Principal } from './principal.js';
import { POLICY, type Action, type CallerKind, type Rule } from './policy-table.js';

/**
 * Asking the table (policy-table.ts). Pure: services import this, routes reach it
 * through `allow()` (principal-of-request.ts).
 */

/** The record an action touches; ownership is decided on its producer. */
export type Resource = Readonly<{ producerId: string }>;

/**
 * Which column of the table a caller reads. Without a resource a producer key reads
 * `own`: the route lets it through and the service asks again with the record.
 */
export function callerKind(principal: Principal | null, resource?: Resource): CallerKind {
  if (!principal) return 'anonymous';
  if (principal.role !== 'producer') return principal.role;
  if (!resource) return 'own';
  return principal.producerId !== null && principal.producerId === resource.producerId ? 'own' : 'other';
}

export function may(principal: Principal | null, action: Action, resource?: Resource): boolean {
  return POLICY[action][callerKind(principal, resource)] === 'allow';
}

/**
 * Throws when the caller may not: 401 auth/unauthorized for an anonymous caller who
 * needs a key, 403 auth/forbidden for a key that may not. `context` prefixes the
 * message and carries details (which event of a document was refused).
 */
export function assertMay(
  principal: Principal | null,
  action: Action,
  resource?: Resource,
  context?: { where?: string; details?: unknown },
): void {
  const kind = callerKind(principal, resource);
  const rule = POLICY[action];
  if (rule[kind] === 'allow') return;
  const where = context?.where ?? '';
  if (!principal) throw unauthorized(`${where}To ${rule.what}, send an API key: "Authorization: Bearer ok_…" or "X-API-Key: ok_…".`);
  const message = `${where}Only ${whoMay(rule)} may ${rule.what}; ${thisKey(principal, kind)}.`;
  throw context?.details === undefined ? forbidden(message) : new AppError('auth/forbidden', message, context.details);
}

/**
 * What a principal may list under an action: everything, or one producer's records.
 * A producer key that may only touch its own records is kept to them.
 */
export function readScope(principal: Principal, action: Action): { all: true } | { producerId: string } {
  assertMay(principal, action);
  if (principal.role !== 'producer' || POLICY[action].other === 'allow') return { all: true };
  if (!principal.producerId) throw forbidden('This producer key is not bound to a producer: ask an admin for a new key.');
  return { producerId: principal.producerId };
}

const KIND_NAMES: Record<Exclude<CallerKind, 'anonymous'>, string> = {
  admin: 'an admin key',
  own: "the producer's own key",
  other: 'any producer key',
  inspector: 'an inspector key',
};

function whoMay(rule: Rule): string {
  const kinds = (['admin', 'own', 'other', 'inspector'] as const).filter((k) => rule[k] === 'allow' && !(k === 'own' && rule.other === 'allow'));
  const names = kinds.map((k) => KIND_NAMES[k]);
  if (names.length <= 1) return names[0] ?? 'nobody';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function thisKey(principal: Principal, kind: CallerKind): string {
  if (kind === 'other') {
    return principal.producerId
      ? `this key acts for producer ${principal.producerId}, and the record belongs to another producer`
      : 'this producer key is not bound to a producer';
  }
  return kind === 'own' ? 'this is a producer key' : `this is ${KIND_NAMES[kind as 'admin' | 'inspector']}`;
}
