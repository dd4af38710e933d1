import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { darkRunsOf, qrDarkRuns, qrMatrix, qrSegments } from '../../src/labels/qr.js';
import { csvField, csvLine } from '../../src/labels/label-csv.js';
import { newSerial } from '../../src/labels/serial.js';

const someUrls = Array.from({ length: 60 }, (_, i) => {
  const head = i % 2 ? '01/08936045120015' : 'p/k3v9x0m2qa';
  const lot = i % 3 ? `LOT-2025-${i}` : `lo.${i}_b`;
  return `https://trace.example.vn/${head}/10/${lot}/21/${newSerial()}?s=${(i % 5) + 1}&v=280615&k=AbC-_fGh&sig=${randomBytes(64).toString('base64url')}`;
});

describe('label QR symbols', () => {
  it('when the sheet builds a QR matrix, then it is exactly the symbol the qrcode library makes for the same segments', () => {
    for (const url of someUrls) {
      const lib = QRCode.create(qrSegments(url), { errorCorrectionLevel: 'M' });
      const mine = qrMatrix(url);
      expect(mine.maskPattern, url).to.equal(lib.maskPattern);
      expect(Buffer.from(mine.data).equals(Buffer.from(lib.modules.data)), url).to.equal(true);
    }
  });

  it('when a URL is split into segments, then they spell the URL and the symbol is never larger than the library would make', () => {
    for (const url of someUrls) {
      const segments = qrSegments(url);
      expect(segments.map((s) => (Buffer.isBuffer(s.data) ? s.data.toString('latin1') : String(s.data))).join('')).to.equal(url);
      const ours = QRCode.create(segments, { errorCorrectionLevel: 'M' }).version;
      expect(ours).to.be.at.most(QRCode.create(url, { errorCorrectionLevel: 'M' }).version);
    }
  });

  it('when dark modules are merged into runs, then the runs cover exactly the dark modules', () => {
    expect(darkRunsOf([1, 1, 0, 1, 0, 0, 1, 1, 1], 3)).to.deep.equal([
      [0, 0, 2],
      [1, 0, 1],
      [2, 0, 3],
    ]);
    const url = someUrls[0]!;
    const { size, runs } = qrDarkRuns(url);
    const rebuilt = new Uint8Array(size * size);
    for (const [r, c, len] of runs) rebuilt.fill(1, r * size + c, r * size + c + len);
    expect(Buffer.from(rebuilt).equals(Buffer.from(qrMatrix(url).data))).to.equal(true);
  });
});

describe('printer CSV fields', () => {
  it('when a field holds a comma, quote or line break, then it is quoted with quotes doubled; otherwise it is left alone', () => {
    expect(csvField('LOT-1')).to.equal('LOT-1');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    expect(csvLine({ seq: 1, serial: 'S', url: 'https://x/y?a=1&b=2', lot: 'L,1', stars: 3, valid_until: '280615' })).to.equal(
      '1,S,https://x/y?a=1&b=2,"L,1",3,280615\r\n',
    );
  });
});
