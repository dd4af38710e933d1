import { escapeHtml } from '../templates.js';

/**
 * Horizontal bar charts as SVG markup, drawn on the server: readable without JavaScript,
 * no style attributes (colours come from classes in public/dashboard.css, so the strict
 * CSP holds). Each row puts its label on a line of its own above the bars, so long
 * Vietnamese names fit a 360 px phone; every bar carries its number at its end. The
 * chart is one image to assistive technology (role="img" with a title and a
 * description); the table beside it holds the same numbers.
 */
export type ChartRow = { label: string; values: number[] };
export type ChartSeries = { name: string; className: string };

const WIDTH = 300;
const NUMBER_ROOM = 56;
const LABEL_HEIGHT = 16;
const BAR_HEIGHT = 14;
const BAR_GAP = 3;
const ROW_GAP = 8;
const LEGEND_HEIGHT = 20;
const MAX_LABEL_CHARS = 44;

export function barChartSvg(opts: { id: string; title: string; desc: string; rows: readonly ChartRow[]; series: readonly ChartSeries[]; format: (n: number) => string }): string {
  const { id, rows, series } = opts;
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const room = WIDTH - NUMBER_ROOM;
  const rowHeight = LABEL_HEIGHT + series.length * (BAR_HEIGHT + BAR_GAP) + ROW_GAP;
  const top = series.length > 1 ? LEGEND_HEIGHT : 0;
  const height = top + rows.length * rowHeight;
  const parts: string[] = [];
  if (series.length > 1) {
    let x = 0;
    for (const s of series) {
      parts.push(`<rect class="${s.className}" x="${x}" y="3" width="10" height="10"/><text class="chart-legend" x="${x + 14}" y="12">${escapeHtml(s.name)}</text>`);
      x += 14 + Math.min(s.name.length, 20) * 6.2 + 12;
    }
  }
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    parts.push(`<text class="chart-label" x="0" y="${y + 12}">${escapeHtml(shorten(row.label))}</text>`);
    series.forEach((s, j) => {
      const value = row.values[j] ?? 0;
      const barY = y + LABEL_HEIGHT + j * (BAR_HEIGHT + BAR_GAP);
      const w = value > 0 ? Math.max(2, Math.round((value / max) * room)) : 0;
      parts.push(
        `<rect class="${s.className}" x="0" y="${barY}" width="${w}" height="${BAR_HEIGHT}"/>` +
          `<text class="chart-value" x="${w + 4}" y="${barY + 11}">${escapeHtml(opts.format(value))}</text>`,
      );
    });
  });
  return (
    `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${Math.max(height, 1)}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeHtml(opts.title)}</title><desc id="${id}-desc">${escapeHtml(opts.desc)}</desc>${parts.join('')}</svg>`
  );
}

function shorten(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}
