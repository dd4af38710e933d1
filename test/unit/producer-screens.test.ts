import { expect } from 'chai';
import { BIZ_STEPS, DISPOSITIONS } from '../../src/events/cbv.js';
import { asUri, STEPS, stepEvent, uriText } from '../../src/producer-screens/events-epcis.js';
import { readStepForm, stepValues, vietnamInstant } from '../../src/producer-screens/events-form.js';
import { scanFigures, vietnamDay } from '../../src/producer-screens/scans-figures.js';

describe('producer screens: step events, forms and scan figures (no database)', () => {
  const batch = { _id: 'b000000001', lotCode: 'LOT-1', expiryDate: new Date('2027-06-30T00:00:00Z'), unit: 'kg' };
  const input = { batch, lotClass: 'https://id.gs1.org/01/08930000000019/10/LOT-1', localTime: '2026-03-10T08:30', place: 'urn:ocop:commune:00577', quantity: 5, party: 'HTX A', document: 'PXK 1', eventId: 'urn:uuid:6b3f2c1e-0000-4000-8000-000000000001' };

  it('when any step becomes an event, then its bizStep and disposition are CBV 2.0 values, its time carries +07:00, and it names the batch', () => {
    for (const step of STEPS) {
      const e = stepEvent({ ...input, step });
      expect(BIZ_STEPS as readonly string[], step).to.include(e.bizStep);
      expect(DISPOSITIONS as readonly string[], step).to.include(e.disposition);
      expect(e.eventTime, step).to.equal('2026-03-10T08:30:00+07:00');
      expect(e['ocop:batchId'], step).to.equal(batch._id);
    }
    expect(stepEvent({ ...input, step: 'harvest' }).quantityList).to.deep.equal([{ epcClass: input.lotClass, quantity: 5, uom: 'KGM' }]);
    expect(stepEvent({ ...input, step: 'processing' })).not.to.have.property('action');
  });

  it('when a party or document is typed as words, then it becomes a URN that reads back as the words; a URI stays as typed', () => {
    expect(uriText(asUri('party', 'Cửa hàng OCOP'))).to.equal('Cửa hàng OCOP');
    expect(asUri('party', 'urn:epc:id:pgln:893000.0')).to.equal('urn:epc:id:pgln:893000.0');
    expect(asUri('doc', 'https://example.vn/invoice/7')).to.equal('https://example.vn/invoice/7');
  });

  it('when the form holds a date that does not exist, a time ahead, or a commune nobody has, then each is a problem of its own field', () => {
    expect(vietnamInstant('2026-02-30T08:00')).to.equal(null);
    expect(vietnamInstant('2026-03-10T07:00')?.toISOString()).to.equal('2026-03-10T00:00:00.000Z');
    const now = new Date('2026-03-10T00:00:00Z');
    const base = { step: 'shipping', batchId: 'b000000001', when: '2026-03-10T09:00', place: 'commune', commune: '99999', quantity: 'x', party: '', document: '' };
    const read = readStepForm(stepValues(base), now);
    expect(read.problems.map((p) => p.field)).to.deep.equal(['when', 'commune', 'quantity', 'party']);
    const ok = readStepForm(stepValues({ ...base, when: '2026-03-10T06:59', commune: '577', quantity: '2,5', party: 'HTX A' }), now);
    expect(ok.form).to.include({ commune: '00577', quantity: 2.5, party: 'HTX A', document: null });
  });

  it('when scans fall either side of midnight in Vietnam, then they count on Vietnam days; scans outside the window count only in their month', () => {
    const now = new Date('2026-03-10T10:00:00Z'); // 17:00 in Vietnam
    const scan = (iso: string, verdict = 'genuine', clone = false) => ({ product: 'G', time: new Date(iso), place: null, verdict, clone });
    const f = scanFigures([scan('2026-03-09T16:59:00Z'), scan('2026-03-09T17:00:00Z', 'forged'), scan('2026-02-01T00:00:00Z', 'genuine', true)], { now, days: 30, productOfKey: new Map([['G', 'p1']]), productIds: ['p1'] });
    expect(vietnamDay(new Date('2026-03-09T17:00:00Z'))).to.equal('2026-03-10');
    expect(f.days).to.have.length(30);
    expect(f.days.at(-1)).to.deep.equal({ day: '2026-03-10', scans: 1, forged: 1, unknown: 0, clones: 0 });
    expect(f.days.at(-2)).to.include({ day: '2026-03-09', scans: 1 });
    expect(f.total).to.deep.equal({ scans: 2, forged: 1, unknown: 0, clones: 0 });
    expect(f.months.map((m) => m.month)).to.have.length(12).and.include('2025-04').and.include('2026-03');
    expect(f.months.find((m) => m.month === '2026-02')).to.include({ scans: 1, clones: 1 });
    expect(f.products).to.deep.equal([{ product: 'p1', scans: 2, forged: 1, unknown: 0, clones: 0 }]);
  });
});
