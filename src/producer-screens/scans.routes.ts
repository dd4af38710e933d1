import { Router, type Request } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { AccountWeb } from '../accounts/login.routes.js';
import { loginInsteadOf401, showScreen } from '../accounts/login.routes.js';
import { barChartSvg } from '../dashboard/dashboard-chart.js';
import { pickLang } from '../http/language.js';
import { translator, type Lang } from '../i18n.js';
import { ID_PATTERN } from '../ids.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { placeName } from '../reference/admin-units.js';
import { columnsSvg } from './scans-chart.js';
import type { ScanCount } from './scans-figures.js';
import { scansMessages, type ScansMessageKey } from './scans.messages.js';
import { DAY_WINDOWS, producerScans, SCANS_READ, type DayWindow, type ProducerScans } from './scans.service.js';

/**
 * /producer/scans: the scans of the producer's own labels as charts drawn on the
 * server (SVG), the same numbers as tables, and each table as a CSV download
 * (/producer/scans/{days|months|places|products}.csv, same period and product).
 */

const translators = { vi: translator(scansMessages, 'vi'), en: translator(scansMessages, 'en') };
const TABLES = ['days', 'months', 'places', 'products'] as const;
type Table = (typeof TABLES)[number];
/** Communes drawn in the chart; the table lists them all. */
const PLACES_DRAWN = 10;

function optionsOf(req: Request): { window: DayWindow; productId: string | null; producerId: string | null } {
  const q = req.query as Record<string, unknown>;
  const days = Number(q.days);
  const window: DayWindow = (DAY_WINDOWS as readonly number[]).includes(days) ? (days as DayWindow) : 30;
  const productId = typeof q.product === 'string' && ID_PATTERN.test(q.product) ? q.product : null;
  // An admin names the producer (a producer account's own needs no name).
  const producerId = typeof q.producer === 'string' && ID_PATTERN.test(q.producer) ? q.producer : null;
  return { window, productId, producerId };
}

const dayText = (day: string, lang: Lang) => (lang === 'vi' ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : day);
const monthText = (month: string, lang: Lang) => (lang === 'vi' ? `${month.slice(5, 7)}/${month.slice(0, 4)}` : month);

export function producerScansRouter(web: AccountWeb): Router {
  const router = Router();

  router.get('/producer/scans', allow('producer_scans.read'), async (req, res) => {
    const lang = pickLang(req);
    const t = translators[lang];
    const opts = optionsOf(req);
    const figures = await producerScans(actorOf(req), opts);
    const query = (extra: Record<string, string> = {}) =>
      new URLSearchParams({ days: String(opts.window), ...(opts.productId ? { product: opts.productId } : {}), ...(opts.producerId ? { producer: opts.producerId } : {}), lang, ...extra }).toString();
    const flagged = (c: ScanCount) => c.forged + c.unknown + c.clones;
    const drawnPlaces = figures.places.filter((p) => p.commune !== null).slice(0, PLACES_DRAWN);
    showScreen(web, req, res, 'producer/scans', {
      title: t('title'),
      t,
      styles: ['/static/dashboard.css'],
      switchHref: `/producer/scans?${query({ lang: lang === 'vi' ? 'en' : 'vi' })}`,
      windows: DAY_WINDOWS,
      window: opts.window,
      productId: opts.productId,
      products: figures.allProducts,
      totals: t('totals', { days: opts.window, scans: figures.total.scans, forged: figures.total.forged, unknown: figures.total.unknown, clones: figures.total.clones }),
      truncated: figures.truncated ? t('truncated', { limit: SCANS_READ.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB') }) : null,
      dayChart: columnsSvg({
        id: 'chart-days',
        title: t('perDay'),
        desc: t('perDayDesc', { days: opts.window }),
        columns: figures.days.map((d) => ({ period: d.day, scans: d.scans, flagged: flagged(d) })),
        legend: { scans: t('scans'), flagged: t('flagged') },
        periodLabel: (d) => dayText(d, lang),
      }),
      monthChart: columnsSvg({
        id: 'chart-months',
        title: t('perMonth'),
        desc: t('perMonthDesc'),
        columns: figures.months.map((m) => ({ period: m.month, scans: m.scans, flagged: flagged(m) })),
        legend: { scans: t('scans'), flagged: t('flagged') },
        periodLabel: (m) => monthText(m, lang),
      }),
      placeChart: drawnPlaces.length
        ? barChartSvg({
            id: 'chart-places',
            title: t('where'),
            desc: t('whereDesc', { days: opts.window }),
            rows: drawnPlaces.map((p) => ({ label: placeName(p.commune ?? '') ?? p.commune ?? '', values: [p.scans] })),
            series: [{ name: t('scans'), className: 'bar' }],
            format: (n) => n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB'),
          })
        : null,
      days: [...figures.days].reverse().map((d) => ({ ...d, label: dayText(d.day, lang) })),
      months: [...figures.months].reverse().map((m) => ({ ...m, label: monthText(m.month, lang) })),
      places: figures.places.map((p) => ({ ...p, label: p.commune ? (placeName(p.commune) ?? p.commune) : t('notShared') })),
      productRows: figures.products,
      total: figures.total,
      csvHref: (table: Table) => `/producer/scans/${table}.csv?${query()}`,
    });
  });

  router.get('/producer/scans/:table.csv', allow('producer_scans.read'), async (req, res, next) => {
    const table = String(req.params.table) as Table;
    if (!TABLES.includes(table)) return next(); // the page's 404
    const lang = pickLang(req);
    const t = translators[lang];
    const opts = optionsOf(req);
    const figures = await producerScans(actorOf(req), opts);
    const body = stringify(csvRecords(figures, table, t));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="ocop-scans-${table}-${opts.window}d.csv"`);
    // A byte-order mark: spreadsheet programs then read the Vietnamese names as UTF-8.
    res.type('text/csv; charset=utf-8').send(`\uFEFF${body}`);
  });

  router.use(loginInsteadOf401(web));
  return router;
}

const COUNT_COLUMNS = (t: (k: ScansMessageKey) => string) => [t('scans'), t('forged'), t('unknown'), t('clones')];
const counts = (c: ScanCount) => [c.scans, c.forged, c.unknown, c.clones];

/** A table as CSV rows, the header in the page's language; dates as ISO (YYYY-MM-DD, YYYY-MM) and codes as stored. */
function csvRecords(f: ProducerScans, table: Table, t: (k: ScansMessageKey) => string): (string | number)[][] {
  switch (table) {
    case 'days':
      return [[t('day'), ...COUNT_COLUMNS(t)], ...f.days.map((d) => [d.day, ...counts(d)])];
    case 'months':
      return [[t('month'), ...COUNT_COLUMNS(t)], ...f.months.map((m) => [m.month, ...counts(m)])];
    case 'places':
      return [['commune_code', t('commune'), ...COUNT_COLUMNS(t)], ...f.places.map((p) => [p.commune ?? '', p.commune ? (placeName(p.commune) ?? '') : t('notShared'), ...counts(p)])];
    case 'products':
      return [['product_id', t('product'), t('gtin'), ...COUNT_COLUMNS(t)], ...f.products.map((p) => [p.product, p.name, p.gtin ?? '', ...counts(p)])];
  }
}
