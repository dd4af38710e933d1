import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { SAFE_CSV_CAST } from '../spreadsheet-cells.js';
import { findCommune, findProvince } from '../reference/admin-units.js';
import { findProductGroup } from '../reference/product-groups.js';
import type { CatalogueSnapshot } from './catalogue-index.js';
import type { CatalogueEntry } from './catalogue-search.js';

/**
 * The whole registry as open data: one row per product with its current certification,
 * as CSV (/api/v1/registry/products.csv) and JSON (/api/v1/registry/products.json).
 * The columns are a stable schema (docs/open-data.md): new columns are added at the end,
 * none is renamed or removed without a new schema version.
 */
export const OPEN_DATA_SCHEMA_VERSION = '1';
export const OPEN_DATA_LICENCE =
  'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/): published by the OCOP programme offices; cite "OCOP programme offices, OCOP product registry".';

export const OPEN_DATA_COLUMNS = [
  'productId',
  'productName',
  'productNameEn',
  'gtin',
  'groupCode',
  'groupName',
  'producerId',
  'producerName',
  'producerKind',
  'provinceCode',
  'provinceName',
  'communeCode',
  'communeName',
  'stars',
  'certificationStatus',
  'certificateNumber',
  'decisionDate',
  'validUntil',
  'productUrl',
] as const;

export type OpenDataRow = Record<(typeof OPEN_DATA_COLUMNS)[number], string | number | null>;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function openDataRow(e: CatalogueEntry, base: string): OpenDataRow {
  return {
    productId: e.id,
    productName: e.name.vi,
    productNameEn: e.name.en,
    gtin: e.gtin,
    groupCode: e.group,
    groupName: findProductGroup(e.groupListVersion, e.group)?.vi ?? null,
    producerId: e.producerId,
    producerName: e.producerName,
    producerKind: e.producerKind,
    provinceCode: e.provinceCode,
    provinceName: findProvince(e.provinceCode)?.name ?? null,
    communeCode: e.communeCode,
    communeName: findCommune(e.communeCode)?.name ?? null,
    stars: e.stars,
    certificationStatus: e.status,
    certificateNumber: e.certificateNumber,
    decisionDate: day(e.decisionDate),
    validUntil: day(e.validUntil),
    productUrl: `${base}/products/${e.id}`,
  };
}

/** Until `stream` wants more, or the client went away (then nothing more is written). */
function drained(stream: Writable, client: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      client.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    client.once('close', done);
  });
}

/** Writes chunks one at a time, waiting whenever the client reads slower than we write. */
async function writeAll(out: Writable, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (out.destroyed) return;
    if (!out.write(chunk)) await drained(out, out);
  }
  out.end();
}

/**
 * The registry as CSV (RFC 4180, UTF-8 with a byte order mark so that spreadsheet
 * programs read the Vietnamese names right, a header row, no cell a spreadsheet would run
 * as a formula), streamed.
 */
export async function writeOpenDataCsv(snap: CatalogueSnapshot, base: string, out: Writable): Promise<void> {
  const csv = stringify({ header: true, columns: [...OPEN_DATA_COLUMNS], bom: true, cast: SAFE_CSV_CAST });
  csv.pipe(out);
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('close', resolve);
    csv.once('error', reject);
  });
  for (const e of snap.entries) {
    if (out.destroyed) break;
    if (!csv.write(openDataRow(e, base))) await drained(csv, out);
  }
  csv.end();
  await finished;
}

/** The registry as one JSON document `{schemaVersion, licence, generatedAt, count, items}`, streamed item by item. */
export async function writeOpenDataJson(snap: CatalogueSnapshot, base: string, out: Writable): Promise<void> {
  const head = JSON.stringify({ schemaVersion: OPEN_DATA_SCHEMA_VERSION, licence: OPEN_DATA_LICENCE, generatedAt: snap.loadedAt.toISOString(), count: snap.entries.length });
  const entries = snap.entries;
  function* chunks() {
    yield `${head.slice(0, -1)},"items":[`;
    for (let i = 0; i < entries.length; i += 200) {
      yield entries
        .slice(i, i + 200)
        .map((e, j) => (i + j === 0 ? '' : ',') + JSON.stringify(openDataRow(e, base)))
        .join('');
    }
    yield ']}';
  }
  await writeAll(out, chunks());
}
