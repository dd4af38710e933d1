import { customAlphabet } from 'nanoid';
import { SERIAL_ALPHABET } from '../labels/format/serial.js';
import { readableLabelParts } from '../labels/format/label-url.js';
import { findCommune, findProvince } from '../reference/admin-units.js';
import type { Page, Paging } from '../paging.js';
import { ReportModel, ReportPhotoModel, type ReportDoc } from './report.model.js';
import { NEXT_STATUSES, type REPORT_KINDS, type ReportStatus } from './report-kinds.js';
import { PUBLIC_WRITER, recordAudit } from '../audit/audit.service.js';
import { findUser } from '../accounts/user.service.js';
import { conflict, notFound } from '../errors/app-error.js';
import type { ReportPhoto } from './report-photo.js';
import type { Principal } from '../policy/principal.js';
import { assertMay, listProvinces } from '../policy/policy.js';
import { findProduct, findProductByGtin } from '../registry/products/product.service.js';

/**
 * Receipt numbers are read out over the phone: "BC-" and 8 characters of the label
 * serials' alphabet (no look-alikes), ≈ 37 bits — a guess finds nobody's report, and
 * reading one needs an office or inspector key anyway.
 */
const receiptTail = customAlphabet(SERIAL_ALPHABET, 8);
export const RECEIPT_PATTERN = /^BC-[34679ACDEFGHJKMNPQRTUVWXY]{8}$/;

export type NewReport = {
  label: string | null;
  kind: (typeof REPORT_KINDS)[number];
  details: string;
  provinceCode: string;
  commune: string;
  place: string;
  contact: string | null;
};

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().replace(/\s+/g, ' ').trim();

/** The commune's code when the typed name, with or without its type ("Xã", "Phường"), is one commune of the province. */
function communeCodeOf(provinceCode: string, typed: string): string | null {
  const want = fold(typed);
  if (!want) return null;
  const hits = (findProvince(provinceCode)?.communes ?? []).filter((c) => fold(c.name) === want || fold(`${c.type} ${c.name}`) === want);
  return hits.length === 1 ? hits[0]!.code : null;
}

/**
 * Stores a report and answers its receipt number. The photo is written first: a crash
 * between the two writes leaves an unreferenced photo, never a report whose photo is missing.
 * Audited as every write is, under `public`, filed under the shop's province and the
 * province of the label's producer (as the report's status changes are).
 */
export async function createReport(input: NewReport, photo: ReportPhoto | null): Promise<{ receipt: string; createdAt: Date }> {
  const receipt = `BC-${receiptTail()}`;
  if (photo) await ReportPhotoModel.create({ _id: receipt, data: photo.data });
  const doc = await ReportModel.create({
    _id: receipt,
    ...input,
    communeCode: communeCodeOf(input.provinceCode, input.commune),
    photo: photo ? { width: photo.width, height: photo.height, bytes: photo.data.length } : null,
  });
  const producerId = await producerOfLabel(input.label);
  await recordAudit(PUBLIC_WRITER, 'report.create', { type: 'report', id: receipt, producerId, provinces: [input.provinceCode] }, { kind: input.kind, photo: photo !== null });
  return { receipt, createdAt: doc.createdAt };
}

type ReportRecord = ReportDoc & { _id: string };

/** A report as the office reads it: the label's readable parts, the place by name. */
function present(r: ReportRecord) {
  const communeName = r.communeCode ? findCommune(r.communeCode)?.name ?? null : null;
  return {
    receipt: r._id,
    status: r.status,
    kind: r.kind,
    details: r.details,
    label: r.label ? { url: r.label, ...readableLabelParts(r.label) } : null,
    place: {
      provinceCode: r.provinceCode,
      province: findProvince(r.provinceCode)?.name ?? null,
      commune: r.commune,
      communeCode: r.communeCode ?? null,
      communeName,
      shop: r.place,
    },
    contact: r.contact ?? null,
    history: (r.history ?? []).map((h) => ({ from: h.from, to: h.to, note: h.note ?? '', by: h.byName ?? h.by, at: h.at })),
    photo: r.photo ? { width: r.photo.width, height: r.photo.height, bytes: r.photo.bytes, href: `/api/v1/reports/${r._id}/photo` } : null,
    createdAt: r.createdAt,
  };
}

