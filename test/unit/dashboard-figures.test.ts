import { expect } from 'chai';
import { buildSnapshot, countsOf, lastMonths, signalsByProvince } from '../../src/dashboard/dashboard-figures.js';
import { barChartSvg } from '../../src/dashboard/dashboard-chart.js';
import { figureCsvRecords } from '../../src/dashboard/dashboard.presenter.js';
import { monthOf } from '../../src/verify/scans/scan-monthly.js';

/** The statistics page's figures from plain rows, and its charts, without a database. */
describe('statistics figures', () => {
  const now = new Date('2026-12-02T07:00:00Z');
  const day = 86_400_000;
  const snapshot = () =>
    buildSnapshot(
      {
        now,
        registryAsOf: now,
        certified: [
          { productId: 'a', province: '01', group: 'food', kind: 'cooperative', stars: 4, validUntil: new Date(now.getTime() + 30 * day) },
          { productId: 'b', province: '01', group: 'food', kind: 'household', stars: 3, validUntil: new Date(now.getTime() + 400 * day) },
          { productId: 'c', province: '79', group: 'beverage', kind: 'enterprise', stars: 5, validUntil: new Date(now.getTime() + 91 * day) },
        ],
        decisions: [{ province: '01', year: 2024 }, { province: '01', year: 2026 }, { province: '79', year: 2026 }],
        labelsAsOf: now,
        labels: [{ producerId: 'p1', month: '2026-12', labels: 500 }, { producerId: 'p1', month: '2024-01', labels: 7 }],
        provinceOfProducer: new Map([['p1', '79']]),
        scansAsOf: now,
        scans: new Map([['2026-11', new Map([['', { p: '', scans: 4, forged: 3, unknown: 1, clones: 0 }], ['01', { p: '01', scans: 9, forged: 0, unknown: 0, clones: 2 }]])]]),
      },
      12,
    );

  it('when rows are counted, then each figure is kept per province and the whole country is their sum', () => {
    const s = snapshot();
    expect(countsOf(s.figures.stars, '01')).to.deep.equal({ 4: 1, 3: 1 });
    expect(countsOf(s.figures.stars, null)).to.deep.equal({ 4: 1, 3: 1, 5: 1 });
    expect(countsOf(s.figures.groups, null)).to.deep.equal({ food: 2, beverage: 1 });
    expect(countsOf(s.figures.years, null)).to.deep.equal({ 2024: 1, 2026: 2 });
    expect(countsOf(s.figures.expiring, null), 'only what expires within 90 days').to.deep.equal({ '2027-01': 1 });
    expect(countsOf(s.figures.labels, '79'), 'months outside the last 12 are left out').to.deep.equal({ '2026-12': 500 });
    expect(countsOf(s.figures.scans, null)).to.deep.equal({ '2026-11': 13 });
    expect(signalsByProvince(s.figures.signals, null)).to.deep.equal([
      { province: '', forged: 3, unknown: 1, clones: 0 },
      { province: '01', forged: 0, unknown: 0, clones: 2 },
    ]);
    expect(s.months).to.have.length(12);
    expect(s.months[0]).to.equal('2026-01');
    expect(s.expiringMonths).to.deep.equal(['2026-12', '2027-01', '2027-02', '2027-03']);
  });

  it('when a figure becomes CSV, then its rows carry the code, the label in the page language and the numbers, zeros included', () => {
    expect(figureCsvRecords(snapshot(), 'stars', '01', 'en')).to.deep.equal([
      ['Code', 'Stars', 'Products'],
      ['5', '5★', 0],
      ['4', '4★', 1],
      ['3', '3★', 1],
      ['2', '2★', 0],
      ['1', '1★', 0],
    ]);
    expect(figureCsvRecords(snapshot(), 'kinds', null, 'vi')[1]).to.deep.equal(['enterprise', 'Doanh nghiệp', 1]);
  });

  it('when a chart is drawn, then it is one image with a title and a description, its labels escaped and its numbers on the bars', () => {
    const svg = barChartSvg({ id: 'c', title: 'Số <b>', desc: 'd & e', rows: [{ label: '<script>', values: [1234] }], series: [{ name: 'n', className: 'bar' }], format: (n) => n.toLocaleString('vi-VN') });
    expect(svg).to.match(/^<svg class="chart" id="c" role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).to.contain('<title id="c-title">Số &lt;b&gt;</title>').and.to.contain('<desc id="c-desc">d &amp; e</desc>');
    expect(svg).to.contain('&lt;script&gt;').and.not.to.contain('<script>');
    expect(svg).to.contain('>1.234</text>');
    expect(svg).not.to.contain('style=');
  });

  it('when a moment is near midnight, then its month is the month in Vietnam (UTC+7)', () => {
    expect(monthOf(new Date('2026-11-30T16:59:59Z'))).to.equal('2026-11');
    expect(monthOf(new Date('2026-11-30T17:00:00Z'))).to.equal('2026-12');
    expect(lastMonths(new Date('2026-03-31T20:00:00Z'), 3)).to.deep.equal(['2026-02', '2026-03', '2026-04']);
  });
});
