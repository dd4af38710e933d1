import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { LABELS_PER_PAGE, rollLayout, sheetLayout } from '../../src/labels/print/label-layout.js';
import { validUntilText } from '../../src/labels/print/label-face.js';
import { bearer, buildTestApp, testConfig } from '../support/app.js';
import { issueRunThroughApi } from '../support/kit.js';
import { decodeRegion, parseAndVerifyLabelUrl, rasterisePdf, requirePrintTools, scratchDir, writePng, zbarDecode, jsQR } from '../support/scanner.js';
import { labelRgba, renderZpl } from '../support/zpl.js';

const BASE = 'https://trace.example.vn';
/** The resolution every print format is read back at: a coarse printer, or a scan of a print. */
const DPI = 150;
const PT = DPI / 72; // pixels per point at DPI

/**
 * Every print format of a run, printed at 150 dpi and scanned back: a full A4 sheet of
 * 24 labels, the same 24 labels one per page on roll labels of two sizes, and as ZPL
 * for printers of 152 (6 dots/mm) and 203 dpi. PDFs are rasterised by poppler
 * (pdftoppm, anti-aliased grey, as a print driver renders them); ZPL is rendered dot
 * for dot from the graphics the file holds (test/support/zpl.ts). Each label's QR code
 * is read by jsqr within the label and by zbar, and its URL must be the label's, in
 * order, and verify: signature against the keyring, and `genuine` from the resolver.
 */
