import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';
import { Eta } from 'eta';
import { layoutMessages, pickLang, translator, type Lang } from './i18n.js';

const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'views');

// autoEscape: every <%= %> is HTML-escaped; raw output (<%~ %>) is only for trusted markup.
const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: false });

export type PageData = Record<string, unknown> & { title: string };

/** Renders views/<view>.eta inside views/layout.eta for the request's language. */
export function renderPage(req: Request, res: Response, view: string, data: PageData, status = 200): void {
  // A page that already picked the language passes it: the negotiation runs once.
  const lang: Lang = data.lang === 'vi' || data.lang === 'en' ? data.lang : pickLang(req);
  const otherLang: Lang = lang === 'vi' ? 'en' : 'vi';
  const html = eta.render(view, {
    ...data,
    lang,
    otherLang,
    layoutT: translator(layoutMessages, lang),
    // The language switch keeps the page's path (a page may pass its own, e.g. to keep its query); a plain link, no script.
    switchHref: typeof data.switchHref === 'string' ? data.switchHref : `${req.path}?lang=${otherLang}`,
  });
  res.status(status).type('html').send(html);
}

/**
 * Renders a partial (no layout) to a string, escaped like a page, so a feature can keep
 * markup that many pages share and insert it raw (<%~ %>) later.
 */
export function renderFragment(view: string, data: Record<string, unknown>): string {
  return eta.render(view, data);
}
