import type { Principal } from '../../policy/principal.js';
import { recordAudit } from '../../audit/audit.service.js';
import type { Keyring } from './keyring.js';

/** Signing key administration, shared by the API and `npm run keys`. Every change is audited. */
export function listKeys(keyring: Keyring) {
  return keyring.list();
}

export async function rotateKey(keyring: Keyring, actor: Principal): Promise<{ kid: string }> {
  const { kid } = await keyring.rotate();
  await recordAudit(actor, 'signing_key.rotate', { type: 'signing_key', id: kid });
  return { kid };
}

export async function revokeKey(keyring: Keyring, actor: Principal, kid: string, reason: string): Promise<void> {
  await keyring.revoke(kid, reason);
  await recordAudit(actor, 'signing_key.revoke', { type: 'signing_key', id: kid }, { reason });
}
