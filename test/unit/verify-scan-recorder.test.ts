import { expect } from 'chai';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';

describe('scan recorder (no database)', () => {
  const scan = (serial: string) => ({ serial, time: new Date(), place: null, clientHash: 'h', verdict: 'genuine' as const });

  it('when the buffer is full, then further scans are dropped and counted instead of growing memory', async () => {
    const recorder = new ScanRecorder({ flushMs: 60_000, maxBuffered: 3, available: () => false });
    for (let i = 0; i < 5; i += 1) recorder.record(scan(`S${i}`));
    expect(recorder.stats).to.include({ recorded: 5, buffered: 3, dropped: 2 });
    await recorder.flush(); // database unavailable: nothing is lost from the buffer
    expect(recorder.stats.buffered).to.equal(3);
    await recorder.stop().catch(() => undefined);
  });

  it('when the same phone scans twice, then its hash is the same; another phone or another process gets another hash', () => {
    const a = new ScanRecorder({ flushMs: 60_000 });
    const b = new ScanRecorder({ flushMs: 60_000 });
    const h = a.clientHash('203.0.113.7', 'Mozilla/5.0 (Android)');
    expect(h).to.have.length(16);
    expect(a.clientHash('203.0.113.7', 'Mozilla/5.0 (Android)')).to.equal(h);
    expect(a.clientHash('203.0.113.8', 'Mozilla/5.0 (Android)')).not.to.equal(h);
    expect(b.clientHash('203.0.113.7', 'Mozilla/5.0 (Android)')).not.to.equal(h);
    expect(h).not.to.contain('203');
  });
});
