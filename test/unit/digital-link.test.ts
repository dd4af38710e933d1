import { expect } from 'chai';
import { canonicalDigitalLinkPath, parseDigitalLink, type DigitalLinkProblem } from '../../src/verify/resolver/digital-link.js';
import { withCheckDigit } from '../../src/reference/gs1.js';

// The GS1 Digital Link standard's example GTIN (a fictitious product of GS1's own prefix).
const GTIN = '09506000134352';

describe('GS1 Digital Link URI parser (GTIN primary key)', () => {
  describe('when a URI follows the grammar, then it is read field by field', () => {
    const cases: Array<[string, string, string, Record<string, unknown>]> = [
      ['a GTIN alone', `/01/${GTIN}`, '', { gtin: GTIN }],
      ['a trailing slash', `/01/${GTIN}/`, '', { gtin: GTIN }],
      ['a GTIN-13 (zero-suppressed)', `/01/${GTIN.slice(1)}`, '', { gtin: GTIN }],
      ['a GTIN-12 (UPC-A)', `/01/${withCheckDigit('61414100734')}`, '', { gtin: `00${withCheckDigit('61414100734')}` }],
      ['a GTIN-8', `/01/${withCheckDigit('9501234')}`, '', { gtin: `000000${withCheckDigit('9501234')}` }],
      ['GTIN + lot', `/01/${GTIN}/10/ABC123`, '', { gtin: GTIN, lot: 'ABC123' }],
      ['GTIN + serial (a short one)', `/01/${GTIN}/21/12345`, '', { gtin: GTIN, serial: '12345' }],
      ['GTIN + lot + serial', `/01/${GTIN}/10/ABC123/21/12345`, '', { gtin: GTIN, lot: 'ABC123', serial: '12345' }],
      ['the consumer product variant (22) first', `/01/${GTIN}/22/2A/10/ABC123/21/12345`, '', { gtin: GTIN, cpv: '2A', lot: 'ABC123', serial: '12345' }],
      ['a third-party serial extension (235)', `/01/${GTIN}/235/XYZ-987`, '', { gtin: GTIN, tpx: 'XYZ-987' }],
      ['lot and 235', `/01/${GTIN}/10/L1/235/XYZ`, '', { gtin: GTIN, lot: 'L1', tpx: 'XYZ' }],
      ['the convenience alphas', `/gtin/${GTIN}/cpv/2A/lot/ABC123/ser/12345`, '', { gtin: GTIN, cpv: '2A', lot: 'ABC123', serial: '12345' }],
      ['percent-encoded characters of set 82', `/01/${GTIN}/10/AB%2F12%25`, '', { gtin: GTIN, lot: 'AB/12%' }],
      ['sub-delimiters written as themselves', `/01/${GTIN}/21/A!'()*+,;=`, '', { gtin: GTIN, serial: "A!'()*+,;=" }],
      ['20 characters, the most a lot may have', `/01/${GTIN}/10/${'L'.repeat(20)}`, '', { gtin: GTIN, lot: 'L'.repeat(20) }],
    ];
    for (const [what, path, query, fields] of cases) {
      it(what, () => {
        const parsed = parseDigitalLink(path, query);
        expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
        if (parsed.ok) expect(parsed.link).to.deep.equal({ attributes: {}, params: [], ...fields });
      });
    }
  });

  it('when the query holds data attributes and other parameters, then AIs are checked and kept apart from the rest', () => {
    const parsed = parseDigitalLink(`/01/${GTIN}/10/ABC123`, '17=291231&3103=000500&linkType=gs1%3Apip&utm=a+b&99=X%2B1');
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.link.attributes).to.deep.equal({ 17: '291231', 3103: '000500', 99: 'X+1' });
    expect(parsed.link.params).to.deep.equal([['linkType', 'gs1:pip'], ['utm', 'a+b']]);
  });

  describe('when a URI breaks the grammar, then it is refused with the class of error', () => {
    const cases: Array<[string, string, string, DigitalLinkProblem, RegExp]> = [
      ['no GTIN value', '/01/', '', 'gtin', /8, 12, 13 or 14/],
      ['another primary key', `/414/${GTIN.slice(1)}`, '', 'path', /GTIN/],
      ['a qualifier without its value', `/01/${GTIN}/10`, '', 'path', /pairs/],
      ['letters in the GTIN', '/01/0950600013435A', '', 'gtin', /digits/],
      ['a GTIN of 11 digits', `/01/${GTIN.slice(3)}`, '', 'gtin', /8, 12, 13 or 14/],
      ['a wrong check digit', `/01/${GTIN.slice(0, 13)}3`, '', 'gtin', /check digit/],
      ['qualifiers out of order', `/01/${GTIN}/21/1/10/2`, '', 'path', /order/],
      ['a qualifier twice', `/01/${GTIN}/10/1/10/2`, '', 'path', /order/],
      ['a serial and 235 together', `/01/${GTIN}/21/1/235/2`, '', 'path', /order/],
      ['a qualifier another key owns (254)', `/01/${GTIN}/254/1`, '', 'path', /not a key qualifier/],
      ['an empty lot', `/01/${GTIN}/10//21/1`, '', 'lot', /1 to 20/],
      ['a lot of 21 characters', `/01/${GTIN}/10/${'L'.repeat(21)}`, '', 'lot', /1 to 20/],
      ['a space (not in set 82)', `/01/${GTIN}/10/A%20B`, '', 'lot', /character set 82/],
      ['a non-ASCII letter', `/01/${GTIN}/21/%C3%A9`, '', 'serial', /character set 82/],
      ['broken percent-encoding', `/01/${GTIN}/21/A%2`, '', 'serial', /percent-encoded/],
      ['a consumer product variant of 21 characters', `/01/${GTIN}/22/${'V'.repeat(21)}`, '', 'cpv', /1 to 20/],
      ['a 235 of 29 characters', `/01/${GTIN}/235/${'T'.repeat(29)}`, '', 'tpx', /1 to 28/],
      ['a key qualifier in the query', `/01/${GTIN}`, '10=ABC', 'query', /belongs in the path/],
      ['a second primary key in the query', `/01/${GTIN}`, '00=106141411234567897', 'query', /primary key/],
      ['a numeric key that is no data attribute', `/01/${GTIN}`, '9999=1', 'attribute', /not a GS1 Application Identifier/],
      ['a date attribute with month 13', `/01/${GTIN}`, '17=291331', 'attribute', /date YYMMDD/],
      ['a numeric attribute with letters', `/01/${GTIN}`, '3103=00050A', 'attribute', /digits only/],
      ['a numeric attribute of the wrong length', `/01/${GTIN}`, '3103=500', 'attribute', /6 digits/],
      ['an attribute twice', `/01/${GTIN}`, '17=291231&17=301231', 'attribute', /more than once/],
      ['an alphanumeric attribute with a space', `/01/${GTIN}`, '99=A%20B', 'attribute', /character set 82/],
      ['a broken query encoding', `/01/${GTIN}`, 'a=%E0%A4', 'query', /percent-encoded/],
    ];
    for (const [what, path, query, problem, reason] of cases) {
      it(what, () => {
        const parsed = parseDigitalLink(path, query);
        expect(parsed.ok, `${path}?${query}`).to.equal(false);
        if (parsed.ok) return;
        expect(parsed.problem).to.equal(problem);
        expect(parsed.reason).to.match(reason);
      });
    }
  });

  it('when a link is written canonically, then it has numeric codes, GTIN-14, the qualifiers in order and set 82 percent-encoded', () => {
    const parsed = parseDigitalLink(`/gtin/${GTIN.slice(1)}/cpv/2A/lot/AB%2f1/ser/X(1)`, '17=291231');
    expect(parsed.ok).to.equal(true);
    if (parsed.ok) expect(canonicalDigitalLinkPath(parsed.link)).to.equal(`/01/${GTIN}/22/2A/10/AB%2F1/21/X%281%29`);
  });
});
