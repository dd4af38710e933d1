/**
 * When this instance writes its labels' tallies: once every `everyMs`, and away from the
 * other instances' writes. Two instances that write the same labels at the same moment
 * both try the same next version; one loses each label and must read, merge and write
 * again (scan-tallies.ts), and FerretDB makes a bulk insert that meets a duplicate costly.
 * So each instance hears the others' announcements (the time each was written) and, when
 * its own next write would fall within a quarter interval of one, moves it to half an
 * interval after it: two instances settle half an interval apart, and each reads the
 * other's announcement before its own write (scan-recorder.ts catches up first).
 *
 * A move only ever delays a write, by less than one interval, and only when a write is
 * near another instance's, so figures still reach the others within two intervals.
 */
export class TallySchedule {
  private nextAt = 0;

  constructor(
    private readonly everyMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether a write is due now; when it is, the next one is an interval later. */
  due(): boolean {
    const now = this.clock();
    if (now < this.nextAt) return false;
    this.nextAt = now + this.everyMs;
    return true;
  }

  /** Another instance announced tallies written at `at` (ms). */
  heard(at: number): void {
    const phase = mod(this.nextAt - at, this.everyMs); // how long after theirs ours comes, within one interval
    if (phase > this.everyMs / 4 && phase < (this.everyMs * 3) / 4) return; // far enough apart
    let target = at + this.everyMs / 2;
    while (target < this.nextAt) target += this.everyMs;
    this.nextAt = target;
  }
}

const mod = (a: number, n: number) => ((a % n) + n) % n;
