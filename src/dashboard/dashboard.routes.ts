import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { SAFE_CSV_CAST } from '../spreadsheet-cells.js';
import { invalidInput } from '../errors/app-error.js';
import { BoundedMap } from '../bounded-map.js';
import { keepLangChoice, pickLang } from '../http/language.js';
import { sendHtml } from '../http/views.js';
import { escapeHtml, pageHtml } from '../templates.js';
import { allow } from '../policy/principal-of-request.js';
import { findProvince, provinces } from '../reference/admin-units.js';
import { FIGURE_NAMES, type FigureName } from './dashboard-figures.js';
import { figureCsvRecords, figureSection, messagesFor } from './dashboard.presenter.js';
import type { DashboardSnapshots } from './dashboard.service.js';
import { formatInstant } from '../display-dates.js';

const provinceList = provinces.map((p) => ({ code: p.code, name: p.name }));

/** ?province=: absent or empty for the whole country, else a 2025 province code. */
function provinceOf(value: unknown): string | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !findProvince(value)) {
    throw invalidInput([{ path: 'province', message: 'must be a 2-digit province code of the 2025 units (see /api/v1/admin-units)' }]);
  }
  return value;
}

/**
 * The public statistics page (/statistics) and each figure's numbers as CSV
 * (/statistics/<figure>.csv), for the whole country or one province. Served from the
 * snapshot in memory (dashboard.service.ts): no figure is counted per request.
 */
export function dashboardRouter(snapshots: DashboardSnapshots, opts: { refreshMs: number }): Router {
  const router = Router();
  /** Two languages × (the country + 34 provinces) of a snapshot, and room for the one before. */
  const pages = new BoundedMap<string, Buffer>(160);

  router.get('/statistics', allow('statistics.read'), async (req, res) => {
    const province = provinceOf(req.query.province);
    const lang = pickLang(req);
    const t = messagesFor(lang);
    const snapshot = await snapshots.current();
    // The page changes only with the snapshot: each province and language is rendered once per snapshot.
    const body = pages.remember(`${snapshot.computedAt}|${province ?? ''}|${lang}`, () => {
      const other = lang === 'vi' ? 'en' : 'vi';
      return Buffer.from(
        pageHtml('dashboard/statistics', {
          title: t('title'),
          lang,
          t,
          // The page's own description for search engines and link previews (the layout's is the site's tagline).
          meta: `<meta name="description" content="${escapeHtml(t('intro'))}">`,
          styles: ['/static/dashboard.css'],
          sections: FIGURE_NAMES.map((name) => figureSection(snapshot, name, province, lang)),
          province,
          provinces: provinceList,
          scope: province ? (findProvince(province)?.name ?? province) : t('wholeCountry'),
          asOfText: t('asOf', { time: formatInstant(new Date(snapshot.computedAt), lang) }),
          computedIn: t('computedIn', { ms: snapshot.durationMs }),
          refreshEvery: t('refreshEvery', { minutes: Math.round(opts.refreshMs / 60_000) }),
          switchHref: `/statistics?${new URLSearchParams({ ...(province ? { province } : {}), lang: other }).toString()}`,
        }),
      );
    });
    keepLangChoice(req, res);
    res.setHeader('Cache-Control', 'no-store');
    sendHtml(res, body);
  });

  router.get('/statistics/:figure.csv', allow('statistics.read'), async (req, res, next) => {
    const name = String(req.params.figure) as FigureName;
    if (!FIGURE_NAMES.includes(name)) return next(); // the page's 404
    const province = provinceOf(req.query.province);
    const lang = pickLang(req);
    const snapshot = await snapshots.current();
    const body = stringify(figureCsvRecords(snapshot, name, province, lang), { cast: SAFE_CSV_CAST });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Last-Modified', new Date(snapshot.figures[name].asOf).toUTCString());
    res.setHeader('Content-Disposition', `attachment; filename="ocop-${name}${province ? `-${province}` : ''}.csv"`);
    // A byte-order mark: spreadsheet programs then read the Vietnamese names as UTF-8.
    res.type('text/csv; charset=utf-8').send(`\uFEFF${body}`);
  });

  return router;
}
