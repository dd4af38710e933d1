import { AuditModel } from './audit.model.js';
import type { Principal } from '../policy/principal.js';

export async function recordAudit(
  actor: Principal,
  action: string,
  target: { type: string; id: string },
  details?: Record<string, unknown>,
): Promise<void> {
  await AuditModel.create({
    actor: actor.keyId,
    userId: actor.userId ?? null,
    role: actor.role,
    action,
    targetType: target.type,
    targetId: target.id,
    details: details ?? null,
  });
}

/** One line of the audit log, as the office's reader shows it. */
export type AuditEntry = {
  id: string;
  at: Date;
  /** The credential: an API key id, `user:<id>` for a session, or `system`. */
  actor: string;
  userId: string | null;
  role: string;
  action: string;
  targetType: string;
  targetId: string;
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
  from?: Date | undefined;
  to?: Date | undefined;
};

/**
 * Newest first. There is no total: counting a log that only grows would read all of it
 * on every page, so a page says whether another follows (`hasMore`). The equality
 * filters each have an index (audit.model.ts); a listing without one reads the log.
 */
export async function listAudit(filter: AuditFilter, paging: { limit: number; offset: number }): Promise<{ items: AuditEntry[]; hasMore: boolean }> {
  const query: Record<string, unknown> = {};
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
    details: (r.details as Record<string, unknown> | null) ?? null,
  }));
  return { items, hasMore: rows.length > paging.limit };
}