export type ReportView = ReturnType<typeof present>;

/**
 * Newest first. A `viewer` kept to some provinces (a provincial office, an inspector)
 * lists the reports from shops of its provinces only; naming another province is a 403.
 */
export async function listReports(
  filter: { status?: ReportStatus | undefined; province?: string | undefined },
  paging: Paging,
  viewer?: Principal | null,
): Promise<Page<ReportView>> {
  const provinces = listProvinces(viewer ?? null, 'report.read', filter.province);
  const query = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(provinces ? { provinceCode: provinces.length === 1 ? provinces[0] : { $in: [...provinces] } } : {}),
  };
  const [items, total] = await Promise.all([
    ReportModel.find(query).sort({ createdAt: -1, _id: 1 }).skip(paging.offset).limit(paging.limit).lean<ReportRecord[]>(),
    ReportModel.countDocuments(query),
  ]);
  return { items: items.map(present), page: { ...paging, total } };
}

/** A report, or null; with a `viewer`, one from a shop outside its provinces is refused (403). */
export async function findReport(receipt: string, viewer?: Principal | null): Promise<ReportView | null> {
  const r = await ReportModel.findById(receipt).lean<ReportRecord>();
  if (r && viewer !== undefined) assertMay(viewer, 'report.read', { province: r.provinceCode });
  return r ? present(r) : null;
}

/** A report's photo, or null; with a `viewer`, kept to the reports it may read (findReport). */
export async function findReportPhoto(receipt: string, viewer?: Principal | null): Promise<Buffer | null> {
  if (viewer !== undefined && !(await findReport(receipt, viewer))) return null;
  const p = await ReportPhotoModel.findById(receipt);
  return p ? Buffer.from(p.data) : null;
}

/**
 * The producer of the product a report's label names (its /p/ id or its GTIN), or null:
 * the report's audit entries are filed under that producer's province too, beside the
 * province where the package was seen. Read when an office moves the report on, not kept
 * on the report: a report names a label as scanned, whoever it belongs to.
 */
async function producerOfLabel(label: string | null | undefined): Promise<string | null> {
  if (!label) return null;
  const { productId, gtin } = readableLabelParts(label);
  const product = productId ? await findProduct(productId) : gtin ? await findProductByGtin(gtin) : null;
  return product?.producerId ?? null;
}

/**
 * Moves a report on in the queue (open → checked → closed), with the officer's note.
 * The update is conditional on the status it moves from: a report that has moved on
 * since the officer's page was drawn, or a move backwards, is refused with 409
 * report/status_changed, and the officer sees the report as it now is. Audited.
 */
export async function setReportStatus(actor: Principal, receipt: string, to: ReportStatus, note: string): Promise<ReportView> {
  assertMay(actor, 'report.update_status');
  const current = RECEIPT_PATTERN.test(receipt) ? await ReportModel.findById(receipt).lean<ReportRecord>() : null;
  if (!current) throw notFound('report/not_found', `No report ${receipt}.`);
  // Within the caller's provinces: the report's province is where the package was seen.
  assertMay(actor, 'report.update_status', { province: current.provinceCode });
  const from = current.status as ReportStatus;
  if (!NEXT_STATUSES[from].includes(to)) throw conflict('report/status_changed', `Report ${receipt} is ${from}; it cannot become ${to}.`, { status: from });
  const [byName, producerId] = await Promise.all([actor.userId ? findUser(actor.userId).then((u) => u?.name ?? null) : null, producerOfLabel(current.label)]);
  const entry = { from, to, note, by: actor.keyId, byName, at: new Date() };
  const { modifiedCount } = await ReportModel.updateOne({ _id: receipt, status: from }, { $set: { status: to }, $push: { history: entry } });
  if (modifiedCount !== 1) throw conflict('report/status_changed', `Report ${receipt} changed while this was sent; reload it.`);
  await recordAudit(actor, 'report.update_status', { type: 'report', id: receipt, producerId, provinces: [current.provinceCode] }, { from, to, note });
  return (await findReport(receipt))!;
}
