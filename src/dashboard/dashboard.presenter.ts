import { translator, type Lang } from '../i18n.js';
import { formatInstant } from '../display-dates.js';
import { findProvince } from '../reference/admin-units.js';
import { allGroupCodes, currentGroupCodes, findProductGroup, GROUP_LIST_VERSIONS } from '../reference/product-groups.js';
import { barChartSvg, type ChartSeries } from './dashboard-chart.js';
import { countsOf, signalsByProvince, type Counts, type FigureName, type Snapshot } from './dashboard-figures.js';
import { dashboardMessages } from './dashboard.messages.js';

/**
 * One figure as the page, the table and the CSV file show it: rows of a key (a star
 * rating, a group code, a province code, a month…), its label in the page's language
 * and one number per series. The chart, the table and the CSV are made from the same rows.
 */
export type FigureRow = { key: string; label: string; values: number[] };
export type FigureView = {
  name: FigureName;
  title: string;
  note: string;
  asOf: string;
  keyHeader: string;
  series: Array<ChartSeries & { header: string }>;
  rows: FigureRow[];
  totals: number[] | null;
};

const translators = { vi: translator(dashboardMessages, 'vi'), en: translator(dashboardMessages, 'en') };
type T = (typeof translators)['vi'];
const KINDS = ['enterprise', 'cooperative', 'cooperative_group', 'household'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const messagesFor = (lang: Lang) => translators[lang];
export const formatNumber = (n: number, lang: Lang) => n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB');

function monthLabel(month: string, lang: Lang): string {
  const [y, m] = month.split('-');
  return lang === 'vi' ? `${m}/${y}` : `${MONTHS_EN[Number(m) - 1]} ${y}`;
}

function provinceLabel(code: string, t: T): string {
  return code ? (findProvince(code)?.name ?? code) : t('unknownProvince');
}

function groupLabel(code: string, lang: Lang): string {
  for (const v of GROUP_LIST_VERSIONS) {
    const g = findProductGroup(v, code);
    if (g) return g[lang];
  }
  return code;
}

/** The listed keys first (zeros included), then any other key that has a count. */
function ordered(counts: Counts, listed: readonly string[]): string[] {
  return [...listed, ...Object.keys(counts).filter((k) => !listed.includes(k)).sort()];
}

const single = (name: string, header: string): FigureView['series'] => [{ name, header, className: 'bar' }];

export function figureView(snapshot: Snapshot, name: FigureName, province: string | null, lang: Lang): FigureView {
  const t = translators[lang];
  const figure = snapshot.figures[name];
  const base = { name, title: t(`fig.${name}`), asOf: figure.asOf };
  const counts = countsOf(figure, province);
  const rowsOf = (keys: string[], label: (k: string) => string): FigureRow[] => keys.map((k) => ({ key: k, label: label(k), values: [counts[k] ?? 0] }));
  const withTotal = (view: Omit<FigureView, 'totals'>): FigureView => ({ ...view, totals: [view.rows.reduce((s, r) => s + (r.values[0] ?? 0), 0)] });
  const products = single(t('col.products'), t('col.products'));

  switch (name) {
    case 'stars':
      return withTotal({ ...base, note: t('note.registry'), keyHeader: t('col.stars'), series: products, rows: rowsOf(['5', '4', '3', '2', '1'], (k) => `${k}★`) });
    case 'groups': {
      const listed = [...currentGroupCodes, ...allGroupCodes.filter((c) => !currentGroupCodes.includes(c) && (counts[c] ?? 0) > 0)];
      return withTotal({ ...base, note: t('note.registry'), keyHeader: t('col.group'), series: products, rows: rowsOf(ordered(counts, listed), (k) => groupLabel(k, lang)) });
    }
    case 'kinds':
      return withTotal({
        ...base,
        note: t('note.registry'),
        keyHeader: t('col.kind'),
        series: products,
        rows: rowsOf(ordered(counts, KINDS), (k) => (KINDS.includes(k) ? t(`kind.${k}` as 'kind.enterprise') : t('kind.unknown'))),
      });
    case 'provinces': {
      const keys = province !== null ? [province] : Object.keys(counts).sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || a.localeCompare(b));
      return withTotal({ ...base, note: t('note.registry'), keyHeader: t('col.province'), series: products, rows: rowsOf(keys, (k) => provinceLabel(k, t)) });
    }
    case 'years': {
      const years = Object.keys(countsOf(figure, null)).map(Number);
      const keys = years.length ? Array.from({ length: Math.max(...years) - Math.min(...years) + 1 }, (_, i) => String(Math.min(...years) + i)) : [];
      return withTotal({ ...base, note: t('note.years'), keyHeader: t('col.year'), series: single(t('col.certifications'), t('col.certifications')), rows: rowsOf(keys, (k) => k) });
    }
    case 'expiring':
      return withTotal({ ...base, note: t('note.expiring'), keyHeader: t('col.month'), series: products, rows: rowsOf(snapshot.expiringMonths, (k) => monthLabel(k, lang)) });
    case 'labels':
      return withTotal({ ...base, note: t('note.labels'), keyHeader: t('col.month'), series: single(t('col.labels'), t('col.labels')), rows: rowsOf(snapshot.months, (k) => monthLabel(k, lang)) });
    case 'scans':
      return withTotal({ ...base, note: t('note.scans'), keyHeader: t('col.month'), series: single(t('col.scans'), t('col.scans')), rows: rowsOf(snapshot.months, (k) => monthLabel(k, lang)) });
    case 'signals': {
      const rows = signalsByProvince(figure, province).map((r) => ({ key: r.province, label: provinceLabel(r.province, t), values: [r.forged, r.unknown, r.clones] }));
      return {
        ...base,
        note: t('note.signals'),
        keyHeader: t('col.province'),
        series: [
          { name: t('col.forged'), header: t('col.forged'), className: 'bar bar-forged' },
          { name: t('col.unknown'), header: t('col.unknown'), className: 'bar bar-unknown' },
          { name: t('col.clones'), header: t('col.clones'), className: 'bar bar-clones' },
        ],
        rows,
        totals: [0, 1, 2].map((i) => rows.reduce((s, r) => s + (r.values[i] ?? 0), 0)),
      };
    }
  }
}

/** The page's view of one figure: its rows, its chart and its CSV link. */
export function figureSection(snapshot: Snapshot, name: FigureName, province: string | null, lang: Lang) {
  const t = translators[lang];
  const view = figureView(snapshot, name, province, lang);
  const format = (n: number) => formatNumber(n, lang);
  const csvHref = `/statistics/${name}.csv?${new URLSearchParams({ ...(province ? { province } : {}), lang }).toString()}`;
  return {
    ...view,
    asOfText: t('asOf', { time: formatInstant(new Date(view.asOf), lang) }),
    chart: view.rows.length ? barChartSvg({ id: `chart-${name}`, title: view.title, desc: `${view.note} ${t('chartDesc')}`, rows: view.rows, series: view.series, format }) : '',
    csvHref,
    format,
  };
}

/** The figure as CSV records: a header row, then one row per key (code, label, numbers). */
export function figureCsvRecords(snapshot: Snapshot, name: FigureName, province: string | null, lang: Lang): Array<Array<string | number>> {
  const t = translators[lang];
  const view = figureView(snapshot, name, province, lang);
  return [[t('col.code'), view.keyHeader, ...view.series.map((s) => s.header)], ...view.rows.map((r) => [r.key, r.label, ...r.values])];
}
