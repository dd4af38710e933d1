import { expect } from 'chai';
import { decompressDigitalLink, looksCompressed } from '../../src/verify/resolver/compressed-link.js';

/**
 * Compressed GTIN links and their uncompressed forms as GS1 Digital Link: Compression
 * gives them; the pairs are listed in test/conformance/digital-link/compression.json
 * with their provenance, and checked against the resolver there too.
 */
describe('compressed GS1 Digital Links', () => {
  const pairs: Array<[string, string]> = [
    ['AQnYUc1gmg', '/01/05412345000013'],
    ['AQnYUc1gmiCNV4JG', '/01/05412345000013/10/ABC123'],
    ['AQnYUc1gmkIXDU-iun', '/01/05412345000013/21/72292641703'],
    ['AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ', '/01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703'],
    ['AQnYUc1gmkax7ipGrOHDPC5YNI8hMz', '/01/05412345000013/235/8TFV883a904GH%263'],
  ];
  for (const [compressed, path] of pairs) {
    it(`when ${compressed} is decompressed, then it reads ${path}`, () => {
      expect(looksCompressed(compressed)).to.equal(true);
      expect(decompressDigitalLink(compressed)).to.deep.equal({ ok: true, path, query: '' });
    });
  }

  it('when a path segment is a page of ours or too short, then it is not taken for a compressed link', () => {
    for (const segment of ['products', 'statistics', 'report', 'AQnYUc1', 'serial']) expect(looksCompressed(segment), segment).to.equal(false);
  });

  it('when a compressed link is cut short or has bits left over, then it is refused with the reason', () => {
    const cut = decompressDigitalLink('AQnYUc1gmiCNV4');
    expect(cut).to.deep.include({ ok: false });
    expect(cut.ok ? '' : cut.reason).to.match(/ends in the middle/);
    const extra = decompressDigitalLink('AQnYUc1gmh');
    expect(extra.ok ? '' : extra.reason).to.match(/left over/);
  });

  it('when a compressed link uses an optimisation code, then it is called unsupported, not invalid', () => {
    // AI (01) then a first nibble of hex A: an optimisation code.
    const res = decompressDigitalLink('AQnYUc1gm0AAAA');
    expect(res).to.deep.include({ ok: false, unsupported: true });
  });
});
