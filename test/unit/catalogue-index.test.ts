import { expect } from 'chai';
import { CatalogueIndex, type CatalogueSnapshot } from '../../src/catalogue/catalogue-index.js';
import { sortEntries } from '../../src/catalogue/catalogue-search.js';

/** The registry index's staleness rule, with a clock and a loader of the test's own. */
function harness() {
  let now = 1_000_000;
  const loads: number[] = [];
  let fail = false;
  let release: (() => void) | null = null;
  const index = new CatalogueIndex({
    ttlMs: 1_000,
    clock: () => now,
    load: async (at) => {
      loads.push(at.getTime());
      if (release === null) await new Promise<void>((resolve) => (release = resolve));
      if (fail) throw new Error('database unreachable');
      return { entries: [], sorted: sortEntries([]), byId: new Map(), loadedAt: at } satisfies CatalogueSnapshot;
    },
  });
  return {
    index,
    loads,
    advance: (ms: number) => (now += ms),
    failNext: (v: boolean) => (fail = v),
    /** Lets loads finish at once from now on. */
    open: () => {
      const r = release;
      release = () => {};
      r?.();
    },
  };
}

describe('catalogue index: bounded staleness (pure, no database)', () => {
  it('when many requests arrive before the first load ends, then the registry is read once', async () => {
    const h = harness();
    const answers = Promise.all([h.index.current(), h.index.current(), h.index.current()]);
    h.open();
    const [a, b, c] = await answers;
    expect(h.loads).to.have.length(1);
    expect(a).to.equal(b).and.to.equal(c);
  });

  it('when the index is older than the ttl but not twice, then the old one answers and one reload starts', async () => {
    const h = harness();
    h.open();
    const first = await h.index.current();
    h.advance(1_500);
    expect(await h.index.current()).to.equal(first);
    expect(h.loads).to.have.length(2);
  });

  it('when the index is older than twice the ttl, then the request waits for the new one', async () => {
    const h = harness();
    h.open();
    const first = await h.index.current();
    h.advance(2_500);
    const second = await h.index.current();
    expect(second).to.not.equal(first);
    expect(second.loadedAt.getTime()).to.equal(first.loadedAt.getTime() + 2_500);
  });

  it('when a reload fails, then the old index keeps answering', async () => {
    const h = harness();
    h.open();
    const first = await h.index.current();
    h.failNext(true);
    h.advance(2_500);
    expect(await h.index.current()).to.equal(first);
  });

  it('when the first load fails, then requests fail for a moment without reading the registry again, and a later one retries', async () => {
    const h = harness();
    h.open();
    h.failNext(true);
    let failures = 0;
    await h.index.current().catch(() => failures++);
    await h.index.current().catch(() => failures++);
    expect([failures, h.loads.length]).to.deep.equal([2, 1]);
    h.failNext(false);
    h.advance(2_001);
    await h.index.current();
    expect(h.loads).to.have.length(2);
  });
});
