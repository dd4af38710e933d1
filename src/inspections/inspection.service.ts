import { createHash } from 'node:crypto';
import { findUser } from '../accounts/user.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { allOf, isDuplicateKeyError } from '../db.js';
import { conflict, forbidden, notFound } from '../errors/app-error.js';
import { readableLabelParts, SERIAL_PATTERN } from '../labels/format/label-url.js';
import { findLabel } from '../labels/runs/labels.service.js';
import type { Page, Paging } from '../paging.js';
import { assertMay } from '../policy/policy.js';
import type { Principal } from '../policy/principal.js';
import { findCommune } from '../reference/admin-units.js';
import { findProduct, findProductByGtin } from '../registry/products/product.service.js';
import { MAX_PHOTOS } from './inspection-findings.js';
import { InspectionModel, InspectionPhotoModel } from './inspection.model.js';
import { reencodeInspectionPhoto } from './inspection-photo.js';
import { presentInspection, type InspectionRecord, type InspectionView, type PhotoSummary } from './inspection.presenter.js';
import type { InspectionCreateInput, InspectionFilterInput } from './inspection.schema.js';

/**
 * The findings log. Recording an inspection:
 *
 * 1. The device made the id; it is the idempotency key. The request as understood
 *    (times as instants, text trimmed) is hashed.
 * 2. A record with that id already there: the same hash from the same person answers
 *    that record (a retry after a lost answer, or the offline queue sending again);
 *    anything else is 409 inspection/id_reused. Nothing is written.
 * 3. Otherwise the producer and product are looked up from the label (its serial, then
 *    its product id, then its GTIN, each from the fields sent or read from the label
 *    URL), so a producer can read findings about its products whatever the device sent.
 * 4. One insert; the unique _id decides between two copies of the same request racing
 *    (the loser reads the winner's record and goes through step 2). Then the audit line.
 *
 * Photos come separately (attachInspectionPhoto), each in a slot of its own.
 */

export type Recorded = { inspection: InspectionView; created: boolean };

const SORT = { at: -1, _id: 1 } as const;
const PHOTO_FIELDS = { inspectionId: 1, slot: 1, width: 1, height: 1, bytes: 1 } as const;

/** JSON with sorted keys, so two equal requests hash alike whatever their key order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

const instant = (s: string | null | undefined) => (s ? new Date(s) : null);

/** The request as stored: absent and empty fields become null, times become instants. */
function normalised(input: InspectionCreateInput) {
  const label = input.label
    ? {
        url: input.label.url ?? null,
        serial: input.label.serial ?? null,
        productId: input.label.productId ?? null,
        gtin: input.label.gtin ?? null,
        lot: input.label.lot ?? null,
        verdict: input.label.verdict ?? null,
        verdictAsOf: instant(input.label.verdictAsOf),
      }
    : null;
  const hasLabel = label !== null && Object.values(label).some((v) => v !== null);
  return {
    at: new Date(input.at),
    communeCode: input.commune,
    gps: input.gps ? { lat: input.gps.lat, lng: input.gps.lng, accuracy: input.gps.accuracy ?? null } : null,
    place: input.place,
    starsSeen: input.starsSeen ?? null,
    finding: input.finding,
    notes: input.notes ?? '',
    label: hasLabel ? label : null,
  };
}

const hashOf = (fields: ReturnType<typeof normalised>) => createHash('sha256').update(canonical(fields)).digest('base64url');

/** Whether the same person (or, for a key no person stands behind, the same key) recorded it. */
function recordedByCaller(r: Pick<InspectionRecord, 'recordedBy'>, actor: Principal): boolean {
  return actor.userId ? r.recordedBy.userId === actor.userId : r.recordedBy.keyId === actor.keyId;
}

/** The inspections a caller may read, as a query condition. */
function visibleTo(actor: Principal): Record<string, unknown> {
  if (actor.role === 'admin') return {};
  if (actor.role === 'producer') {
    if (!actor.producerId) throw forbidden('This producer key is not bound to a producer: ask an admin for a new key.');
    return { producerId: actor.producerId };
  }
  const mine = actor.userId ? { 'recordedBy.userId': actor.userId } : { 'recordedBy.keyId': actor.keyId };
  const provinces = actor.scope?.provinces ?? [];
  return provinces.length ? { $or: [mine, { provinceCode: { $in: [...provinces] } }] } : mine;
}

