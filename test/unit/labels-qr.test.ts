import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import zlib from 'node:zlib';
import { qrMatrix, qrSegments } from '../../src/labels/print/qr.js';
import { labelQrPng, MIN_PNG_MODULE_PX, minPngSize } from '../../src/labels/print/qr-png.js';
import { PNG } from 'pngjs';
import { jsQR } from '../support/scanner.js';
import { qrPageStream } from '../../src/labels/print/qr-page.js';
import { qrPageResult, qrPageStreamOffThread, queueQrPage } from '../../src/labels/print/qr-workers.js';
import { csvField, csvLine } from '../../src/labels/print/label-csv.js';
import { newSerial } from '../../src/labels/format/serial.js';

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
});

describe('page QR streams', () => {
  const job = { urls: someUrls.slice(0, 24), origins: someUrls.slice(0, 24).map((_, i): [number, number] => [25 + (i % 3) * 181, 35 + i * 4]), side: 85 };

  it('when a page is built on a worker thread, then its stream is byte for byte the one built here', async () => {
    const [a, b] = await Promise.all([qrPageStreamOffThread(job), qrPageStreamOffThread({ ...job, urls: job.urls.slice(1) })]);
    expect(a.equals(qrPageStream(job))).to.equal(true);
    expect(b.equals(qrPageStream({ ...job, urls: job.urls.slice(1) }))).to.equal(true);
  });

  it('when pages are shared between the worker and this thread, then each page gets its own stream, byte for byte the one built here', async () => {
    const jobs = Array.from({ length: 8 }, (_, n) => ({ ...job, urls: job.urls.slice(n) }));
    const tasks = jobs.map((j) => queueQrPage(j));
    for (const [n, task] of tasks.entries()) expect((await qrPageResult(task)).equals(qrPageStream(jobs[n]!))).to.equal(true);
  });

  it('when a page stream is read back, then each code is placed past its quiet zone and its mask holds exactly the dark modules', () => {
    const content = zlib.inflateSync(qrPageStream(job)).toString('latin1');
    const codes = [...content.matchAll(/q (\S+) 0 0 (\S+) (\S+) (\S+) cm\nBI \/IM true \/W (\d+) \/H (\d+) \/D \[1 0\] \/F \/AHx ID\n([0-9a-f\n]+)>\nEI Q\n/g)];
    expect(codes).to.have.length(24);
    codes.forEach(([, a, d, e, f, w, h, hex], i) => {
      const { size, data } = qrMatrix(job.urls[i]!);
      const width = (job.side / (size + 8)) * size;
      const [x, y] = job.origins[i]!;
      const quiet = (job.side - width) / 2;
      // Flipped for the page's downward y axis: the mask's first row is the symbol's top.
      expect([a, d, e, f]).to.deep.equal([width.toFixed(3), (-width).toFixed(3), (x + quiet).toFixed(3), (y + quiet + width).toFixed(3)]);
      expect([Number(w), Number(h)]).to.deep.equal([size, size]);
      const rows = hex!.trim().split('\n');
      expect(rows).to.have.length(size);
      const bits = rows.flatMap((row) => [...Buffer.from(row, 'hex')].flatMap((byte) => Array.from({ length: 8 }, (_, b) => (byte >> (7 - b)) & 1)).slice(0, size));
      expect(Buffer.from(bits).equals(Buffer.from(data))).to.equal(true);
    });
  });
});

describe('label PNGs', () => {
  const sig = randomBytes(64).toString('base64url');
  // Versions 9, 10 and 11: the label URLs of a short and of a long PUBLIC_BASE_URL.
  const urls = [
    `https://trace.example.vn/01/08936045120019/10/MO-2025-09A/21/${newSerial()}?s=4&v=280614&k=1PQSLId9&sig=${sig}`,
    `https://truyxuat.ocop.gov.vn/p/k3v9x0m2qa/10/mo-2025-09a_lot12/21/${newSerial()}?s=4&v=280614&k=1PQSLId9&sig=${sig}`,
    `https://truy-xuat-nguon-goc.ocop.example.gov.vn/verify/01/08936045120019/10/mo-2025-09a_longlot12/21/Q7fK2mX9pL4sT?s=4&v=280614&k=1PQSLId9&sig=${sig}`,
  ];
  const decode = (png: Buffer) => {
    const image = PNG.sync.read(png);
    return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null;
  };

  it('when a label PNG is made at every size from the smallest offered to twice that, then each is that size and decodes to the label URL', function () {
    this.timeout(60_000);
    const modules = urls.map((u) => minPngSize(u).modules);
    expect(modules).to.deep.equal([53, 57, 61]);
    for (const url of urls) {
      const { minSize, modules: n } = minPngSize(url);
      expect(minSize).to.equal((n + 8) * MIN_PNG_MODULE_PX);
      const failing: number[] = [];
      // Every size up to the next whole pixel per module and beyond: every width of the leftover quiet zone.
      for (let size = minSize; size <= 2 * minSize; size++) {
        const png = labelQrPng(url, size);
        expect(PNG.sync.read(png).width).to.equal(size);
        if (decode(png) !== url) failing.push(size);
      }
      expect(failing, `${n} modules: sizes that do not decode`).to.deep.equal([]);
    }
  });

  it('when the smallest PNG offered is halved (1 px per module), then it still decodes: the bound has a margin of two', () => {
    for (const url of urls) expect(decode(labelQrPng(url, minPngSize(url).minSize / 2))).to.equal(url);
  });

  it('when a PNG is read back, then it is the same symbol as the sheet prints: each module a square of whole pixels past a quiet zone of at least 4 modules', () => {
    const url = urls[0]!;
    const { size: n, data } = qrMatrix(url);
    const size = 301;
    const px = Math.floor(size / (n + 8));
    const image = PNG.sync.read(labelQrPng(url, size));
    const offset = Math.floor((size - n * px) / 2);
    expect(offset).to.be.at.least(4 * px);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = x >= offset && y >= offset && x < offset + n * px && y < offset + n * px;
        const dark = inside && data[Math.floor((y - offset) / px) * n + Math.floor((x - offset) / px)] === 1;
        if (image.data[(y * size + x) * 4] !== (dark ? 0 : 255)) expect.fail(`pixel ${x},${y}`);
      }
    }
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
