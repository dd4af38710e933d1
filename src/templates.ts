import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { layoutMessages, translator, type Lang } from './i18n.js';

const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'views');

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

/**
 * Renders a partial (no layout) to a string, escaped like a page, so a feature can keep
 * markup that many pages share and insert it raw (<%~ %>) later.
 */
export function renderFragment(view: string, data: Record<string, unknown>): string {
  return eta.render(view, data);
}
