import { findCommune, placeName } from '../reference/admin-units.js';

/**
 * Where an event happened, as readPoint / bizLocation ids:
 *   urn:ocop:commune:{5-digit GSO commune code}            the commune itself
 *   urn:ocop:commune:{code}:{site}                          a site in it (a farm, a workshop, a shop)
 * Other location URIs (SGLNs, GLN Digital Links) are accepted and kept, but only
 * the ocop form carries the place code Circular 02/2024 asks for, so each event
 * needs at least one of its two locations in that form.
 */
const PLACE = /^urn:ocop:commune:(\d{5})(?::([A-Za-z0-9._-]{1,60}))?$/;

export type Place = { communeCode: string; site: string | null };

export function parsePlaceUri(uri: string): Place | null {
  const m = PLACE.exec(uri);
  if (!m?.[1]) return null;
  return { communeCode: m[1], site: m[2] ?? null };
}

export const communeUri = (communeCode: string, site?: string) =>
  `urn:ocop:commune:${communeCode}${site ? `:${site}` : ''}`;

export const isOcopPlaceUri = (uri: string) => uri.startsWith('urn:ocop:commune:');

export function knownCommune(code: string): boolean {
  return findCommune(code) !== undefined;
}

export function placeLabel(code: string): string | null {
  return placeName(code);
}