describe('printed labels read back: every print format at 150 dpi, every label of a full sheet', function () {
  this.timeout(180_000);
  const app = buildTestApp();
  const keyring = Keyring.open(testConfig());
  let run: Awaited<ReturnType<typeof issueRunThroughApi>>;
  let urls: string[];
  let scratch: ReturnType<typeof scratchDir>;

  before(async () => {
    await requirePrintTools();
    scratch = scratchDir();
    run = await issueRunThroughApi(app, LABELS_PER_PAGE, { gtin: true });
    const csv = await request(app).get(`/api/v1/label-runs/${run.runId}/labels.csv`).set(bearer(run.key)).expect(200);
    urls = csv.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[2]!);
    expect(urls).to.have.length(LABELS_PER_PAGE);
  });

  after(() => scratch?.remove());

  const get = (path: string) => request(app).get(path).set(bearer(run.key)).responseType('blob');
  const getJson = (path: string) => request(app).get(path).set(bearer(run.key));

  /** Each decoded URL is the label's, verifies, and the resolver reads it genuine. */
  async function expectGenuine(decoded: (string | null)[], what: string) {
    expect(decoded, `${what}: jsqr, label by label`).to.deep.equal(urls);
    for (const url of urls) {
      const label = await parseAndVerifyLabelUrl(keyring, BASE, url);
      expect(label.lot).to.equal(run.batch.lotCode);
      const u = new URL(url);
      const verdict = await request(app).get(`${u.pathname}${u.search}`).set('Accept', 'application/json').expect(200);
      expect(verdict.body.verdict, `${what}: ${url}`).to.equal('genuine');
    }
  }

  it('when the A4 sheet is printed at 150 dpi, then each of its 24 labels decodes to its URL with jsqr and zbar, and every one verifies', async () => {
    const res = await get(`/api/v1/label-runs/${run.runId}/sheet.pdf`).expect(200);
    const [page, ...more] = await rasterisePdf(res.body as Buffer, DPI, scratch.dir);
    expect(more).to.have.length(0);
    const layout = sheetLayout();
    const { qr } = layout.label;
    const decoded = urls.map((_, slot) => {
      const o = layout.origin(slot);
      return decodeRegion(page!.png, (o.x + qr.x) * PT, (o.y + qr.y) * PT, qr.side * PT, qr.side * PT);
    });
    await expectGenuine(decoded, 'A4 sheet');
    expect((await zbarDecode([page!.file])).sort(), 'zbar, the whole page').to.deep.equal([...urls].sort());
  });

  for (const size of [
    { query: 'format=roll', width: 60, height: 40, lang: 'vi-en' },
    { query: 'format=roll&width=50&height=30&lang=vi', width: 50, height: 30, lang: 'vi' },
  ]) {
    it(`when the roll labels of ${size.width} × ${size.height} mm (${size.lang}) are printed at 150 dpi, then there is one page per label, the size of the label, and each decodes to its URL and verifies`, async () => {
      const res = await get(`/api/v1/label-runs/${run.runId}/sheet.pdf?${size.query}`).expect(200);
      expect(res.type).to.equal('application/pdf');
      const pages = await rasterisePdf(res.body as Buffer, DPI, scratch.dir);
      expect(pages).to.have.length(LABELS_PER_PAGE);
      const mm = (v: number) => Math.ceil((v * DPI) / 25.4); // pdftoppm rounds a page up to whole pixels
      for (const p of pages) expect([p.png.width, p.png.height]).to.deep.equal([mm(size.width), mm(size.height)]);
      const { qr } = rollLayout(size.width, size.height).label;
      expect(qr.side / (72 / 25.4)).to.be.at.least(26);
      // jsqr reads the whole label (text and all), as a phone sees it.
      await expectGenuine(pages.map((p) => jsQR(new Uint8ClampedArray(p.png.data), p.png.width, p.png.height)?.data ?? null), `roll ${size.width}×${size.height}`);
      expect(await zbarDecode(pages.map((p) => p.file)), 'zbar, page by page').to.deep.equal(urls);
    });
  }

  for (const dpmm of [6, 8]) {
    it(`when the ZPL for a ${Math.round(dpmm * 25.4)} dpi printer is printed dot for dot, then each label holds its serial, its QR code decodes to its URL with jsqr and zbar, and every one verifies`, async () => {
      const res = await request(app).get(`/api/v1/label-runs/${run.runId}/labels.zpl?dpmm=${dpmm}`).set(bearer(run.key)).expect(200);
      expect(res.type).to.equal('text/plain');
      expect(res.headers['content-disposition']).to.match(/\.zpl"$/);
      const { labels, stored, deleted } = renderZpl(res.text);
      expect(labels).to.have.length(LABELS_PER_PAGE);
      // The run's text is downloaded once, recalled on every label and deleted at the end.
      expect(stored).to.have.length(1);
      expect(deleted).to.deep.equal(stored);
      const files: string[] = [];
      const decoded = labels.map((l, i) => {
        expect([l.width, l.height], `label ${i}`).to.deep.equal([60 * dpmm, 40 * dpmm]);
        expect(l.graphics.filter((g) => g.stored === stored[0])).to.have.length(1);
        files.push(writePng(path.join(scratch.dir, `zpl-${dpmm}-${i}.png`), l.width, l.height, labelRgba(l)));
        return jsQR(labelRgba(l), l.width, l.height)?.data ?? null;
      });
      await expectGenuine(decoded, `ZPL ${dpmm} dots/mm`);
      expect(await zbarDecode(files), 'zbar, label by label').to.deep.equal(urls);
      // Each label names its serial, the one in its QR code.
      expect(labels.map((l) => l.comments)).to.deep.equal(urls.map((u) => [`label ${new URL(u).pathname.split('/').at(-1)}`]));
    });
  }

  it('when a label is printed, then it says until when it is valid in words and digits, "Quét để xác thực / Scan to verify" and who made it, in the language asked for', async () => {
    const validUntil = new URL(urls[0]!).searchParams.get('v')!;
    const words = validUntilText(validUntil);
    expect(words.vi).to.match(/^Hiệu lực đến \d{2}\/\d{2}\/20\d{2}$/);
    expect(words.en).to.match(/^Valid until \d{1,2}\u00a0(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\u00a020\d{2}$/);
    const textOf = async (query: string) => {
      const res = await get(`/api/v1/label-runs/${run.runId}/sheet.pdf?${query}`).expect(200);
      const pdf = await getDocument({ data: new Uint8Array(res.body as Buffer), verbosity: 0 }).promise;
      const items = (await (await pdf.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : ''));
      await pdf.destroy();
      return items.join(' ').replace(/\s+/g, ' '); // lines that wrapped read as one
    };
    const en = words.en.replaceAll('\u00a0', ' ');
    const both = await textOf('format=a4');
    for (const expected of [words.vi, en, 'Quét để xác thực /', 'Scan to verify', run.producer.name, 'Lô / Lot:', 'Số sê-ri / Serial:']) {
      expect(both, expected).to.contain(expected);
    }
    const vi = await textOf('format=roll&width=50&height=30&lang=vi');
    expect(vi).to.contain(words.vi).and.contain('Quét để xác thực').and.contain(run.producer.name.split(' ')[0]!).and.not.contain('Valid until');
    const english = await textOf('format=roll&lang=en');
    expect(english).to.contain(en).and.contain('Scan to verify').and.not.contain('Hiệu lực');
    expect(english).to.contain('Ba Vi wild honey'); // the English name
  });

  it('when a label size is too small for the text in the language asked, then 400 label/size_too_small says what fits; bounds and formats are checked', async () => {
    const small = await getJson(`/api/v1/label-runs/${run.runId}/sheet.pdf?format=roll&width=50&height=30`).expect(400);
    expect(small.body.error.code).to.equal('label/size_too_small');
    expect(small.body.error.details).to.include({ width: 50, height: 30, lang: 'vi-en' });
    expect(small.body.error.details.fitsWithLang).to.deep.equal(['vi', 'en']);
    const minWidth = small.body.error.details.minWidth as number;
    expect(minWidth).to.be.within(51, 80);
    expect(small.body.error.message).to.contain('lang=vi').and.contain(`width=${minWidth}`);
    await get(`/api/v1/label-runs/${run.runId}/sheet.pdf?format=roll&width=${minWidth}&height=30`).expect(200);
    await getJson(`/api/v1/label-runs/${run.runId}/sheet.pdf?format=roll&width=${minWidth - 1}&height=30`).expect(400);
    const zpl = await request(app).get(`/api/v1/label-runs/${run.runId}/labels.zpl?width=50&height=30`).set(bearer(run.key)).expect(400);
    expect(zpl.body.error.code).to.equal('label/size_too_small');

    for (const [query, message] of [
      ['format=roll&width=40', 'width is at least 50 mm'],
      ['format=roll&height=200', 'height is at most 150 mm'],
      ['width=60', 'width and height go with format=roll'],
      ['format=letter', 'format is a4'],
      ['lang=fr', 'lang is one of'],
    ] as const) {
      const res = await getJson(`/api/v1/label-runs/${run.runId}/sheet.pdf?${query}`).expect(400);
      expect(res.body.error.code, query).to.equal('request/invalid');
      expect(res.body.error.message, query).to.contain(message);
    }
    const dpmm = await request(app).get(`/api/v1/label-runs/${run.runId}/labels.zpl?dpmm=7`).set(bearer(run.key)).expect(400);
    expect(dpmm.body.error.message).to.contain('6, 8, 12, 24');
  });
});
