import { expect } from 'chai';
import { ScanTallies } from '../../src/verify/scans/scan-tallies.js';
import { ScanTallyModel } from '../../src/verify/scans/scan-tally.model.js';
import { newId } from '../../src/ids.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { backfillScanTallies } from '../../src/verify/scans/scan-tally-backfill.js';
import { TallyNews } from '../../src/verify/scans/scan-tally-news.js';
import { recordChange } from '../../src/changes/changes.service.js';

/** Scan figures kept per label as insert-only versions, on the real test database. */
describe('scan tallies', () => {
  const scan = (browser: string, network = `net-${browser}`) => ({ time: Date.now(), browser, network, place: null });
  const instance = (over: Partial<ConstructorParameters<typeof ScanTallies>[0]> = {}) =>
    new ScanTallies({ ttlMs: 60_000, maxEntries: 100, available: () => true, ...over });
  const serial = () => `T${newId()}`;

  it('when a known label is stale, then its figures are answered at once and a refresh brings in another instance’s scans', async () => {
    let now = 0;
    const s = serial();
    const reader = instance({ ttlMs: 1000, clock: () => now });
    const writer = instance();
    expect(await reader.lookup(s)).to.include({ version: 0, total: 0 });

    writer.add(s, scan('a'));
    writer.add(s, scan('b'));
    await writer.flush();

    now = 5000; // stale
    const stale = reader.lookup(s);
    expect(stale, 'a stale tally is answered without waiting').not.to.be.instanceOf(Promise);
    expect(stale).to.include({ total: 0 });
    await reader.idle(); // the one refresh it started
    expect(reader.view(s)).to.include({ total: 2 });
    expect(reader.lookup(s)).to.include({ version: 1, total: 2 });
  });

  it('when another instance announces the versions it wrote, then a holder takes their figures from its news with no read per label, and without news reads that one version on the next scan', async () => {
    const [s1, s2] = [serial(), serial()];
    const reader = instance();
    const writer = instance();
    await Promise.all([reader.lookup(s1), reader.lookup(s2)]);
    const announce = async (news: boolean) => {
      const written = writer.takeWritten();
      const id = news ? await new TallyNews().publish(written) : '';
      // tellHere: this process's listeners hear it as another instance's would, from the feed.
      await recordChange({ kind: 'tallies', id, ids: written.map(([x]) => x), versions: written.map(([, t]) => t.version) });
      await reader.idle();
    };

    for (const x of [s1, s2]) writer.add(x, scan('a'));
    await writer.flush();
    await announce(true);
    expect(reader.view(s1)).to.include({ total: 1 });
    expect(reader.view(s2)).to.include({ total: 1 });
    expect(reader.stats).to.include({ newsTaken: 1, versionsRead: 0 });

    writer.add(s1, scan('b'));
    await writer.flush();
    await announce(false);
    expect(reader.view(s1), 'marked behind, not read yet').to.include({ total: 1 });
    expect(reader.lookup(s1), 'the scan is answered with what is held').to.include({ version: 1 });
    await reader.idle();
    expect(reader.view(s1)).to.include({ total: 2 });
    expect(reader.stats).to.include({ newsTaken: 1, newsMissed: 0, versionsRead: 1 });
  });

  it('when a label has many versions, then a fresh reader finds the newest by _id lookups from the head', async () => {
    const s = serial();
    const writer = instance();
    for (let i = 0; i < 37; i += 1) {
      writer.add(s, scan(`c${i % 3}`));
      await writer.flush();
    }
    expect(await ScanTallyModel.countDocuments({ serial: s })).to.equal(37 + 1); // 37 versions and the head
    const head = await ScanTallyModel.findById(s).lean();
    expect(head?.version).to.equal(36);
    expect(await instance().lookup(s)).to.include({ version: 37, total: 37 });
  });

  it('when the database is unavailable, then scans wait as one small delta per label and are written when it is back', async () => {
    const s = serial();
    let up = true;
    const t = instance({ available: () => up });
    await t.lookup(s);
    up = false;
    for (let i = 0; i < 500; i += 1) t.add(s, scan(`c${i % 4}`, 'net'));
    await t.flush();
    expect(t.stats).to.include({ pendingLabels: 1, versionsWritten: 0 });
    expect(t.view(s)?.total, 'shown at once').to.equal(500);
    up = true;
    await t.flush();
    expect(t.stats).to.include({ pendingLabels: 0, unconfirmedLabels: 0, versionsWritten: 1 });
    expect(await instance().lookup(s)).to.include({ version: 1, total: 500 });
  });

  it('when more labels wait than the bound, then further scans are dropped and counted, not kept', () => {
    const t = instance({ available: () => false, maxPendingLabels: 3 });
    for (let i = 0; i < 5; i += 1) t.add(serial(), scan('a'));
    expect(t.stats).to.include({ pendingLabels: 3, droppedScans: 2 });
  });

  it('when scans were logged before tallies existed, then the upgrade carries each label’s count and first scan over, and a second run counts nothing twice', async () => {
    const s = serial();
    const first = new Date('2026-03-04T05:06:07Z');
    await ScanModel.insertMany([0, 1, 2].map((i) => ({ _id: newId() + newId(), serial: s, time: new Date(first.getTime() + i * 3600_000), place: null, clientHash: `c${i}`, verdict: 'genuine' })));
    expect(await backfillScanTallies()).to.be.greaterThan(0);
    const carried = await instance().lookup(s);
    expect(carried).to.include({ version: 1, total: 3 });
    expect(carried.firstAt?.toISOString()).to.equal(first.toISOString());
    await backfillScanTallies(); // a start that crashed before the upgrade was marked done runs it again
    expect(await instance().lookup(s), 'nothing counted twice').to.include({ version: 1, total: 3 });
  });
});
