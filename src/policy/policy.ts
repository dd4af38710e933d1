import { AppError, forbidden, unauthorized } from '../errors/app-error.js';
import type { Principal } from './principal.js';
import { NATIONAL_STARS, POLICY, type Action, type CallerKind, type Rule } from './policy-table.js';

/**
 * Asking the table (policy-table.ts). Pure: services import this, routes reach it
 * through `allow()` (principal-of-request.ts).
 */

/**
 * The record an action touches. Ownership is decided on its producer; the scope of an
 * admin or inspector on its `province` (the producer's commune's province, or the
 * province a new record would be in). A record without a province (a report of an
 * unknown product, a national admin account) is within no province: only callers
 * without a province scope reach it. `stars` is a certification's, for the 5★ rule.
 */
export type Resource = Readonly<{ producerId?: string; province?: string | null; stars?: number }>;

/**
 * The provinces a caller works in, or null for every province: a provincial admin has
 * its one province, an inspector the provinces of its account or key (none: it reaches
 * no producer's private data). Null for the national office (an admin without a
 * province), an inspector key the national office made without provinces, the service
 * itself, and producer keys, whose reach is their producer instead.
 */
export function provincesOf(principal: Principal | null): readonly string[] | null {
  if (!principal) return null;
  if (principal.role === 'admin') return principal.scope?.province ? [principal.scope.province] : null;
  if (principal.role === 'inspector') return principal.scope?.provinces ?? null;
  return null;
}

/** Whether a service must look the record's province up before asking: only for callers kept to some provinces. */
export const needsProvince = (principal: Principal | null): boolean => provincesOf(principal) !== null;

/** Whether the record lies within the caller's provinces (always, for a caller without a province scope). */
export function inScope(principal: Principal | null, resource: Pick<Resource, 'province'>): boolean {
  const provinces = provincesOf(principal);
  if (provinces === null) return true;
  return typeof resource.province === 'string' && provinces.includes(resource.province);
}

/**
 * Why the caller's scope refuses what its column allows, or null. Without a resource
 * (a route asking before any record is loaded) only `national` refuses: the service
 * asks again with the record.
 */
function scopeRefusal(principal: Principal | null, rule: Rule, resource?: Resource): string | null {
  const provinces = provincesOf(principal);
  if (!rule.scoped || provinces === null || !principal) return null;
  const mine = provinces.length ? `province ${provinces.join(', ')}` : 'no province yet';
  const who = principal.role === 'admin' ? `this admin acts for ${mine}` : `this inspector works in ${mine}`;
  if (rule.scoped === 'national') return `Only the national office may ${rule.what}; ${who}.`;
  if (!resource) return null;
  if (rule.scoped === 'decision' && (resource.stars ?? 0) >= NATIONAL_STARS) {
    return `Only the national office may ${rule.what} of ${NATIONAL_STARS}★: ${NATIONAL_STARS}★ is decided by the ministry, 1–4★ by the province; ${who}.`;
  }
  if (inScope(principal, resource)) return null;
  const where = typeof resource.province === 'string' ? `the record is in province ${resource.province}` : 'the record is in no province';
  const office = rule.inspector === 'allow' ? 'an admin or inspector of its province, or the national office,' : 'an admin of its province or the national office';
  return `Only ${office} may ${rule.what}; ${who}, and ${where}.`;
}

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
  const rule = POLICY[action];
  return rule[callerKind(principal, resource)] === 'allow' && scopeRefusal(principal, rule, resource) === null;
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
  const where = context?.where ?? '';
  if (rule[kind] === 'allow') {
    const refusal = scopeRefusal(principal, rule, resource);
    if (refusal === null) return;
    throw context?.details === undefined ? forbidden(`${where}${refusal}`) : new AppError('auth/forbidden', `${where}${refusal}`, context.details);
  }
  if (!principal) throw unauthorized(`${where}To ${rule.what}, send an API key: "Authorization: Bearer ok_…" or "X-API-Key: ok_…".`);
  const message = `${where}Only ${whoMay(rule)} may ${rule.what}; ${thisKey(principal, kind)}.`;
  throw context?.details === undefined ? forbidden(message) : new AppError('auth/forbidden', message, context.details);
}

/** How far a list reaches: everything, one producer's records, or the records of some provinces. */
export type ListScope = { all: true } | { producerId: string } | { provinces: readonly string[] };

/**
 * What a principal may list under an action: everything, one producer's records, or
 * its provinces' records. A producer key that may only touch its own records is kept to
 * them; an admin or inspector with a province scope to its provinces (whatever the
 * action: the office's lists are its province's, public registry lists too).
 */
export function readScope(principal: Principal, action: Action): ListScope {
  assertMay(principal, action);
  const provinces = provincesOf(principal);
  if (provinces !== null) return { provinces };
  if (principal.role !== 'producer' || POLICY[action].other === 'allow') return { all: true };
  if (!principal.producerId) throw forbidden('This producer key is not bound to a producer: ask an admin for a new key.');
  return { producerId: principal.producerId };
}

/**
 * The provinces a list may show, from what the query asks (`province`, or none) and
 * the caller's scope: null for every province. A scoped caller naming a province
 * outside its scope is refused (403), not answered with an empty list.
 */
export function listProvinces(principal: Principal | null, action: Action, asked?: string | null): readonly string[] | null {
  const provinces = provincesOf(principal);
  if (provinces === null) return asked ? [asked] : null;
  if (!asked) return provinces;
  if (provinces.includes(asked)) return [asked];
  const rule = POLICY[action];
  throw forbidden(`Only an admin of province ${asked} or the national office may ${rule.what} of province ${asked}; ${principal?.role === 'inspector' ? 'this inspector works in' : 'this admin acts for'} ${provinces.length ? `province ${provinces.join(', ')}` : 'no province yet'}.`);
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
