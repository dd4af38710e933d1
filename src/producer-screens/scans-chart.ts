import { escapeHtml } from '../templates.js';

/**
 * Scans per day or per month as a column chart in SVG, drawn on the server (readable
 * without JavaScript; colours from classes in public/dashboard.css, so the strict CSP
 * holds). One column per period, its flagged part (forged, unknown or clone-warned
 * scans) drawn over its foot; the highest count and the first and last period are written on the
 * axes. The chart is one image to assistive technology (role="img", a title and a
 * description); the table beside it holds every number.
 */
export type PeriodColumn = { period: string; scans: number; flagged: number };

const WIDTH = 300;
const PLOT_TOP = 16;
const PLOT_HEIGHT = 110;
const AXIS_ROOM = 18;
const LEGEND_ROOM = 34;

export function columnsSvg(opts: { id: string; title: string; desc: string; columns: readonly PeriodColumn[]; legend: { scans: string; flagged: string }; periodLabel: (period: string) => string }): string {
  const { id, columns } = opts;
  const max = Math.max(1, ...columns.map((c) => c.scans));
  const step = WIDTH / Math.max(1, columns.length);
  const barWidth = Math.max(1, step * 0.8);
  const base = LEGEND_ROOM + PLOT_TOP + PLOT_HEIGHT;
  const h = (n: number) => (n > 0 ? Math.max(1.5, (n / max) * PLOT_HEIGHT) : 0);
  const parts: string[] = [
    `<rect class="bar" x="0" y="3" width="10" height="10"/><text class="chart-legend" x="14" y="12">${escapeHtml(opts.legend.scans)}</text>`,
    // Each legend entry on a line of its own: long Vietnamese words fit a 360 px phone.
    `<rect class="bar-forged" x="0" y="19" width="10" height="10"/><text class="chart-legend" x="14" y="28">${escapeHtml(opts.legend.flagged)}</text>`,
    `<text class="chart-value" x="0" y="${LEGEND_ROOM + 12}">${max}</text>`,
    `<line class="chart-axis" x1="0" y1="${base}" x2="${WIDTH}" y2="${base}"/>`,
  ];
  columns.forEach((c, i) => {
    const x = (i * step + (step - barWidth) / 2).toFixed(2);
    const total = h(c.scans);
    if (total > 0) parts.push(`<rect class="bar" x="${x}" y="${(base - total).toFixed(2)}" width="${barWidth.toFixed(2)}" height="${total.toFixed(2)}"/>`);
    const flagged = Math.min(total, h(c.flagged));
    if (flagged > 0) parts.push(`<rect class="bar-forged" x="${x}" y="${(base - flagged).toFixed(2)}" width="${barWidth.toFixed(2)}" height="${flagged.toFixed(2)}"/>`);
  });
  const first = columns[0];
  const last = columns[columns.length - 1];
  if (first) parts.push(`<text class="chart-label" x="0" y="${base + 14}">${escapeHtml(opts.periodLabel(first.period))}</text>`);
  if (last && last !== first) parts.push(`<text class="chart-label" x="${WIDTH}" y="${base + 14}" text-anchor="end">${escapeHtml(opts.periodLabel(last.period))}</text>`);
  const height = base + AXIS_ROOM;
  return (
    `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeHtml(opts.title)}</title><desc id="${id}-desc">${escapeHtml(opts.desc)}</desc>${parts.join('')}</svg>`
  );
}
