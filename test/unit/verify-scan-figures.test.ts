import { expect } from 'chai';
import { addScan, copyFigures, mergeInto, noScans, scanFigures, type ScanEntry } from '../../src/verify/scans/scan-figures.js';
import { CLONE_MAX_EVER, CLONE_MAX_PER_WINDOW, CLONE_MAX_PLACES, cloneSuspected } from '../../src/verify/verdict.js';

const now = new Date('2026-06-02T12:00:00Z');
const HOUR = 3600_000;
const scan = (browser: string, network: string, hoursAgo = 0, place: string | null = null): ScanEntry => ({ time: now.getTime() - hoursAgo * HOUR, browser, network, place });
const figuresOf = (scans: ScanEntry[]) => {
  const f = noScans();
  for (const s of scans) addScan(f, s);
  return f;
};

describe('scan figures', () => {
  it('when scans are added, then the total grows and distinct clients count only within the last 24 hours', () => {
    const f = figuresOf([scan('old', 'n0', 25), scan('a', 'n1'), scan('b', 'n2'), scan('a', 'n1')]);
    expect(scanFigures(f, now)).to.deep.equal({ total: 4, browsersInWindow: 2, networksInWindow: 2, browsersEver: 3, networksEver: 3, places: 0 });
    expect(f.firstAt?.getTime()).to.equal(now.getTime() - 25 * HOUR);
  });

  it('when one phone scans a label a thousand times, then it stays one client and raises no clone suspicion', () => {
    const f = figuresOf(Array.from({ length: 1000 }, (_, i) => scan('phone', 'home', i / 100, i % 2 ? '00004' : '00007')));
    const figures = scanFigures(f, now);
    expect(figures).to.include({ total: 1000, browsersInWindow: 1, browsersEver: 1, places: 1 });
    expect(cloneSuspected(figures)).to.equal(false);
  });

  it('when one address cycles browser names, or one phone changes address every scan, then there is no clone suspicion', () => {
    const browsers = figuresOf(Array.from({ length: 50 }, (_, i) => scan(`browser-${i}`, 'one-address')));
    expect(scanFigures(browsers, now).browsersInWindow).to.be.greaterThan(CLONE_MAX_PER_WINDOW);
    expect(cloneSuspected(scanFigures(browsers, now))).to.equal(false);
    const addresses = figuresOf(Array.from({ length: 50 }, (_, i) => scan('one-phone', `carrier-${i}`, i)));
    expect(scanFigures(addresses, now).networksInWindow).to.be.greaterThan(CLONE_MAX_PER_WINDOW);
    expect(cloneSuspected(scanFigures(addresses, now))).to.equal(false);
  });

  it('when many phones on their own networks scan within a day, then suspicion holds and the counts stop a little past the threshold', () => {
    const f = figuresOf(Array.from({ length: 40 }, (_, i) => scan(`phone-${i}`, `net-${i}`)));
    const figures = scanFigures(f, now);
    expect(figures.browsersInWindow).to.be.greaterThan(CLONE_MAX_PER_WINDOW).and.lessThan(40);
    expect(cloneSuspected(figures)).to.equal(true);
    const justUnder = figuresOf(Array.from({ length: CLONE_MAX_PER_WINDOW }, (_, i) => scan(`phone-${i}`, `net-${i}`)));
    expect(cloneSuspected(scanFigures(justUnder, now))).to.equal(false);
  });

  it('when phones scan over months, then more than the lifetime threshold is suspicious even if no day had many', () => {
    const f = figuresOf(Array.from({ length: CLONE_MAX_EVER + 1 }, (_, i) => scan(`phone-${i}`, `net-${i}`, i * 48)));
    expect(scanFigures(f, now).browsersInWindow).to.be.lessThanOrEqual(1);
    expect(cloneSuspected(scanFigures(f, now))).to.equal(true);
    const fewer = figuresOf(Array.from({ length: CLONE_MAX_EVER }, (_, i) => scan(`phone-${i}`, `net-${i}`, i * 48)));
    expect(cloneSuspected(scanFigures(fewer, now))).to.equal(false);
  });

  it('when places are named, then each network counts for one place only', () => {
    const oneNetwork = figuresOf(['00004', '00007', '00010', '00013', '00016'].map((p, i) => scan(`c${i}`, 'n', 0, p)));
    expect(scanFigures(oneNetwork, now).places).to.equal(1);
    const spread = figuresOf(['00004', '00007', '00010', '00013', '00016'].map((p, i) => scan(`c${i}`, `n${i}`, 0, p)));
    const atThreshold = ['00004', '00007', '00010', '00013'].slice(0, CLONE_MAX_PLACES).map((p, i) => scan(`c${i}`, `n${i}`, 0, p));
    expect(cloneSuspected(scanFigures(figuresOf(atThreshold), now)), 'at the threshold').to.equal(false);
    expect(scanFigures(spread, now).places).to.equal(5);
    expect(cloneSuspected(scanFigures(spread, now))).to.equal(true);
  });

  it('when scans are split into deltas and merged in any order, then the figures equal adding them one by one', () => {
    const scans = Array.from({ length: 400 }, (_, i) => scan(`c${(i * 7) % 31}`, `n${i % 5}`, (i * 13) % 60, i % 9 === 0 ? `000${10 + (i % 6)}` : null));
    const direct = scanFigures(figuresOf(scans), now);
    for (const size of [1, 3, 50, 399]) {
      const deltas: ReturnType<typeof noScans>[] = [];
      for (let i = 0; i < scans.length; i += size) deltas.push(figuresOf(scans.slice(i, i + size)));
      const forward = noScans();
      for (const d of deltas) mergeInto(forward, d);
      const backward = noScans();
      for (const d of [...deltas].reverse()) mergeInto(backward, copyFigures(d));
      expect(scanFigures(forward, now), `deltas of ${size}`).to.deep.equal(direct);
      expect(scanFigures(backward, now), `deltas of ${size}, reversed`).to.deep.equal(direct);
      expect(forward.firstAt).to.deep.equal(figuresOf(scans).firstAt);
    }
  });

  it('when a label is scanned a million times, then its stored figures stay the same small size', () => {
    const f = noScans();
    for (let i = 0; i < 1_000_000; i += 1) addScan(f, scan(`c${i % 997}`, `n${i % 13}`, (i % 1000) / 10, i % 101 === 0 ? `p${i % 7}` : null));
    expect(f.total).to.equal(1_000_000);
    expect(JSON.stringify(f).length).to.be.lessThan(2000);
  });
});
