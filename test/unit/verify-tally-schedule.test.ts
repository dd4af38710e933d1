import { expect } from 'chai';
import { TallySchedule } from '../../src/verify/scans/tally-schedule.js';

describe('tally schedule (when an instance writes its scan tallies)', () => {
  it('when no other instance is heard, then a write is due once an interval', () => {
    let now = 10_000;
    const s = new TallySchedule(1000, () => now);
    expect(s.due()).to.equal(true);
    now += 400;
    expect(s.due()).to.equal(false);
    now += 600;
    expect(s.due()).to.equal(true);
  });

  it('when another instance writes at nearly the same moment, then the next write moves to half an interval after it, and stays', () => {
    let now = 10_000;
    const s = new TallySchedule(1000, () => now);
    s.due(); // next at 11,000
    s.heard(10_950); // theirs 50 ms before ours: too close
    now = 11_000;
    expect(s.due(), 'moved, not at 11,000').to.equal(false);
    now = 11_449;
    expect(s.due()).to.equal(false);
    now = 11_450;
    expect(s.due()).to.equal(true); // next at 12,450
    s.heard(11_950); // theirs, an interval on: half an interval away already
    now = 12_450;
    expect(s.due()).to.equal(true);
  });

  it('when another instance writes half an interval away, then nothing moves', () => {
    let now = 10_000;
    const s = new TallySchedule(1000, () => now);
    s.due(); // next at 11,000
    s.heard(10_400);
    s.heard(10_650);
    now = 11_000;
    expect(s.due()).to.equal(true);
  });
});
