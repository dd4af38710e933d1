import type { Lang } from '../i18n.js';
import { accountErrors } from './codes/accounts.js';
import { eventErrors } from './codes/events.js';
import { generalErrors } from './codes/general.js';
import { idempotencyErrors } from './codes/idempotency.js';
import { inspectionErrors } from './codes/inspections.js';
import { labelErrors } from './codes/labels.js';
import { registryErrors } from './codes/registry.js';
import { officeErrors } from './codes/office.js';
import { reportErrors } from './codes/reports.js';
import { verifyErrors } from './codes/verify.js';

/** What every occurrence of a code shares: its HTTP status and a text people can act on. */
export type CatalogueEntry = Readonly<{ status: number } & Record<Lang, string>>;

/**
 * Every error code the service answers, and the source of truth for its status: an
 * AppError reads its status here, and a code missing here does not compile. docs/api.md's
 * error table is checked against it (test/unit/errors-catalogue.test.ts).
 */
export const errorCatalogue = {
  ...generalErrors,
  ...idempotencyErrors,
  ...accountErrors,
  ...registryErrors,
  ...labelErrors,
  ...verifyErrors,
  ...eventErrors,
  ...reportErrors,
  ...officeErrors,
  ...inspectionErrors,
} as const satisfies Record<string, CatalogueEntry>;

/** The areas the catalogue is written in, so a test can see that no code is in two of them. */
export const catalogueAreas: readonly Readonly<Record<string, CatalogueEntry>>[] = [
  generalErrors,
  idempotencyErrors,
  accountErrors,
  registryErrors,
  labelErrors,
  verifyErrors,
  eventErrors,
  reportErrors,
  officeErrors,
  inspectionErrors,
];

export type ErrorCode = keyof typeof errorCatalogue;

/** The codes whose status is S: `notFound` takes only 404 codes, and so on. */
export type CodeWithStatus<S extends number> = {
  [C in ErrorCode]: (typeof errorCatalogue)[C]['status'] extends S ? C : never;
}[ErrorCode];

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorCatalogue, code);
