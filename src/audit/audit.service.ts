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
