import { AuditModel } from './audit.model.js';
import type { Principal } from '../policy/principal.js';
import { provinceOfProducer } from '../registry/producers/producer-province.js';

/**
 * The record a write touched, and where it lies: `producerId` for a record of a producer
 * (its province is looked up here: the producer's commune's province, cached for a minute
 * in producer-province.ts, so a burst of writes of one producer asks once), `producerIds`
 * for a write of records of several producers (a capture of events of several batches),
 * `provinces` for what the writer knows already (an account's or key's province, a
 * producer's province before a move, where an inspection was made or a report's package
 * seen). A producer's own record (`type: 'producer'`) is its producer. Nothing of these:
 * a national record (signing keys, a national account), read by the national office alone.
 */
export type AuditTarget = {
  type: string;
  id: string;
  producerId?: string | null | undefined;
  producerIds?: readonly (string | null | undefined)[] | undefined;
  provinces?: readonly (string | null | undefined)[] | undefined;
};

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v !== '';

/** The provinces an entry is filed under: distinct, sorted, without the nulls of national records. */
async function provincesOfTarget(target: AuditTarget): Promise<string[]> {
  const own = target.producerId ?? (target.type === 'producer' ? target.id : null);
  const producerIds = [...new Set([own, ...(target.producerIds ?? [])].filter(present))];
  const found = [...(target.provinces ?? []), ...(await Promise.all(producerIds.map((id) => provinceOfProducer(id))))];
  return [...new Set(found.filter(present))].sort();
}

/**
 * Who writes without an account: a shopper's report from a verification page. Filed
 * under `public` (no key, no user), so the office reads that a write came from outside.
 */
export const PUBLIC_WRITER = Object.freeze({ keyId: 'public', role: 'public', producerId: null });

export async function recordAudit(
  actor: Principal | typeof PUBLIC_WRITER,
  action: string,
  target: AuditTarget,
  details?: Record<string, unknown>,
): Promise<void> {
  await AuditModel.create({
    actor: actor.keyId,
    userId: ('userId' in actor ? actor.userId : null) ?? null,
    role: actor.role,
    action,
    targetType: target.type,
    targetId: target.id,
    provinces: await provincesOfTarget(target),
    details: details ?? null,
  });
}

/** One line of the audit log, as the office's reader shows it. */
export type AuditEntry = {
  id: string;
  at: Date;
  /** The credential: an API key id, `user:<id>` for a session, `system`, or `public` (PUBLIC_WRITER). */
  actor: string;
  userId: string | null;
  role: string;
  action: string;
  targetType: string;
  targetId: string;
  /** The provinces of the record written; empty for a national record (and for entries older than provinces). */
  provinces: string[];
  details: Record<string, unknown> | null;
};

/** What the reader filters on; every filter given must hold. `to` is exclusive. */
export type AuditFilter = {
  /** A user's writes: through their sessions and the keys bound to them. */
  userId?: string | undefined;
  /** One credential's writes: an API key id, `user:<id>` or `system`. */
  actor?: string | undefined;
  action?: string | undefined;
  /** The record written (a producer, product, certification, key… id). */
  targetId?: string | undefined;
  /**
   * Entries of these provinces only (policy.ts listProvinces: a provincial office's one
   * province, or the one a national reader asks for); null or absent: every entry.
   */
  provinces?: readonly string[] | null | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
};

/**
 * Newest first. There is no total: counting a log that only grows would read all of it
 * on every page, so a page says whether another follows (`hasMore`). The equality
 * filters each have an index (audit.model.ts); a listing without one reads the log.
 * An empty `provinces` lists nothing (a scope of no province reaches no entry).
 */
export async function listAudit(filter: AuditFilter, paging: { limit: number; offset: number }): Promise<{ items: AuditEntry[]; hasMore: boolean }> {
  const query: Record<string, unknown> = {};
  if (filter.provinces) {
    if (filter.provinces.length === 0) return { items: [], hasMore: false };
    // Equality on an array field matches an entry holding the province; one province is the usual case.
    query.provinces = filter.provinces.length === 1 ? filter.provinces[0] : { $in: [...filter.provinces] };
  }
  if (filter.userId) query.userId = filter.userId;
  if (filter.actor) query.actor = filter.actor;
  if (filter.action) query.action = filter.action;
  if (filter.targetId) query.targetId = filter.targetId;
  if (filter.from || filter.to) query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  const rows = await AuditModel.find(query).sort({ at: -1, _id: -1 }).skip(paging.offset).limit(paging.limit + 1).lean();
  const items = rows.slice(0, paging.limit).map((r) => ({
    id: String(r._id),
    at: r.at,
    actor: r.actor,
    userId: r.userId ?? null,
    role: r.role,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    provinces: [...(r.provinces ?? [])],
    details: (r.details as Record<string, unknown> | null) ?? null,
  }));
  return { items, hasMore: rows.length > paging.limit };
}
