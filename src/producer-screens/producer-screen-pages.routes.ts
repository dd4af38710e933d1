import type { Request, Response } from 'express';
import { notFound } from '../errors/app-error.js';
import { pickLang } from '../http/language.js';
import { formatDay, formatInstant } from '../display-dates.js';
import { ID_PATTERN } from '../ids.js';
import { showScreen, type AccountWeb } from '../accounts/login.routes.js';
import { SERIAL_PATTERN } from '../labels/format/label-url.js';
import { producerT } from './producer-screens.messages.js';

/** What every producer screen shares: its words, the ids in its paths, its page frame and notices. */

export const tOf = (req: Request) => producerT(pickLang(req));

/** A record id from the path; one that cannot be an id names nothing (404, as an unknown id). */
export function idParam(req: Request, name: string, code: 'product/not_found' | 'batch/not_found' | 'run/not_found'): string {
  const value = String(req.params[name] ?? '');
  if (!ID_PATTERN.test(value)) throw notFound(code, `No record ${value.slice(0, 40)}.`);
  return value;
}

export function reasonOf(body: unknown): string | null {
  const raw = (body as Record<string, unknown> | undefined)?.reason;
  const reason = typeof raw === 'string' ? raw.trim() : '';
  return reason.length >= 3 && reason.length <= 1000 ? reason : null;
}

export const productName = (p: { name: { vi: string; en?: string | null } }, lang: 'vi' | 'en') => (lang === 'en' && p.name.en ? p.name.en : p.name.vi);

export function show(web: AccountWeb, req: Request, res: Response, view: string, data: { title: string } & Record<string, unknown>, status = 200): void {
  const lang = pickLang(req);
  showScreen(web, req, res, `producer/${view}`, {
    t: producerT(lang),
    productName: (p: Parameters<typeof productName>[0]) => productName(p, lang),
    day: (d: Date) => formatDay(d, lang),
    instant: (d: Date) => formatInstant(d, lang),
    ...data,
  }, status);
}

export function noticeOf(req: Request, t: ReturnType<typeof tOf>): string | null {
  const notice = req.query.notice;
  const serial = typeof req.query.serial === 'string' && SERIAL_PATTERN.test(req.query.serial) ? req.query.serial : '';
  if (notice === 'created') return t('created');
  if (notice === 'saved') return t('saved');
  if (notice === 'revoked') return t('revoked');
  if (notice === 'voided' && serial) return t('voided', { serial });
  return null;
}
