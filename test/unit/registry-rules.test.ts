import { expect } from 'chai';
import { gtinCheckDigit, gtinProblem, withCheckDigit } from '../../src/reference/gs1.js';
import { normalizeGtin } from '../../src/registry/products/gtin.js';
import { AppError } from '../../src/errors/app-error.js';
import {
  allowedAuthorityLevels,
  currentAmong,
  defaultAuthorityName,
  parseDecisionNumber,
  starsForScore,
  todayInVietnam,
} from '../../src/registry/certifications/certification-rules.js';
import { certificationStatus, validUntilFor } from '../../src/registry/certifications/certification-status.js';
import { findProductGroup, currentGroupCodes, PRODUCT_GROUP_LISTS } from '../../src/reference/product-groups.js';
import { normalizeVietnamesePhone } from '../../src/registry/producers/producer.schema.js';
import { containsPattern, foldForSearch } from '../../src/registry/text-search.js';

describe('registry rules (pure)', () => {
  describe('GTIN', () => {
    it('when the GS1 mod-10 digit is computed, then it matches published GTINs', () => {
      expect(gtinCheckDigit('400638133393')).to.equal(1); // 4006381333931, GS1's own example
      expect(gtinCheckDigit('1061414100041')).to.equal(5); // GTIN-14 10614141000415
      expect(withCheckDigit('7351353')).to.equal('73513537'); // GTIN-8
      expect(withCheckDigit('03600029145')).to.equal('036000291452'); // UPC-A
    });

    it('when a GTIN is shorter than 14 digits, then it is stored left-padded to GTIN-14', () => {
      expect(normalizeGtin('4006381333931')).to.equal('04006381333931');
      expect(normalizeGtin('73513537')).to.equal('00000073513537');
      expect(normalizeGtin('036000291452')).to.equal('00036000291452');
      expect(normalizeGtin('10614141000415')).to.equal('10614141000415');
    });

    it('when the check digit is wrong, then the error is product/invalid_gtin and names the expected digit', () => {
      const problem = gtinProblem('4006381333932');
      expect(problem).to.include({ kind: 'check_digit', expected: 1, got: 2 });
      try {
        normalizeGtin('4006381333932');
        expect.fail('should throw');
      } catch (err) {
        expect(err).to.be.instanceOf(AppError);
        expect((err as AppError).code).to.equal('product/invalid_gtin');
        expect((err as AppError).message).to.contain('should be 1');
      }
    });

    it('when a GTIN has letters, a wrong length or only zeros, then it is refused', () => {
      expect(gtinProblem('40063813339A1')?.kind).to.equal('format');
      expect(gtinProblem('12345678901')?.message).to.contain('11');
      expect(gtinProblem('00000000')?.kind).to.equal('format');
      expect(gtinProblem('4006381333931')).to.equal(null);
    });
  });

  describe('score bands', () => {
    it('when a score is at a band edge, then it earns the band of its lower bound', () => {
      const cases: [number, number][] = [[0, 1], [29, 1], [29.9, 1], [30, 2], [49, 2], [50, 3], [69, 3], [70, 4], [89, 4], [90, 5], [100, 5]];
      for (const [score, stars] of cases) expect(starsForScore(score), `score ${score}`).to.equal(stars);
    });

    it('when the stars are 5, 3–4 or 1–2, then the issuing levels are ministry, province, province or district', () => {
      expect(allowedAuthorityLevels(5)).to.deep.equal(['ministry']);
      expect(allowedAuthorityLevels(4)).to.deep.equal(['province']);
      expect(allowedAuthorityLevels(3)).to.deep.equal(['province']);
      expect(allowedAuthorityLevels(2)).to.deep.equal(['province', 'district']);
    });

    it('when no authority name is given, then the ministry name follows its 2025 renaming', () => {
      expect(defaultAuthorityName('ministry', null, '2024-12-31')).to.equal('Bộ Nông nghiệp và Phát triển nông thôn');
      expect(defaultAuthorityName('ministry', null, '2025-03-01')).to.equal('Bộ Nông nghiệp và Môi trường');
      expect(defaultAuthorityName('province', 'Thành phố Hà Nội', '2024-01-01')).to.equal('Ủy ban nhân dân Thành phố Hà Nội');
      expect(defaultAuthorityName('district', null, '2024-01-01')).to.equal(null);
    });
  });

  describe('validity', () => {
    it('when a decision is dated, then it is valid through the same day 36 months later', () => {
      expect(validUntilFor(new Date('2024-05-10T00:00:00Z')).toISOString()).to.equal('2027-05-10T23:59:59.999Z');
      expect(validUntilFor(new Date('2024-01-31T00:00:00Z')).toISOString()).to.equal('2027-01-31T23:59:59.999Z');
    });

    it('when a decision is dated 29 February, then validity ends on 28 February three years later', () => {
      expect(validUntilFor(new Date('2024-02-29T00:00:00Z')).toISOString()).to.equal('2027-02-28T23:59:59.999Z');
    });

    it('when the valid-until instant passes, then an active certification reads expired; revoked wins over expired', () => {
      const validUntil = new Date('2027-05-10T23:59:59.999Z');
      expect(certificationStatus({ status: 'active', validUntil }, new Date('2027-05-10T23:59:59.999Z'))).to.equal('active');
      expect(certificationStatus({ status: 'active', validUntil }, new Date('2027-05-11T00:00:00Z'))).to.equal('expired');
      expect(certificationStatus({ status: 'revoked', validUntil }, new Date('2030-01-01'))).to.equal('revoked');
    });

    it('when it is 23:30 UTC, then it is already tomorrow in Vietnam', () => {
      expect(todayInVietnam(new Date('2026-03-01T16:59:00Z'))).to.equal('2026-03-01');
      expect(todayInVietnam(new Date('2026-03-01T17:00:00Z'))).to.equal('2026-03-02');
    });
  });

  describe('decision numbers', () => {
    it('when written with QD, lower case or spaces, then they read as one canonical number', () => {
      expect(parseDecisionNumber('1234/QĐ-UBND')?.canonical).to.equal('1234/QĐ-UBND');
      expect(parseDecisionNumber('1234/QD-UBND')?.canonical).to.equal('1234/QĐ-UBND');
      expect(parseDecisionNumber(' 1234 / qđ - ubnd ')?.canonical).to.equal('1234/QĐ-UBND');
      expect(parseDecisionNumber('567/QĐ-BNN-VPĐP')).to.deep.equal({ number: 567, issuer: 'BNN-VPĐP', canonical: '567/QĐ-BNN-VPĐP' });
    });

    it('when the text is not a decision number, then it is refused', () => {
      for (const bad of ['', 'UBND', '1234', '1234/UBND', '1234/QĐ', '0/QĐ-UBND', '1234/QĐ-', 'abc/QĐ-UBND', '1234/QĐ-UBND; drop', '1234567/QĐ-UBND']) {
        expect(parseDecisionNumber(bad), bad).to.equal(null);
      }
    });
  });

  describe('current certification', () => {
    const cert = (id: string, status: string, decisionDate: string, createdAt = '2025-01-01T00:00:00Z') => ({
      _id: id,
      status,
      decisionDate: new Date(decisionDate),
      createdAt: new Date(createdAt),
    });

    it('when several are active, then the latest decision is current, ties broken by creation', () => {
      const list = [cert('a', 'active', '2023-01-01'), cert('b', 'active', '2024-06-01'), cert('c', 'active', '2024-06-01', '2024-06-02T00:00:00Z')];
      expect(currentAmong(list)?._id).to.equal('b');
      list.push(cert('d', 'active', '2024-06-01', '2025-02-01T00:00:00Z'));
      expect(currentAmong(list)?._id).to.equal('d');
    });

    it('when the latest is revoked or superseded, then it is never current', () => {
      expect(currentAmong([cert('a', 'superseded', '2023-01-01'), cert('b', 'revoked', '2024-06-01')])).to.equal(null);
      expect(currentAmong([cert('a', 'active', '2023-01-01'), cert('b', 'revoked', '2024-06-01')])?._id).to.equal('a');
    });
  });

  describe('product groups', () => {
    it('when a product was rated under the 2018 list, then its old group still has a name', () => {
      expect(findProductGroup('2018', 'textile')?.vi).to.equal('Vải và may mặc');
      expect(findProductGroup('2023', 'textile')).to.equal(undefined);
      expect(currentGroupCodes).to.include.members(['food', 'beverage', 'herbal', 'handicraft', 'ornamental', 'tourism']);
      expect(PRODUCT_GROUP_LISTS['2018']).to.have.length(6);
      expect(PRODUCT_GROUP_LISTS['2023']).to.have.length(6);
    });
  });

  describe('phones and search text', () => {
    it('when a Vietnamese phone is written in any usual way, then it is stored as national digits', () => {
      expect(normalizeVietnamesePhone('0912 345 678')).to.equal('0912345678');
      expect(normalizeVietnamesePhone('+84 912.345.678')).to.equal('0912345678');
      expect(normalizeVietnamesePhone('024 3825 1234')).to.equal('02438251234');
      expect(normalizeVietnamesePhone('12345')).to.equal(null);
      expect(normalizeVietnamesePhone('0112345678')).to.equal(null);
    });

    it('when people type without diacritics, then the folded name still matches', () => {
      expect(foldForSearch('Gốm sứ Bát Tràng  ĐẸP')).to.equal('gom su bat trang dep');
      expect(new RegExp(containsPattern('bát trang')).test(foldForSearch('HTX Gốm sứ Bát Tràng'))).to.equal(true);
      expect(containsPattern('a.b(')).to.equal('a\\.b\\(');
    });
  });
});
