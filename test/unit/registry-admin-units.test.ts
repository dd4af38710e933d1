import { expect } from 'chai';
import { addressProblems, findCommune, normalizeUnitCode, placeName, provinces } from '../../src/reference/admin-units.js';

describe('administrative units of 2025', () => {
  it('when the units are loaded, then there are 34 provinces and 3,321 communes with padded codes', () => {
    expect(provinces).to.have.length(34);
    expect(provinces.reduce((n, p) => n + p.communes.length, 0)).to.equal(3321);
    expect(provinces[0]?.code).to.equal('01');
    expect(findCommune('00577')?.name).to.equal('Xã Bát Tràng');
    expect(placeName('00577')).to.equal('Xã Bát Tràng, Thành phố Hà Nội');
  });

  it('when a code is sent as a number or an unpadded string, then it is padded; anything else is refused', () => {
    expect(normalizeUnitCode(1, 2)).to.equal('01');
    expect(normalizeUnitCode(' 1 ', 2)).to.equal('01');
    expect(normalizeUnitCode(577, 5)).to.equal('00577');
    expect(normalizeUnitCode('00577', 5)).to.equal('00577');
    expect(normalizeUnitCode('123', 2)).to.equal(null);
    expect(normalizeUnitCode('1a', 2)).to.equal(null);
    expect(normalizeUnitCode(1.5, 2)).to.equal(null);
    expect(normalizeUnitCode(-1, 2)).to.equal(null);
  });

  it('when the commune lies in another province, then the address is refused naming both', () => {
    expect(addressProblems('01', '00577')).to.deep.equal([]);
    const [problem] = addressProblems('19', '00577');
    expect(problem?.path).to.equal('communeCode');
    expect(problem?.message).to.contain('Xã Bát Tràng').and.to.contain('Thành phố Hà Nội');
  });

  it('when a province or commune code does not exist in 2025, then the address is refused', () => {
    expect(addressProblems('02', '00577')[0]?.path).to.equal('provinceCode'); // Hà Giang merged into Tuyên Quang
    expect(addressProblems('01', '99999')[0]?.path).to.equal('communeCode');
  });
});
