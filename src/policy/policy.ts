import { forbidden } from '../errors/app-error.js';
import type { Principal } from './principal.js';

/** A producer key may touch only its own producer's data; admins may touch any. */
export function assertCanActFor(principal: Principal, producerId: string): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'producer' && principal.producerId === producerId) return;
  throw forbidden('This key may act only for its own producer.');
}
