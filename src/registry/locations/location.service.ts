import type { Principal } from '../../policy/principal.js';
import { assertMay } from '../../policy/policy.js';
import { recordAudit } from '../../audit/audit.service.js';
import { badRequest, conflict } from '../../errors/app-error.js';
import { isDuplicateKeyError } from '../../db.js';
import { pagingOf, type Page } from '../../paging.js';
import { findCommune } from '../../reference/admin-units.js';
import { findProducer, producerResource } from '../producers/producer.service.js';
import { glnOk, locationKey, parseGlnUri, validExtension, type GlnRef } from './gln.js';
import { LocationModel, type LocationDoc } from './location.model.js';
import type { LocationCreateInput, LocationListQuery } from './location.schema.js';

/**
 * Registered locations: the master data that maps the places partners name in EPCIS
 * events (SGLN read points, GLN business locations) to the communes Circular 02/2024
 * asks for. Admins register any; a producer key registers its own producer's sites.
 */
export type LocationRecord = LocationDoc;

export async function createLocation(input: LocationCreateInput, actor: Principal): Promise<LocationRecord> {
  const ref = refOf(input);
  const commune = findCommune(input.communeCode);
  if (!commune) throw badRequest('location/invalid', `communeCode: ${input.communeCode} is not a commune code in force (2025 units).`);
  // A producer key registers its own sites; leaving producerId out means its own producer.
  const producerId = input.producerId === undefined && actor.role === 'producer' ? actor.producerId : (input.producerId ?? null);
  // An office registers its province's producers' sites, and partners' places in its province.
  assertMay(actor, 'location.create', producerId ? await producerResource(actor, producerId) : { province: commune.provinceCode });
  if (actor.role === 'producer' && producerId === null) assertMay(actor, 'location.create', { producerId: '' });
  if (producerId && !(await findProducer(producerId))) throw badRequest('location/invalid', `producerId: no producer ${producerId}.`);
  const _id = locationKey(ref);
  try {
    const sgln = input.id?.startsWith('urn:epc:id:sgln:') ? input.id : null;
    const doc = await LocationModel.create({ _id, gln: ref.gln, extension: ref.extension, sgln, name: input.name, communeCode: input.communeCode, producerId, createdAt: new Date() });
    await recordAudit(actor, 'location.create', { type: 'location', id: _id, producerId, provinces: [commune.provinceCode] }, { communeCode: input.communeCode, producerId });
    return doc.toObject() as LocationRecord;
  } catch (err) {
    if (isDuplicateKeyError(err)) throw conflict('location/duplicate', `GLN ${ref.gln}${ref.extension ? ` extension ${ref.extension}` : ''} is already registered.`, { existingLocationId: _id });
    throw err;
  }
}

function refOf(input: LocationCreateInput): GlnRef {
  if (input.id !== undefined) {
    const ref = parseGlnUri(input.id);
    if (!ref) throw badRequest('location/invalid', 'id: must be an SGLN (urn:epc:id:sgln:{company prefix}.{location reference}.{extension}) or a GLN Digital Link (https://…/414/{gln}[/254/{extension}]).');
    return ref;
  }
  const gln = input.gln ?? '';
  if (!glnOk(gln)) throw badRequest('location/invalid', 'gln: must be 13 digits with a correct check digit.');
  if (input.extension !== undefined && input.extension !== '0' && !validExtension(input.extension)) {
    throw badRequest('location/invalid', 'extension: up to 20 GS1 characters (letters, digits, - _ . and a few signs).');
  }
  return { gln, extension: input.extension && input.extension !== '0' ? input.extension : null };
}

/** A location by its key (gln.ts), or null. */
export async function findLocation(key: string): Promise<LocationRecord | null> {
  return LocationModel.findById(key).lean<LocationRecord>();
}

/**
 * The registered location of each URI that names a GS1 place (SGLN, GLN Digital Link),
 * by `_id` lookups side by side; URIs of other forms, or not registered, are absent.
 */
export async function locationsByUri(uris: readonly string[]): Promise<Map<string, LocationRecord>> {
  const keyOf = new Map<string, string>();
  for (const uri of new Set(uris)) {
    const ref = parseGlnUri(uri);
    if (ref) keyOf.set(uri, locationKey(ref));
  }
  const found = await Promise.all([...new Set(keyOf.values())].map(async (k) => [k, await findLocation(k)] as const));
  const byKey = new Map(found.flatMap(([k, l]) => (l ? [[k, l] as const] : [])));
  const out = new Map<string, LocationRecord>();
  for (const [uri, key] of keyOf) {
    const l = byKey.get(key);
    if (l) out.set(uri, l);
  }
  return out;
}

/** Locations, oldest first. Public, as the places on timelines are: every caller lists the same. */
export async function listLocations(query: LocationListQuery): Promise<Page<LocationRecord>> {
  const paging = pagingOf(query);
  const filter: Record<string, unknown> = {};
  if (query.producer) filter.producerId = query.producer;
  if (query.commune) filter.communeCode = query.commune;
  const [items, total] = await Promise.all([
    LocationModel.find(filter).sort({ createdAt: 1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<LocationRecord[]>(),
    LocationModel.countDocuments(filter),
  ]);
  return { items, page: { ...paging, total } };
}

export { isGlnUri, parseGlnUri } from './gln.js';

/** The location key an SGLN or GLN Digital Link names, or null for other URIs. */
export function locationKeyOfUri(uri: string): string | null {
  const ref = parseGlnUri(uri);
  return ref ? locationKey(ref) : null;
}

/** Keys of the locations registered in a commune (a registry-sized read, by the communeCode index). */
export async function locationKeysInCommune(communeCode: string): Promise<Set<string>> {
  const rows = await LocationModel.find({ communeCode }, { _id: 1 }).limit(5000).lean();
  return new Set(rows.map((r) => r._id));
}
