import { expect } from 'chai';
import { formatDay, formatInstant } from '../../src/display-dates.js';
import { quantityText } from '../../src/batches/unit-words.js';
import { amountWords } from '../../src/verify/page/verify.presenter.js';
import { formatInstant as browserFormatInstant } from '../../public/verify-offline.js';

describe('the verification page’s words for dates and quantities', () => {
  it('when a day or an instant is written, then it reads one way per language, instants in Vietnam time', () => {
    expect(formatDay(new Date('2025-10-02T00:00:00Z'), 'vi')).to.equal('02/10/2025');
    expect(formatDay(new Date('2025-10-02T00:00:00Z'), 'en')).to.equal('2 Oct 2025');
    // A valid-until is the end of its day in UTC: still that day.
    expect(formatDay(new Date('2029-06-14T23:59:59.999Z'), 'vi')).to.equal('14/06/2029');
    // 20:13 UTC is 03:13 the next morning in Vietnam.
    expect(formatInstant(new Date('2026-12-01T20:13:00Z'), 'vi')).to.equal('03:13 02/12/2026');
    expect(formatInstant(new Date('2026-12-01T20:13:00Z'), 'en')).to.equal('2 Dec 2026, 03:13');
  });

  it('when the browser writes the time its keys were saved, then it writes it as the server writes instants', () => {
    for (const iso of ['2026-12-01T20:13:00Z', '2025-01-31T16:59:00Z', '2024-02-29T17:00:00Z', '2026-07-04T05:07:00Z']) {
      for (const lang of ['vi', 'en'] as const) expect(browserFormatInstant(new Date(iso), lang), `${iso} ${lang}`).to.equal(formatInstant(new Date(iso), lang));
    }
  });

  it('when a batch or a journey step counts pieces, then they read in the batch’s unit and the page’s language', () => {
    expect(quantityText(120, 'jar', 'vi')).to.equal('120 hũ');
    expect(quantityText(120, 'jar', 'en')).to.equal('120 jars');
    expect(quantityText(1, 'jar', 'en')).to.equal('1 jar');
    expect(quantityText(1500, 'kg', 'vi')).to.equal('1.500 kg');
    expect(amountWords('jar', 'vi')('120 pcs')).to.equal('120 hũ');
    expect(amountWords('jar', 'en')('120 pcs, 3 kg')).to.equal('120 jars, 3 kg');
    expect(amountWords('kg', 'vi')('12 pcs')).to.equal('12 cái');
    expect(amountWords('kg', 'en')('1 pcs')).to.equal('1 piece');
    expect(amountWords('bottle', 'vi')('2 l')).to.equal('2 lít');
  });
});
