import type { Request } from 'express';
import { authenticateApiKey } from '../../accounts/api-key.service.js';
import { type Principal } from '../../policy/principal.js';
import { unauthorized } from '../../errors/app-error.js';

/**
 * Who is reading a public registry endpoint: null for anonymous readers. A key that is
 * sent must be valid (401 otherwise), so a client learns its key is wrong instead of
 * silently getting the public view.
 */
export async function viewerOf(req: Request): Promise<Principal | null> {
  const header = req.get('authorization');
  const key = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : req.get('x-api-key');
  if (header === undefined && key === undefined) return null;
  const principal = key ? await authenticateApiKey(key) : null;
  if (!principal) throw unauthorized('This API key is not valid or has been revoked.');
  return principal;
}

/**
 * Household businesses are people: their phone, e-mail, contact person and street
 * address are personal data, shown only to admins and to the household's own key.
 * Cooperatives' and enterprises' contacts are public business details.
 */
export function maySeePrivateContact(producer: { _id: string; kind: string }, viewer: Principal | null): boolean {
  if (producer.kind !== 'household') return true;
  if (!viewer) return false;
  return viewer.role === 'admin' || (viewer.role === 'producer' && viewer.producerId === producer._id);
}
