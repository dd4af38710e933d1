import { expect } from 'chai';
import { all, orNull, runSteps, wait, type Steps } from '../../src/verify/maybe-async.js';
import { TtlCache } from '../../src/verify/cache.js';

/** A decision-shaped generator: two lookups, one optional, one that may fail. */
function* steps(first: number | Promise<number>, second: number | Promise<number>, optional: number | Promise<number>): Steps<string> {
  let a: number;
  try {
    a = yield* wait(first);
  } catch {
    return 'first failed';
  }
  const [b, c] = yield* wait(all([second, orNull(optional)]));
  return `${a}+${b}+${c ?? 'none'}`;
}

describe('code that stays synchronous when its values are at hand', () => {
  it('when every value waited for is plain, then the result is a plain value, not a promise', () => {
    expect(runSteps(steps(1, 2, 3))).to.equal('1+2+3');
  });

  it('when some values are promises, then the result is a promise of the same answer', async () => {
    const result = runSteps(steps(1, Promise.resolve(2), 3));
    expect(result).to.be.instanceOf(Promise);
    expect(await result).to.equal('1+2+3');
    expect(await runSteps(steps(Promise.resolve(1), 2, Promise.resolve(3)))).to.equal('1+2+3');
  });

  it('when a promise waited for rejects, then the generator catches it where it waited, or it fails the result', async () => {
    expect(await runSteps(steps(Promise.reject(new Error('down')), 2, 3))).to.equal('first failed');
    expect(await runSteps(steps(1, 2, Promise.reject(new Error('extra'))))).to.equal('1+2+none');
    const failed = await Promise.resolve(runSteps(steps(1, Promise.reject(new Error('boom')), 3))).catch((e: unknown) => e);
    expect(failed).to.be.instanceOf(Error).with.property('message', 'boom');
  });
});

describe('verification cache lookups', () => {
  it('when an entry is fresh, then lookup answers a plain value; absent or stale, a promise that loads', async () => {
    let clock = 1_000;
    let loads = 0;
    const load = async (k: string) => `${k}:${++loads}`;
    const cache = new TtlCache<string, string>({ ttlMs: 100, maxEntries: 10, available: () => true, clock: () => clock });
    const first = cache.lookup('x', load);
    expect(first).to.be.instanceOf(Promise);
    expect(await first).to.equal('x:1');
    expect(cache.lookup('x', load)).to.equal('x:1');
    clock += 101;
    const again = cache.lookup('x', load);
    expect(again).to.be.instanceOf(Promise);
    expect(await again).to.equal('x:2');
  });

  it('when the database is down, then a stale entry is a plain answer and a missing one a rejected promise', async () => {
    let up = true;
    let clock = 1_000;
    const cache = new TtlCache<string, string>({ ttlMs: 100, maxEntries: 10, available: () => up, clock: () => clock });
    await cache.get('x', async () => 'old');
    up = false;
    clock += 1_000;
    expect(cache.lookup('x', async () => 'new')).to.equal('old');
    const missing = cache.lookup('y', async () => 'new');
    expect(missing).to.be.instanceOf(Promise);
    const err = await (missing as Promise<string>).catch((e: unknown) => e);
    expect(err).to.have.property('code', 'verify/database_unavailable');
  });
});
