import { expect } from 'chai';
import { parseLabel, parseLabelUrl, toYYMMDD } from '../../src/labels/format/label-url.js';
import { gtinCheckDigitOk } from '../../src/reference/gs1.js';
import { newSerial, SERIAL_ALPHABET, SERIAL_BITS } from '../../src/labels/format/serial.js';

const sig = 'A'.repeat(86);
const query = { s: '4', v: '280614', k: '1PQSLId9', sig };
const path = '/01/08936045120019/10/MO-2025-09A/21/Q7fK2mX9pL4sT';

describe('label URL parsing', () => {
  it('when a well-formed label path and query are parsed, then every field comes back typed', () => {
    const parsed = parseLabel(path, query);
    expect(parsed).to.deep.equal({
      ok: true,
      label: { product: { kind: 'gtin', gtin: '08936045120019' }, lot: 'MO-2025-09A', serial: 'Q7fK2mX9pL4sT', stars: 4, validUntil: '280614', kid: '1PQSLId9', sig },
    });
  });

  const refusals: Array<[string, string, Record<string, unknown>]> = [
    ['a GTIN with a wrong check digit', path.replace('120019', '120018'), query],
    ['a lot longer than 20 characters', path.replace('MO-2025-09A', 'L'.repeat(21)), query],
    ['a lot with a space', path.replace('MO-2025-09A', 'MO%202025'), query],
    ['a lot that is a dot segment', path.replace('MO-2025-09A', '..'), query],
    ['a serial of 12 characters', path.replace('Q7fK2mX9pL4sT', 'Q7fK2mX9pL4s'), query],
    ['an upper-case product code', '/p/K3V9X0M2QA/10/L1/21/Q7fK2mX9pL4sT', query],
    ['6 stars', path, { ...query, s: '6' }],
    ['month 13', path, { ...query, v: '281314' }],
    ['a 7-character key id', path, { ...query, k: '1PQSLId' }],
    ['a short signature', path, { ...query, sig: sig.slice(1) }],
    ['a repeated parameter', path, { ...query, s: ['4', '5'] }],
    ['no signature', path, { s: '4', v: '280614', k: '1PQSLId9' }],
  ];
  for (const [what, p, q] of refusals) {
    it(`when the URL has ${what}, then it is refused with a reason`, () => {
      const parsed = parseLabel(p, q);
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok) expect(parsed.reason).to.be.a('string').and.not.empty;
    });
  }

  it('when a label URL is read, then it is read as a browser reads it: dot segments and backslashes resolved, the query decoded, repeats kept', () => {
    const target = `/01/08936045120019/10/MO-2025-09A/x/../21\\Q7fK2mX9pL4sT?%73=4&v=%32%38%30%36%31%34&k=1PQSLId9&sig=${sig}&x=1&x=2#timeline`;
    const parsed = parseLabelUrl(target);
    expect(parsed.ok && parsed.label).to.deep.include({ lot: 'MO-2025-09A', serial: 'Q7fK2mX9pL4sT', stars: 4, validUntil: '280614' });
    expect(parsed.query.x).to.deep.equal(['1', '2']);
    expect(parseLabelUrl(`${path}?s=4&v=280614&k=1PQSLId9&sig=${sig}&s=4`)).to.deep.include({ ok: false, reason: 'The signature parameters s, v, k and sig must appear once each.' });
    expect(parseLabelUrl(`/01/0893604512%30019/10/MO-2025-09A/21/Q7fK2mX9pL4sT?s=4&v=280614&k=1PQSLId9&sig=${sig}`).ok, 'the path is not percent-decoded').to.equal(false);
    expect(parseLabelUrl(`//01/08936045120019/10/MO-2025-09A/21/Q7fK2mX9pL4sT?s=4&v=280614&k=1PQSLId9&sig=${sig}`).ok, 'a leading // is not a host').to.equal(false);
  });

  it('when GTINs of any length are checked, then the GS1 mod-10 rule holds', () => {
    expect(gtinCheckDigitOk('08936045120019')).to.equal(true);
    expect(gtinCheckDigitOk('4006381333931')).to.equal(true); // a GTIN-13 from GS1's examples
    expect(gtinCheckDigitOk('4006381333932')).to.equal(false);
  });

  it('when a certificate ends late on a UTC day, then its YYMMDD is that day', () => {
    expect(toYYMMDD(new Date(Date.UTC(2028, 5, 14, 23, 59, 59, 999)))).to.equal('280614');
  });

  it('when serials are generated, then each has 16 characters of the alphabet without look-alikes, at least 72 bits, and they do not repeat', () => {
    const serials = Array.from({ length: 10_000 }, () => newSerial());
    for (const s of serials) expect(s).to.match(/^[34679ACDEFGHJKMNPQRTUVWXY]{16}$/);
    expect(new Set(serials).size).to.equal(serials.length);
    // Every character of the alphabet is drawn (a source stuck on part of it would show).
    expect(new Set(serials.join('')).size).to.equal(SERIAL_ALPHABET.length);
    expect(SERIAL_BITS).to.be.at.least(72);
  });

  it('when the serial alphabet is checked for look-alikes, then none of 0 O 1 I L 2 Z 5 S 8 B nor a lower-case letter is in it', () => {
    for (const c of '0O1IlL2Z5S8B') expect(SERIAL_ALPHABET.toUpperCase(), c).not.to.contain(c.toUpperCase());
    expect(SERIAL_ALPHABET).to.match(/^[0-9A-Z]+$/);
    expect(new Set(SERIAL_ALPHABET).size).to.equal(SERIAL_ALPHABET.length);
  });

  it('when a serial of the first alphabet (13 of [0-9A-Za-z], look-alikes included) or a new one is parsed, then both are labels', () => {
    for (const serial of ['l0O1IQ7fK2mX9', newSerial()]) {
      const parsed = parseLabel(`/01/08936045120019/10/MO-2025-09A/21/${serial}`, query);
      expect(parsed.ok, serial).to.equal(true);
      if (parsed.ok) expect(parsed.label.serial).to.equal(serial);
    }
  });
});
