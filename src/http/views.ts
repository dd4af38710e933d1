import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';
import { Eta } from 'eta';
import { layoutMessages, pickLang, translator, type Lang } from './i18n.js';

const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'views');

// autoEscape: every <%= %> is HTML-escaped; raw output (<%~ %>) is only for trusted markup.
const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: false });

export type PageData = Record<string, unknown> & { title: string };

/** The escaping every template applies to <%= %>, for text a caller inserts itself. */
export function escapeHtml(text: string): string {
  return eta.config.escapeFunction(text);
}

/**
 * Renders views/<view>.eta inside views/layout.eta to a string. `switchHref` is the
 * language switch's link (a plain link, no script).
 */
export function pageHtml(view: string, data: PageData & { lang: Lang; switchHref: string }): string {
  const otherLang: Lang = data.lang === 'vi' ? 'en' : 'vi';
  return eta.render(view, { ...data, otherLang, layoutT: translator(layoutMessages, data.lang) });
}

/** Renders views/<view>.eta inside views/layout.eta for the request's language. */
export function renderPage(req: Request, res: Response, view: string, data: PageData, status = 200): void {
  // A page that already picked the language passes it: the negotiation runs once.
  const lang: Lang = data.lang === 'vi' || data.lang === 'en' ? data.lang : pickLang(req);
  // The switch keeps the page's path (a page may pass its own, e.g. to keep its query).
  const switchHref = typeof data.switchHref === 'string' ? data.switchHref : `${req.path}?lang=${lang === 'vi' ? 'en' : 'vi'}`;
  res.status(status).type('html').send(pageHtml(view, { ...data, lang, switchHref }));
}

/** Sends an HTML page already encoded: no re-encoding of a large string per request. */
export function sendHtml(res: Response, body: Buffer, status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/**
 * Renders a partial (no layout) to a string, escaped like a page, so a feature can keep
 * markup that many pages share and insert it raw (<%~ %>) later.
 */
export function renderFragment(view: string, data: Record<string, unknown>): string {
  return eta.render(view, data);
}
