import { expect } from 'chai';
import { BoundedMap } from '../../src/bounded-map.js';

describe('bounded map', () => {
  it('when more keys than the bound are stored, then the oldest go first and the size stays at the bound', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [i, k] of ['a', 'b', 'c', 'd', 'e'].entries()) map.set(k, i);
    expect(map.size).to.equal(3);
    expect(['a', 'b', 'c', 'd', 'e'].map((k) => map.peek(k))).to.deep.equal([undefined, undefined, 2, 3, 4]);
  });

  it('when a key is read after drifting into the older half, then it outlives keys stored after it', () => {
    const map = new BoundedMap<string, string>(4);
    map.set('kept', 'x');
    map.set('b', 'b');
    map.set('c', 'c'); // 'kept' is now two stores old: the older half of four
    expect(map.get('kept')).to.equal('x');
    map.set('d', 'd');
    map.set('e', 'e'); // evicts b, the oldest: 'kept' moved when it was read
    expect(map.has('b')).to.equal(false);
    expect(map.get('kept')).to.equal('x');
  });

  it('when a key is only peeked, then it keeps its place and is evicted in turn', () => {
    const map = new BoundedMap<string, string>(2);
    map.set('a', 'a');
    map.set('b', 'b');
    map.set('c', 'c'); // evicts a
    expect(map.peek('b')).to.equal('b');
    map.set('d', 'd'); // evicts b: the peek did not count as a use
    expect(map.has('b')).to.equal(false);
    expect(map.get('c')).to.equal('c');
  });

  it('when a value is remembered, then it is computed once, and again only after being evicted', () => {
    const map = new BoundedMap<string, string>(1);
    const computed: string[] = [];
    const compute = (k: string) => (computed.push(k), k.toUpperCase());
    expect(map.remember('a', compute)).to.equal('A');
    expect(map.remember('a', compute)).to.equal('A');
    map.remember('b', compute);
    map.remember('a', compute);
    expect(computed).to.deep.equal(['a', 'b', 'a']);
  });

  it('when null or other falsy values are remembered, then they count as remembered', () => {
    const map = new BoundedMap<string, string | null | false>(4);
    let calls = 0;
    map.remember('n', () => (calls++, null));
    map.remember('f', () => (calls++, false));
    map.remember('n', () => (calls++, 'x'));
    map.remember('f', () => (calls++, 'x'));
    expect(calls).to.equal(2);
    expect(map.get('n')).to.equal(null);
    expect(map.get('f')).to.equal(false);
  });

  it('when many keys are stored, read and deleted in any order, then the bound is never exceeded and every value read is the last one stored', () => {
    // A fixed pseudo-random sequence (xorshift): the same run every time.
    let seed = 0x9e3779b9;
    const next = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    for (const bound of [1, 2, 7, 64]) {
      const map = new BoundedMap<number, number>(bound);
      const lastStored = new Map<number, number>();
      let largest = 0;
      const wrongReads: Array<[number, number | undefined, number | undefined]> = [];
      for (let i = 0; i < 5_000; i++) {
        const key = next(bound * 3);
        const op = next(10);
        if (op < 5) {
          map.set(key, i);
          lastStored.set(key, i);
        } else if (op < 9) {
          const value = map.get(key);
          if (value !== undefined && value !== lastStored.get(key)) wrongReads.push([key, value, lastStored.get(key)]);
        } else {
          map.delete(key);
          lastStored.delete(key);
        }
        largest = Math.max(largest, map.size);
      }
      expect(largest).to.equal(bound);
      expect(wrongReads).to.deep.equal([]);
      // The newest store is always kept.
      map.set(-1, 42);
      expect(map.get(-1)).to.equal(42);
    }
  });

  it('when the bound is not a positive integer, then it is refused', () => {
    expect(() => new BoundedMap(0)).to.throw(RangeError);
    expect(() => new BoundedMap(1.5)).to.throw(RangeError);
  });
});
