import { expect } from 'chai';
import { glnOk, isGlnUri, locationKey, parseGlnUri } from '../../src/registry/locations/gln.js';

describe('registry: GS1 place identifiers (pure)', () => {
  it('when an SGLN is read, then it gives the GLN with its check digit and the extension ("0" meaning none)', () => {
    // GS1's example SGLN urn:epc:id:sgln:0614141.07346.1234 is GLN 0614141073467, extension 1234.
    expect(parseGlnUri('urn:epc:id:sgln:0614141.07346.1234')).to.deep.equal({ gln: '0614141073467', extension: '1234' });
    expect(parseGlnUri('urn:epc:id:sgln:0614141.07346.0')).to.deep.equal({ gln: '0614141073467', extension: null });
    expect(parseGlnUri('urn:epc:id:sgln:061414.07346.0')).to.equal(null); // 11 digits: not a GLN
  });

  it('when a GLN Digital Link is read, then any host works and the check digit must be right', () => {
    expect(parseGlnUri('https://id.gs1.org/414/0614141073467/254/1234')).to.deep.equal({ gln: '0614141073467', extension: '1234' });
    expect(parseGlnUri('https://partner.example.vn/r/414/0614141073467')).to.deep.equal({ gln: '0614141073467', extension: null });
    expect(parseGlnUri('https://id.gs1.org/414/0614141073468')).to.equal(null);
    expect(glnOk('0614141073467')).to.equal(true);
    expect(glnOk('0614141073468')).to.equal(false);
  });

  it('when two spellings name one place, then they have one key; other URIs are not GS1 places', () => {
    const a = parseGlnUri('urn:epc:id:sgln:0614141.07346.1234');
    const b = parseGlnUri('https://id.gs1.org/414/0614141073467/254/1234');
    expect(locationKey(a!)).to.equal(locationKey(b!)).and.equal('0614141073467:1234');
    expect(isGlnUri('urn:ocop:commune:00577')).to.equal(false);
    expect(isGlnUri('https://example.org/warehouse/7')).to.equal(false);
    expect(isGlnUri('urn:epc:id:sgln:0614141.07346.1234')).to.equal(true);
  });
});
