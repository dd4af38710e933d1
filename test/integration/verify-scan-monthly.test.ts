import { expect } from 'chai';
import { monthOf, ScanMonthly, scanCountsOfMonths } from '../../src/verify/scans/scan-monthly.js';

/** Monthly scan counts kept by each process in a document of its own, on the real test database. */
describe('monthly scan counts', () => {
  // Scans are counted at the moment they are made; other tests scan this month too, so the test compares what it added.
  const time = new Date();
  const month = monthOf(time);
  const zero = (p: string) => ({ p, scans: 0, forged: 0, unknown: 0, clones: 0 });

  it('when two processes count scans and flush again, then the month holds the sum of both, each scan once', async () => {
    const before = (await scanCountsOfMonths([month])).get(month) ?? new Map();
    const added = async (p: string) => {
      const was = before.get(p) ?? zero(p);
      const now = (await scanCountsOfMonths([month])).get(month)?.get(p) ?? zero(p);
      return { p, scans: now.scans - was.scans, forged: now.forged - was.forged, unknown: now.unknown - was.unknown, clones: now.clones - was.clones };
    };
    const first = new ScanMonthly();
    const second = new ScanMonthly();
    first.add(time, 'genuine', { province: '01', clone: false });
    first.add(time, 'forged', { province: '01', clone: false });
    second.add(time, 'genuine', { province: '01', clone: true });
    second.add(time, 'unknown', { province: null, clone: false });
    await Promise.all([first.flush(), second.flush()]);
    first.add(time, 'genuine', { province: '79', clone: false });
    await first.flush();
    await first.flush(); // nothing new: nothing written twice

    expect(await added('01')).to.deep.equal({ p: '01', scans: 3, forged: 1, unknown: 0, clones: 1 });
    expect(await added('79')).to.deep.equal({ p: '79', scans: 1, forged: 0, unknown: 0, clones: 0 });
    expect(await added(''), 'a label of no known province').to.deep.equal({ p: '', scans: 1, forged: 0, unknown: 1, clones: 0 });
  });
});
