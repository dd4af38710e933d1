import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { invalidInput } from '../errors/app-error.js';
import { pickLang } from '../http/language.js';
import { renderPage } from '../http/views.js';
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

  router.get('/statistics', allow('statistics.read'), async (req, res) => {
    const province = provinceOf(req.query.province);
    const lang = pickLang(req);
    const t = messagesFor(lang);
    const snapshot = await snapshots.current();
    const sections = FIGURE_NAMES.map((name) => figureSection(snapshot, name, province, lang));
    const other = lang === 'vi' ? 'en' : 'vi';
    res.setHeader('Cache-Control', 'no-store');
    renderPage(req, res, 'dashboard/statistics', {
      title: t('title'),
      lang,
      t,
      meta: '<link rel="stylesheet" href="/static/dashboard.css">',
      sections,
      province,
      provinces: provinceList,
      scope: province ? (findProvince(province)?.name ?? province) : t('wholeCountry'),
      asOfText: t('asOf', { time: formatInstant(new Date(snapshot.computedAt), lang) }),
      computedIn: t('computedIn', { ms: snapshot.durationMs }),
      refreshEvery: t('refreshEvery', { minutes: Math.round(opts.refreshMs / 60_000) }),
      switchHref: `/statistics?${new URLSearchParams({ ...(province ? { province } : {}), lang: other }).toString()}`,
    });
  });

  router.get('/statistics/:figure.csv', allow('statistics.read'), async (req, res, next) => {
    const name = String(req.params.figure) as FigureName;
    if (!FIGURE_NAMES.includes(name)) return next(); // the page's 404
    const province = provinceOf(req.query.province);
    const lang = pickLang(req);
    const snapshot = await snapshots.current();
    const body = stringify(figureCsvRecords(snapshot, name, province, lang));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Last-Modified', new Date(snapshot.figures[name].asOf).toUTCString());
    res.setHeader('Content-Disposition', `attachment; filename="ocop-${name}${province ? `-${province}` : ''}.csv"`);
    // A byte-order mark: spreadsheet programs then read the Vietnamese names as UTF-8.
    res.type('text/csv; charset=utf-8').send(`\uFEFF${body}`);
  });

  return router;
}
