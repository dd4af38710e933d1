import { expect } from 'chai';
import { randomBytes, randomInt } from 'node:crypto';
import { layoutFace, LABEL_LANGS, MIN_TYPE, validUntilText, wrap, type Measure } from '../../src/labels/print/label-face.js';
import { faceFits, measureText } from '../../src/labels/print/label-sheet.js';
import { rollLayout, sheetLayout } from '../../src/labels/print/label-layout.js';
import { compressZplHex, qrBitmap, repeatCount, type Bitmap } from '../../src/labels/print/label-zpl.js';
import { qrMatrix } from '../../src/labels/print/qr.js';
import { decompressZplHex } from '../support/zpl.js';

const header = {
  title: 't',
  productName: { vi: 'Mật ong rừng Ba Vì – hũ thủy tinh 250 g loại đặc biệt', en: 'Ba Vi wild honey – 250 g glass jar' },
  producerName: 'Hợp tác xã Nông nghiệp và Dịch vụ Tổng hợp Ba Vì',
  lot: 'MO-2025-09A',
};

describe('label text', () => {
  it('when a valid-until date is printed, then it reads in words and digits in both languages, the English date kept on one line', () => {
    expect(validUntilText('281231')).to.deep.equal({ vi: 'Hiệu lực đến 31/12/2028', en: 'Valid until 31\u00a0Dec\u00a02028' });
    expect(validUntilText('270105')).to.deep.equal({ vi: 'Hiệu lực đến 05/01/2027', en: 'Valid until 5\u00a0Jan\u00a02027' });
    const months = Array.from({ length: 12 }, (_, m) => validUntilText(`30${String(m + 1).padStart(2, '0')}01`).en.split('\u00a0')[1]);
    expect(months).to.deep.equal(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
  });

  it('when a long name is wrapped, then it keeps to its lines and ends in "…"; a text that must be whole and does not fit is refused', () => {
    const measure: Measure = (t, _f, size) => t.length * size * 0.5;
    expect(wrap('one two three four five six', 'bold', 10, 60, 2, true, measure)).to.deep.equal(['one two', 'three four…']);
    expect(wrap('one two', 'bold', 10, 60, 2, true, measure)).to.deep.equal(['one two']);
    expect(wrap('Valid until 14\u00a0Jun\u00a02028', 'sans', 10, 50, 2, false, measure)).to.equal(null);
    expect(wrap('Valid until 14\u00a0Jun\u00a02028', 'sans', 10, 60, 2, false, measure)).to.deep.equal(['Valid until', '14\u00a0Jun\u00a02028']);
  });

  it('when the A4 sheet and the default roll label are laid out in each language, then every line of text lies inside the column', () => {
    for (const layout of [sheetLayout(), rollLayout(60, 40)]) {
      const col = layout.label.column;
      for (const lang of LABEL_LANGS) {
        expect(faceFits(layout.label, { ...header, lang }), `${layout.kind} ${lang}`).to.equal(true);
        const face = layoutFace(col, { ...header, stars: 5, validUntil: '280930', serialLength: 16 }, lang, measureText)!;
        expect(face.size).to.be.at.least(MIN_TYPE);
        for (const op of face.ops) {
          if (op.kind !== 'text') continue;
          expect(op.x + measureText(op.text, op.font, op.size), op.text).to.be.at.most(col.x + col.width + 1e-6);
          expect(op.y, op.text).to.be.at.most(col.y + col.height);
        }
      }
    }
    // 50 × 30 mm holds one language, not both.
    expect(faceFits(rollLayout(50, 30).label, { ...header, lang: 'vi' })).to.equal(true);
    expect(faceFits(rollLayout(50, 30).label, { ...header, lang: 'vi-en' })).to.equal(false);
  });
});

describe('ZPL graphics', () => {
  const bitmap = (width: number, height: number, fill: (x: number, y: number) => boolean): Bitmap => {
    const rowBytes = Math.ceil(width / 8);
    const data = new Uint8Array(rowBytes * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (fill(x, y)) data[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    return { width, height, rowBytes, data };
  };

  it('when a repeat count is written, then it spells the count in ZPL letters', () => {
    expect(repeatCount(7)).to.equal('M');
    expect(repeatCount(40)).to.equal('h');
    expect(repeatCount(327)).to.equal('vM');
    expect(repeatCount(400)).to.equal('z');
    expect(repeatCount(821)).to.equal('zzgG');
  });

  it('when graphics are compressed and read back, then every dot is as it was: blank, full, repeated and random rows, long runs, odd widths', () => {
    const cases: Bitmap[] = [
      bitmap(8, 3, () => false),
      bitmap(16, 2, () => true),
      bitmap(13, 5, (x) => x < 4),
      bitmap(3300, 4, (x, y) => (y % 2 ? x > 1700 : x < 10)),
      bitmap(100, 40, (x, y) => ((x >> 2) + (y >> 3)) % 2 === 0),
      bitmap(77, 61, () => randomInt(2) === 1),
    ];
    const random = bitmap(240, 90, () => false);
    random.data.set(randomBytes(random.data.length));
    cases.push(random);
    for (const b of cases) {
      const text = compressZplHex(b);
      expect(text).to.match(/^[0-9A-FG-Yg-z,!:]*$/);
      expect(Buffer.from(decompressZplHex(text, b.rowBytes * b.height, b.rowBytes)).equals(Buffer.from(b.data)), `${b.width} × ${b.height}`).to.equal(true);
    }
    // Compression pays: a blank row is one character, a repeated row one.
    expect(compressZplHex(bitmap(400, 10, () => false))).to.equal(',:::::::::');
  });

  it("when a label's QR code is drawn for ZPL, then it is the label's symbol with whole dots per module and its quiet zone inside the box", () => {
    const url = `https://trace.example.vn/01/08936045120019/10/MO-2025-09A/21/ACDEFGHJKMNPQRTU?s=4&v=280614&k=1PQSLId9&sig=${randomBytes(64).toString('base64url')}`;
    const { size, data } = qrMatrix(url);
    for (const side of [130, 199, 266]) {
      const { bitmap: b, offset, dotsPerModule: m } = qrBitmap(url, side);
      expect(m).to.equal(Math.floor(side / (size + 8)));
      expect(offset).to.be.at.least(4 * m);
      expect(b.width).to.equal(size * m);
      for (let y = 0; y < b.height; y++) {
        for (let x = 0; x < b.width; x++) {
          const dot = (b.data[y * b.rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
          if (dot !== data[Math.floor(y / m) * size + Math.floor(x / m)]) expect.fail(`dot ${x},${y} at ${side}`);
        }
      }
    }
  });
});
