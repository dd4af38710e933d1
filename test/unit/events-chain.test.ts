import { expect } from 'chai';
import { canonicalJson, sha256Hex } from '../../src/events/chain/canonical-json.js';
import { linkHash, verifyLinks, indexFieldsOf, type StoredLink } from '../../src/events/chain/chain.js';
import { GENESIS_HASH } from '../../src/events/epcis-context.js';

const event = (n: number) => ({
  type: 'ObjectEvent',
  eventID: `urn:uuid:00000000-0000-4000-8000-00000000000${n}`,
  eventTime: `2025-03-0${n + 1}T08:00:00+07:00`,
  eventTimeZoneOffset: '+07:00',
  action: 'OBSERVE',
  bizStep: 'inspecting',
  bizLocation: { id: 'urn:ocop:commune:00577' },
  quantityList: [{ epcClass: 'https://trace.example.vn/p/abcdefghij/10/L1', quantity: 5, uom: 'KGM' }],
  'ocop:batchId': 'batch00001',
});

function chainOf(n: number): StoredLink[] {
  const links: StoredLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 0; seq < n; seq++) {
    const e = event(seq);
    const hash = linkHash({ batchId: 'batch00001', seq, prevHash, event: e });
    links.push({ ...indexFieldsOf(e), seq, prevHash, hash, body: JSON.stringify(e) });
    prevHash = hash;
  }
  return links;
}

describe('events: canonical JSON and the hash chain (pure)', () => {
  it('when objects have keys in any order or whitespace, then the canonical form is the same sorted compact text', () => {
    const a = canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true } });
    const b = canonicalJson(JSON.parse('{ "a": { "c": true, "d": [1, "x", null] }, "b": 1 }'));
    expect(a).to.equal('{"a":{"c":true,"d":[1,"x",null]},"b":1}');
    expect(b).to.equal(a);
  });

  it('when a value is not plain JSON (a Date, NaN), then canonicalisation refuses it rather than hashing something else', () => {
    expect(() => canonicalJson({ at: new Date() })).to.throw(TypeError);
    expect(() => canonicalJson({ n: Number.NaN })).to.throw(TypeError);
  });

  it('when the documented test vector is hashed, then the hash matches docs/epcis.md', () => {
    const text = canonicalJson({ batchId: 'batch00001', seq: 0, prevHash: GENESIS_HASH, event: event(0) });
    expect(text).to.match(/^\{"batchId":"batch00001","event":\{"action":"OBSERVE","bizLocation":/);
    expect(text).to.match(/"type":"ObjectEvent"\},"prevHash":"0{64}","seq":0\}$/);
    expect(sha256Hex(text)).to.equal('e856f40d069994d280f7461f0444fc3e321afe1a8942c5217e66d5a659f9353b');
    expect(linkHash({ batchId: 'batch00001', seq: 0, prevHash: GENESIS_HASH, event: event(0) })).to.equal(sha256Hex(text));
  });

  it('when a chain is intact, then it verifies and reports its tip', () => {
    const links = chainOf(4);
    expect(verifyLinks('batch00001', links)).to.deep.equal({ batchId: 'batch00001', ok: true, count: 4, tipHash: links[3]!.hash });
  });

  it('when an event body changed, then that link is named with hash_mismatch', () => {
    const links = chainOf(4);
    links[2] = { ...links[2]!, body: links[2]!.body.replace('inspecting', 'shipping') };
    expect(verifyLinks('batch00001', links).brokenAt).to.deep.include({ seq: 2, reason: 'hash_mismatch', eventID: event(2).eventID });
  });

  it('when a link is missing, then the gap is named at the missing seq', () => {
    const links = chainOf(4);
    links.splice(1, 1);
    expect(verifyLinks('batch00001', links).brokenAt).to.deep.include({ seq: 1, reason: 'gap' });
  });

  it('when links are swapped, then the check fails at the first out-of-place link', () => {
    const links = chainOf(3);
    const swapped = [links[0]!, { ...links[2]!, seq: 1 }, { ...links[1]!, seq: 2 }];
    expect(verifyLinks('batch00001', swapped).brokenAt).to.deep.include({ seq: 1, reason: 'prev_hash_mismatch' });
  });

  it('when the chain is checked under another batch id, then the first link fails (the batch is part of every hash)', () => {
    expect(verifyLinks('batch00002', chainOf(2)).brokenAt).to.deep.include({ seq: 0 });
  });
});