/** Producer and product of the label, as our records know them; null when it names none of ours. */
async function ownerOfLabel(label: ReturnType<typeof normalised>['label']): Promise<{ producerId: string; productId: string } | null> {
  if (!label) return null;
  const read = label.url ? readableLabelParts(label.url) : null;
  const serial = label.serial && SERIAL_PATTERN.test(label.serial) ? label.serial : read?.serial ?? null;
  if (serial) {
    const found = await findLabel(serial);
    if (found) return { producerId: found.producerId, productId: found.productId };
  }
  const productId = label.productId ?? read?.productId ?? null;
  const product = productId ? await findProduct(productId) : null;
  if (product) return { producerId: product.producerId, productId: product._id };
  const gtin = label.gtin ?? read?.gtin ?? null;
  const byGtin = gtin && /^\d{14}$/.test(gtin) ? await findProductByGtin(gtin) : null;
  return byGtin ? { producerId: byGtin.producerId, productId: byGtin._id } : null;
}

async function photosOf(ids: readonly string[]): Promise<Map<string, PhotoSummary[]>> {
  const byInspection = new Map<string, PhotoSummary[]>();
  if (ids.length === 0) return byInspection;
  const filter = ids.length === 1 ? { inspectionId: ids[0] } : { inspectionId: { $in: [...ids] } };
  for (const p of await InspectionPhotoModel.find(filter, PHOTO_FIELDS).lean<PhotoSummary[]>()) {
    byInspection.set(p.inspectionId, [...(byInspection.get(p.inspectionId) ?? []), p]);
  }
  return byInspection;
}

async function view(r: InspectionRecord, viewer: Principal): Promise<InspectionView> {
  return presentInspection(r, (await photosOf([r._id])).get(r._id) ?? [], viewer);
}

/** Step 2: the stored record answers a retry of the same request by the same person, and nothing else. */
async function replay(existing: InspectionRecord, hash: string, actor: Principal): Promise<Recorded> {
  if (existing.bodyHash !== hash || !recordedByCaller(existing, actor)) {
    throw conflict('inspection/id_reused', `Inspection ${existing._id} was already recorded with a different body; make a new id for a new inspection.`);
  }
  return { inspection: await view(existing, actor), created: false };
}

export async function recordInspection(actor: Principal, input: InspectionCreateInput): Promise<Recorded> {
  assertMay(actor, 'inspection.create');
  const fields = normalised(input);
  const hash = hashOf(fields);
  const existing = await InspectionModel.findById(input.id).lean<InspectionRecord>();
  if (existing) return replay(existing, hash, actor);

  const owner = await ownerOfLabel(fields.label);
  const person = actor.userId ? await findUser(actor.userId) : null;
  const doc = {
    _id: input.id,
    bodyHash: hash,
    ...fields,
    provinceCode: findCommune(fields.communeCode)!.provinceCode,
    producerId: owner?.producerId ?? null,
    productId: owner?.productId ?? null,
    recordedBy: { keyId: actor.keyId, userId: actor.userId ?? null, name: person?.name ?? null, email: person?.email ?? null },
  };
  try {
    await InspectionModel.create(doc);
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await InspectionModel.findById(input.id).lean<InspectionRecord>();
    if (!winner) throw err;
    return replay(winner, hash, actor);
  }
  await recordAudit(actor, 'inspection.create', { type: 'inspection', id: input.id, producerId: doc.producerId, provinces: [doc.provinceCode] }, { finding: fields.finding, producerId: doc.producerId });
  const stored = await InspectionModel.findById(input.id).lean<InspectionRecord>();
  return { inspection: presentInspection(stored!, [], actor), created: true };
}

/**
 * One inspection the caller may read. 404 inspection/not_found when there is none; 403
 * for one outside the caller's reach (another producer's, or, for an inspector, one
 * neither recorded by them nor in their provinces).
 */
async function visibleInspection(actor: Principal, id: string): Promise<InspectionRecord> {
  assertMay(actor, 'inspection.read');
  const found = await InspectionModel.findById(id).lean<InspectionRecord>();
  if (!found) throw notFound('inspection/not_found', `No inspection ${id}.`);
  if (actor.role === 'producer') assertMay(actor, 'inspection.read', { producerId: found.producerId ?? '' });
  if (actor.role === 'inspector' && !recordedByCaller(found, actor) && !(actor.scope?.provinces ?? []).includes(found.provinceCode)) {
    throw forbidden(`Inspection ${id} was recorded by another inspector outside your provinces.`);
  }
  return found;
}

export async function getInspection(actor: Principal, id: string): Promise<InspectionView> {
  return view(await visibleInspection(actor, id), actor);
}

/**
 * A photo for an inspection, from the person who recorded it (or an admin). The same
 * bytes sent again find their photo (200, nothing new); a new one takes the lowest free
 * slot, and the unique slot ids keep the count at MAX_PHOTOS even when uploads race.
 */
