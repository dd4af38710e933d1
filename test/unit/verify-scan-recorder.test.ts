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
    const h = a.clientOf('203.0.113.7', 'Mozilla/5.0 (Android)').clientHash;
    expect(h).to.have.length(16);
    expect(a.clientOf('203.0.113.7', 'Mozilla/5.0 (Android)').clientHash).to.equal(h);
    expect(a.clientOf('203.0.113.8', 'Mozilla/5.0 (Android)').clientHash).not.to.equal(h);
    expect(b.clientOf('203.0.113.7', 'Mozilla/5.0 (Android)').clientHash).not.to.equal(h);
    expect(h).not.to.contain('203');
  });

  it('when one address sends two browsers, then they are two browsers of one network; one browser on two addresses stays one browser; an IPv6 phone keeps its network across its /64', () => {
    const r = new ScanRecorder({ flushMs: 60_000 });
    const android = r.clientOf('203.0.113.7', 'Mozilla/5.0 (Android)');
    const iphone = r.clientOf('203.0.113.7', 'Mozilla/5.0 (iPhone)');
    expect(iphone.browser).not.to.equal(android.browser);
    expect(iphone.network).to.equal(android.network);
    const moved = r.clientOf('198.51.100.9', 'Mozilla/5.0 (Android)');
    expect(moved.browser).to.equal(android.browser);
    expect(moved.network).not.to.equal(android.network);
    const v6a = r.clientOf('2001:db8:aa:bb:1111:2222:3333:4444', 'Mozilla/5.0 (Android)');
    const v6b = r.clientOf('2001:0db8:00aa:bb::9', 'Mozilla/5.0 (Android)');
    expect(v6b).to.deep.equal(v6a);
    expect(r.clientOf('2001:db8:aa:cc::9', 'Mozilla/5.0 (Android)').network).not.to.equal(v6a.network);
  });
});
