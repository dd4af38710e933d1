import { expect } from 'chai';
import { ChangeFeed, onChange, recordChange, type Heard } from '../../src/changes/changes.service.js';
import { ChangeModel } from '../../src/changes/change.model.js';

/** The change feed (src/changes/) in this process: numbering, hearing, and missing changes. */
describe('the change feed', () => {
  const heard: Heard[] = [];
  let unsubscribe: () => void;
  beforeEach(() => {
    heard.length = 0;
    unsubscribe = onChange((c) => heard.push(c));
  });
  afterEach(() => unsubscribe());

  it('when a change is recorded, then this process hears it before the feed is even read', async () => {
    await recordChange({ kind: 'run', id: 'run-heard-at-once' });
    expect(heard).to.deep.include({ kind: 'run', id: 'run-heard-at-once' });
  });

  it('when 20 changes are recorded at once, then they take 20 consecutive numbers, and this process heard each once, when made', async () => {
    const feed = new ChangeFeed({ pollMs: 60_000, available: () => true });
    await feed.start();
    const from = feed.stats.seen;
    const ids = Array.from({ length: 20 }, (_, i) => `label-${from}-${i}`);
    await Promise.all(ids.map((id) => recordChange({ kind: 'label', id })));
    expect(heard.map((c) => c.id).sort()).to.deep.equal([...ids].sort());
    const numbers = (await ChangeModel.find({ id: { $in: ids } }, { _id: 1 }).lean()).map((d) => d._id).sort((x, y) => x - y);
    expect(numbers).to.have.length(20);
    expect(numbers.at(-1)! - numbers[0]!).to.equal(19);
    heard.length = 0;
    await feed.poll();
    // Read from the feed, but not told again: this process wrote them.
    expect(feed.stats.seen).to.be.at.least(numbers.at(-1)!);
    expect(heard).to.deep.equal([]);
    await feed.stop();
  });

  it('when changes were deleted before a feed read them, then it tells its listeners to drop everything', async () => {
    const feed = new ChangeFeed({ pollMs: 60_000, available: () => true });
    await feed.start();
    const from = feed.stats.seen;
    await recordChange({ kind: 'label', id: 'missed-1' });
    await recordChange({ kind: 'label', id: 'missed-2' });
    await ChangeModel.deleteMany({ _id: { $gt: from, $lte: from + 1 } });
    heard.length = 0;
    await feed.poll();
    expect(heard).to.deep.include({ kind: 'everything', id: '' });
    expect(feed.stats.resets).to.equal(1);
    await feed.stop();
  });
});
