import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { errorCatalogue } from '../errors/catalogue.js';
import type { Lang } from '../i18n.js';
import { officeT, type OfficeKey, type OfficeT } from './office.messages.js';

/**
 * What the office's forms share: reading a posted form, checking it with the API's own
 * schema (so a screen refuses what the API refuses) and saying each problem in the
 * page's language next to its field, and paging the lists.
 */

/** One problem of a form: the field it is about (the input's name), null for the form as a whole. */
export type Problem = { field: string | null; message: string };

/** The posted form's text fields, trimmed; a field not sent reads ''. */
export function formValues<K extends string>(req: Request, names: readonly K[]): Record<K, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out = {} as Record<K, string>;
  for (const name of names) {
    const v = body[name];
    out[name] = typeof v === 'string' ? v.trim() : '';
  }
  return out;
}

/** '' → null: an empty optional field clears the value, as the API's `null` does. */
export const orNull = (s: string) => (s === '' ? null : s);

/** A number typed in a form; text that is no number is passed on for the schema to refuse. */
export const numberOrText = (s: string): number | string | undefined => (s === '' ? undefined : Number.isFinite(Number(s)) ? Number(s) : s);

/**
 * Checks a form's API input with the API's schema. `fields` maps the schema's paths
 * (`address.communeCode`) to the form's inputs (`communeCode`); each input in trouble
 * gets its own message (`problem.<input>`) once.
 */
export function checkForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fields: Readonly<Record<string, string>>,
  t: OfficeT,
): { ok: true; value: z.output<S> } | { ok: false; problems: Problem[] } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const problems: Problem[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    // A problem of a list item (standards.2) is the list's.
    const field = fields[path] ?? fields[path.replace(/\.\d+$/, '')] ?? null;
    if (problems.some((p) => p.field === field && field !== null)) continue;
    problems.push({ field, message: field ? t(`problem.${field}` as OfficeKey) : t('problem.unknown', { field: path || '—' }) });
  }
  return { ok: false, problems };
}

/** What a service refused, for the form: its status, the field it is about and a message in the page's language. */
export type Refusal = { status: number; problem: Problem };

/**
 * A service's refusal of a form's write, said for people: `known` names the codes a
 * form expects (the field and message); any other refusal a person can act on gets the
 * error catalogue's text. Anything else (a 500) is not a form problem and is thrown on.
 */
export function refusalOf(err: unknown, lang: Lang, known: Readonly<Record<string, { field: string | null; message: (t: OfficeT, details: Record<string, unknown>) => string }>>): Refusal {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
  const t = officeT(lang);
  const hit = known[err.code];
  const details = (err.details ?? {}) as Record<string, unknown>;
  if (hit) return { status: err.status, problem: { field: hit.field, message: hit.message(t, details) } };
  return { status: err.status, problem: { field: null, message: errorCatalogue[err.code][lang] } };
}

/** The page asked for (?page=, 1-based): anything else reads as the first. */
export function pageNumber(req: Request): number {
  const raw = typeof req.query.page === 'string' ? req.query.page : '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : 1;
  return n >= 1 ? n : 1;
}

export const OFFICE_PAGE_SIZE = 20;

/** A query text parameter, trimmed and cut to `max` characters ('' when absent). */
export function queryText(req: Request, name: string, max = 100): string {
  const v = req.query[name];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}

/** The links of a paged list: the same query with another page. */
export function pagerOf(path: string, query: Record<string, string>, page: number, hasMore: boolean) {
  const href = (p: number) => {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  };
  return { page, prev: page > 1 ? href(page - 1) : null, next: hasMore ? href(page + 1) : null };
}
