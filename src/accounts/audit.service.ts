import { AuditModel } from './audit.model.js';
import type { Principal } from './api-key.service.js';

export const systemPrincipal: Principal = Object.freeze({ keyId: 'system', role: 'admin', producerId: null });

export async function recordAudit(
  actor: Principal,
  action: string,
  target: { type: string; id: string },
  details?: Record<string, unknown>,
): Promise<void> {
  await AuditModel.create({
    actor: actor.keyId,
    role: actor.role,
    action,
    targetType: target.type,
    targetId: target.id,
    details: details ?? null,
  });
}
