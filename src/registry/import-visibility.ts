import type { CreateOptions } from '../create-options.js';
import { notFound } from '../errors/app-error.js';

/**
 * Records a certification decision import writes (src/office/decisions/) are hidden until
 * the import is done: each is created carrying its import's id in `importing`, and the
 * import's last step (import-publish.ts) removes it from every record of the import at
 * once. The public reads (lists, the registry's index and figures, the current
 * certification the verification page and labels read) select `VISIBLE` records only;
 * lookups by id (the import's own "written already?" checks, the office's pages) see
 * them all. No transaction is needed: a hidden record is invisible however the import
 * stopped, and publishing is idempotent, so a resumed import publishes again.
 */

/** The filter of records no unfinished import holds back (the field is absent on every other record). */
export const VISIBLE: Readonly<{ importing: null }> = Object.freeze({ importing: null });

/** Whether a record read by id or in a list of a product's certifications is public yet. */
export const isVisible = (record: { importing?: string | null | undefined }): boolean => record.importing === null || record.importing === undefined;

/**
 * A record read by id for the public API: one an unfinished import holds back answers as
 * an unknown id does (the same 404 and message), so nothing tells it exists yet.
 */
export function publicRecord<T extends { _id: string; importing?: string | null | undefined }>(record: T, code: NotFoundCode, what: RecordKind): T {
  if (!isVisible(record)) throw asUnknown(record._id, code, what);
  return record;
}

type NotFoundCode = 'producer/not_found' | 'product/not_found' | 'certification/not_found';
type RecordKind = 'producer' | 'product' | 'certification';

/** The 404 of an unknown id, for a record held back (or shown with one that is: a product page shows its producer). */
export const asUnknown = (id: string, code: NotFoundCode, what: RecordKind) => notFound(code, `No ${what} with id ${id}.`);

/** What a creating write of an import carries: its import's id, to be written hidden. */
export type ImportOptions = CreateOptions & Readonly<{ importing?: string | undefined }>;

/** The field a new record is written with: its import's id while the import runs, else nothing. */
export const importingField = (opts: ImportOptions | undefined): { importing?: string } => (opts?.importing ? { importing: opts.importing } : {});

/** The schema field, declared on producers, products and certifications. */
export const importingSchemaField = { type: String, default: undefined } as const;
