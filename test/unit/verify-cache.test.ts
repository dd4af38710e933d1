import { expect } from 'chai';
import { TtlCache } from '../../src/verify/cache.js';
import { AppError } from '../../src/errors/app-error.js';

describe('verification cache', () => {
  const counting = () => {
    const calls: string[] = [];
    return { calls, load: async (k: string) => (calls.push(k), `v:${k}:${calls.length}`) };
  };

  it('when a key is read twice within the TTL, then it is loaded once; concurrent misses share one load', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 60_000, maxEntries: 10, available: () => true });
    const { calls, load } = counting();
    const [a, b] = await Promise.all([cache.get('x', load), cache.get('x', load)]);
    expect(await cache.get('x', load)).to.equal(a);
    expect(b).to.equal(a);
    expect(calls).to.deep.equal(['x']);
  });

  it('when the TTL is over, then the next read loads again', async () => {
    let clock = 1_000;
    const cache = new TtlCache<string, string>({ ttlMs: 100, maxEntries: 10, available: () => true, clock: () => clock });
    const { calls, load } = counting();
    await cache.get('x', load);
    clock += 100;
    await cache.get('x', load);
    expect(calls).to.have.length(1);
    clock += 1;
    expect(await cache.get('x', load)).to.equal('v:x:2');
  });

  it('when an entry is fresh, then peekFresh answers it without loading; absent or past the TTL it answers nothing', async () => {
    let clock = 1_000;
    const cache = new TtlCache<string, string | null>({ ttlMs: 100, maxEntries: 10, available: () => true, clock: () => clock });
    expect(cache.peekFresh('x')).to.equal(undefined);
    await cache.get('x', async () => 'v');
    await cache.get('missing', async () => null);
    expect(cache.peekFresh('x')).to.equal('v');
    expect(cache.peekFresh('missing')).to.equal(null); // a label known not to exist is an answer too
    clock += 101;
    expect(cache.peekFresh('x')).to.equal(undefined);
    expect(cache.peek('x')).to.equal('v');
  });

  it('when more keys than the bound are read, then the least recently used is evicted', async () => {
    let clock = 0;
    const cache = new TtlCache<string, string>({ ttlMs: 60_000, maxEntries: 2, available: () => true, clock: () => clock });
    const { calls, load } = counting();
    await cache.get('a', load);
    await cache.get('b', load);
    clock += 1_500; // uses within a second of each other do not reorder (cheaper lookups)
    await cache.get('a', load); // a is now younger than b
    await cache.get('c', load); // evicts b
    expect(cache.size).to.equal(2);
    await cache.get('a', load);
    await cache.get('b', load);
    expect(calls).to.deep.equal(['a', 'b', 'c', 'b']);
  });

  it('when the database is down, then a stale entry is served and a missing one is a 503', async () => {
    let up = true;
    const cache = new TtlCache<string, string>({ ttlMs: 0, maxEntries: 10, available: () => up });
    const { load } = counting();
    const first = await cache.get('x', load);
    up = false;
    expect(await cache.get('x', load)).to.equal(first);
    const err = await cache.get('y', load).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).status).to.equal(503);
    expect((err as AppError).code).to.equal('verify/database_unavailable');
  });

  it('when a load fails but an old value exists, then the old value is served', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 0, maxEntries: 10, available: () => true });
    await cache.get('x', async () => 'old');
    expect(await cache.get('x', async () => Promise.reject(new Error('timeout')))).to.equal('old');
  });
});

describe('verification cache: dropped by the change feed', () => {
  it('when a key is dropped, then the next read loads it again however young it was', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 60_000, maxEntries: 10, available: () => true });
    let n = 0;
    const load = async (k: string) => `v:${k}:${(n += 1)}`;
    expect(await cache.get('x', load)).to.equal('v:x:1');
    cache.drop('x');
    expect(await cache.get('x', load)).to.equal('v:x:2');
    expect(cache.counts).to.deep.equal({ hits: 0, misses: 2 });
  });

  it('when a key is dropped while it loads, then the value that load read is answered but not kept', async () => {
    const cache = new TtlCache<string, string>({ ttlMs: 60_000, maxEntries: 10, available: () => true });
    let release!: (v: string) => void;
    const slow = cache.get('x', () => new Promise<string>((resolve) => (release = resolve)));
    cache.drop('x'); // the change landed after the load read the old value
    release('old');
    expect(await slow).to.equal('old');
    expect(await cache.get('x', async () => 'new')).to.equal('new');
  });
});
