import { isGlnUri, locationsByUri, type LocationRecord } from '../../registry/locations/location.service.js';
import type { EventProblem, PreparedEvent } from './epcis-event.js';

/**
 * Where each event happened, for the place Circular 02/2024 asks for: an OCOP place
 * (urn:ocop:commune:…, checked in epcis-event.ts) or a registered location — the SGLN
 * read points and GLN business locations partners send, mapped to a commune by the
 * locations master data (one `_id` lookup per distinct place of the document).
 * An event whose only place is an SGLN/GLN nobody registered is refused with
 * `event/unknown_location`, saying what to register; other location URIs are kept
 * as sent but give no place.
 *
 * Each event's **home**, too: the first of its readPoint and bizLocation (where it
 * happened, then where the goods are) that is registered to a producer. An event that
 * names no goods of one batch of ours is kept in its home's chain (resolve-batches.ts).
 */
export type Home = { locationKey: string; producerId: string };
export type PlaceOutcome = { problem: EventProblem | null; home: Home | null };

export async function resolvePlaces(events: PreparedEvent[]): Promise<PlaceOutcome[]> {
  const gs1 = events.flatMap((e) => [e.readPoint, e.bizLocation]).filter((u): u is string => u !== null && isGlnUri(u));
  const registered: ReadonlyMap<string, LocationRecord> = gs1.length ? await locationsByUri(gs1) : new Map();
  return events.map((e) => {
    const named = (['readPoint', 'bizLocation'] as const).flatMap((field) => (e[field] ? [{ field, id: e[field] as string }] : []));
    const owned = named.map((p) => registered.get(p.id)).find((l) => typeof l?.producerId === 'string');
    const home = owned?.producerId ? { locationKey: owned._id, producerId: owned.producerId } : null;
    return { problem: placeProblem(e, named, registered), home };
  });
}

function placeProblem(e: PreparedEvent, named: { field: 'readPoint' | 'bizLocation'; id: string }[], registered: ReadonlyMap<string, unknown>): EventProblem | null {
  if (e.ocopPlaced) return null;
  if (named.some((p) => registered.has(p.id))) return null;
  const unregistered = named.find((p) => isGlnUri(p.id));
  if (unregistered) {
    return {
      code: 'event/unknown_location',
      path: `${unregistered.field}.id`,
      message: `${unregistered.id} is not a registered location: register it (POST /api/v1/locations with its GLN or SGLN, a name and the commune code), or name the place as urn:ocop:commune:{commune code}`,
    };
  }
  return {
    code: 'event/invalid_place',
    path: 'bizLocation.id',
    message: 'every event needs a place: bizLocation or readPoint as urn:ocop:commune:{commune code}, or a registered location (SGLN / GLN)',
  };
}