export async function attachInspectionPhoto(actor: Principal, id: string, input: Buffer): Promise<Recorded> {
  assertMay(actor, 'inspection.attach_photo');
  const inspection = await visibleInspection(actor, id);
  if (actor.role !== 'admin' && !recordedByCaller(inspection, actor)) {
    throw forbidden(`Only the inspector who recorded inspection ${id}, or an admin, may add photos to it.`);
  }
  const hash = createHash('sha256').update(input).digest('base64url');
  if (await InspectionPhotoModel.exists({ inspectionId: id, hash })) return { inspection: await view(inspection, actor), created: false };
  const photo = await reencodeInspectionPhoto(input);
  const used = new Set((await InspectionPhotoModel.find({ inspectionId: id }, { slot: 1 }).lean<{ slot: number }[]>()).map((p) => p.slot));
  for (let slot = 1; slot <= MAX_PHOTOS; slot += 1) {
    if (used.has(slot)) continue;
    try {
      await InspectionPhotoModel.create({ _id: `${id}/${slot}`, inspectionId: id, slot, hash, width: photo.width, height: photo.height, bytes: photo.data.length, data: photo.data });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // The same photo raced in through another request: it is there, answer it.
      if (await InspectionPhotoModel.exists({ inspectionId: id, hash })) return { inspection: await view(inspection, actor), created: false };
      continue;
    }
    await recordAudit(actor, 'inspection.attach_photo', { type: 'inspection', id, producerId: inspection.producerId, provinces: [inspection.provinceCode] }, { slot, bytes: photo.data.length });
    return { inspection: await view(inspection, actor), created: true };
  }
  throw conflict('inspection/too_many_photos', `Inspection ${id} already has ${MAX_PHOTOS} photos, the most it may have.`);
}

export async function inspectionPhoto(actor: Principal, id: string, slot: number): Promise<Buffer> {
  await visibleInspection(actor, id);
  const photo = await InspectionPhotoModel.findById(`${id}/${slot}`).lean<{ data: Buffer | { buffer: Buffer } }>();
  if (!photo) throw notFound('inspection/not_found', `Inspection ${id} has no photo ${slot}.`);
  return Buffer.isBuffer(photo.data) ? photo.data : Buffer.from((photo.data as { buffer: Buffer }).buffer);
}

const VIETNAM = '+07:00';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `from` and `to` as instants: a day means the whole day in Vietnam, `to` included. */
function timeRange(filter: InspectionFilterInput): Record<string, Date> | null {
  const range: Record<string, Date> = {};
  if (filter.from) range.$gte = new Date(DAY.test(filter.from) ? `${filter.from}T00:00:00${VIETNAM}` : filter.from);
  if (filter.to) {
    if (DAY.test(filter.to)) range.$lt = new Date(new Date(`${filter.to}T00:00:00${VIETNAM}`).getTime() + 24 * 60 * 60 * 1000);
    else range.$lte = new Date(filter.to);
  }
  return Object.keys(range).length ? range : null;
}

function queryOf(actor: Principal, filter: InspectionFilterInput): Record<string, unknown> {
  assertMay(actor, 'inspection.read');
  // A producer asking for another producer's findings is refused, not answered with an empty list.
  if (filter.producerId) assertMay(actor, 'inspection.read', { producerId: filter.producerId });
  const range = timeRange(filter);
  return allOf([
    visibleTo(actor),
    ...(range ? [{ at: range }] : []),
    ...(filter.commune ? [{ communeCode: filter.commune }] : []),
    ...(filter.finding ? [{ finding: filter.finding }] : []),
    ...(filter.producerId ? [{ producerId: filter.producerId }] : []),
  ]);
}

export async function listInspections(actor: Principal, filter: InspectionFilterInput, paging: Paging): Promise<Page<InspectionView>> {
  const query = queryOf(actor, filter);
  const [items, total] = await Promise.all([
    InspectionModel.find(query).sort(SORT).skip(paging.offset).limit(paging.limit).lean<InspectionRecord[]>(),
    InspectionModel.countDocuments(query),
  ]);
  const photos = await photosOf(items.map((r) => r._id));
  return { items: items.map((r) => presentInspection(r, photos.get(r._id) ?? [], actor)), page: { ...paging, total } };
}

/**
 * Every matching inspection for an export, newest first, read a page at a time. The
 * caller is checked here, before the first row, so a refusal is an error answer and
 * never a half-written file.
 */
export function allInspections(actor: Principal, filter: InspectionFilterInput, max = 50_000): AsyncIterable<InspectionView> {
  const query = queryOf(actor, filter);
  const size = 200;
  return (async function* pages() {
    for (let offset = 0; offset < max; offset += size) {
      const items = await InspectionModel.find(query).sort(SORT).skip(offset).limit(Math.min(size, max - offset)).lean<InspectionRecord[]>();
      const photos = await photosOf(items.map((r) => r._id));
      for (const r of items) yield presentInspection(r, photos.get(r._id) ?? [], actor);
      if (items.length < size) return;
    }
  })();
}
