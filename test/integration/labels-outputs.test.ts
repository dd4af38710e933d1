import { expect } from 'chai';
import request from 'supertest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createCanvas } from '@napi-rs/canvas';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LABELS_PER_PAGE, SHEET } from '../../src/labels/print/label-layout.js';
import { minPngSize } from '../../src/labels/print/qr-png.js';
import { apiKeyFor, bearer, buildTestApp, testConfig } from '../support/app.js';
import { buildLabelledBatch, issueRunThroughApi } from '../support/kit.js';
import { decodeQrPng, jsQR, parseAndVerifyLabelUrl } from '../support/scanner.js';
import { PNG } from 'pngjs';

const BASE = 'https://trace.example.vn';

describe('label outputs: QR images, PDF sheet, printer CSV', function () {
  this.timeout(120_000);
  const app = buildTestApp();
  const keyring = Keyring.open(testConfig());

  const issuedRun = (count: number, opts: { stars?: number; gtin?: boolean } = {}) => issueRunThroughApi(app, count, opts);

  it('when each label of a run is rendered as PNG and decoded, then the text is the label URL and its signature verifies', async () => {
    const { key, runId, batch, product } = await issuedRun(6, { gtin: true });
    const labels = await LabelModel.find({ runId }).sort({ seq: 1 }).lean();
    for (const l of labels) {
      const png = await request(app).get(`/api/v1/labels/${l._id}.png?size=300`).set(bearer(key)).responseType('blob').expect(200);
      expect(png.type).to.equal('image/png');
      expect(PNG.sync.read(png.body as Buffer).width).to.equal(300);
      const text = decodeQrPng(png.body as Buffer);
      expect(text, `label ${l.seq} decodes`).to.be.a('string');
      const json = await request(app).get(`/api/v1/labels/${l._id}`).set(bearer(key)).expect(200);
      expect(text).to.equal(json.body.url);
      const label = await parseAndVerifyLabelUrl(keyring, BASE, text!);
      expect(label).to.deep.include({ serial: l._id, lot: batch.lotCode, stars: 4, product: { kind: 'gtin', gtin: product.gtin } });
    }
  });

  it('when a label is asked for as SVG, then it is an SVG QR; a PNG size out of bounds is refused with 400', async () => {
    const { key, runId } = await issuedRun(1);
    const label = (await LabelModel.findOne({ runId }).lean())!;
    const svg = await request(app).get(`/api/v1/labels/${label._id}.svg`).set(bearer(key)).responseType('blob').expect(200);
    expect(svg.type).to.equal('image/svg+xml');
    expect((svg.body as Buffer).toString('utf8')).to.match(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    const big = await request(app).get(`/api/v1/labels/${label._id}.png?size=5000`).set(bearer(key)).expect(400);
    expect(big.body.error.message).to.contain('size is at most 2048 px');
  });

  it('when a PNG is asked for below the smallest size that scans, then 400 label/png_too_small names that size; at that size it decodes and verifies', async () => {
    const { key, runId } = await issuedRun(1, { gtin: true });
    const label = (await LabelModel.findOne({ runId }).lean())!;
    const url = (await request(app).get(`/api/v1/labels/${label._id}`).set(bearer(key)).expect(200)).body.url as string;
    const { minSize, modules } = minPngSize(url);
    expect(minSize).to.be.within(100, 160);
    for (const size of [64, 100, minSize - 1]) {
      const res = await request(app).get(`/api/v1/labels/${label._id}.png?size=${size}`).set(bearer(key)).expect(400);
      expect(res.body.error.code, `size ${size}`).to.equal('label/png_too_small');
      expect(res.body.error.details).to.deep.equal({ minSize, modules });
      expect(res.body.error.message).to.contain(`size=${minSize}`);
    }
    const png = await request(app).get(`/api/v1/labels/${label._id}.png?size=${minSize}`).set(bearer(key)).responseType('blob').expect(200);
    expect(PNG.sync.read(png.body as Buffer).width).to.equal(minSize);
    const text = decodeQrPng(png.body as Buffer);
    expect(text).to.equal(url);
    await parseAndVerifyLabelUrl(keyring, BASE, text!);
  });

  it("when another producer's key asks for a label or a sheet, then 403", async () => {
    const { runId } = await issuedRun(1);
    const label = (await LabelModel.findOne({ runId }).lean())!;
    const strangerKey = await apiKeyFor('producer', (await buildLabelledBatch()).producer._id);
    await request(app).get(`/api/v1/labels/${label._id}.png`).set(bearer(strangerKey)).expect(403);
    await request(app).get(`/api/v1/label-runs/${runId}/sheet.pdf`).set(bearer(strangerKey)).expect(403);
    await request(app).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(strangerKey)).expect(403);
  });

  it('when the sheet of a 1,000-label run is read back, then it has one page per 24 labels and every serial is printed', async () => {
    const { key, runId } = await issuedRun(1000, { stars: 5 });
    const res = await request(app).get(`/api/v1/label-runs/${runId}/sheet.pdf`).set(bearer(key)).responseType('blob').expect(200);
    expect(res.type).to.equal('application/pdf');
    const pdf = await getDocument({ data: new Uint8Array(res.body as Buffer), verbosity: 0 }).promise;
    expect(pdf.numPages).to.equal(Math.ceil(1000 / LABELS_PER_PAGE));
    let text = '';
    for (let p = 1; p <= pdf.numPages; p++) {
      const content = await (await pdf.getPage(p)).getTextContent();
      text += content.items.map((i) => ('str' in i ? i.str : '')).join('\n');
    }
    const serials = (await LabelModel.find({ runId }, { _id: 1 }).lean()).map((l) => l._id);
    expect(serials).to.have.length(1000);
    const missing = serials.filter((s) => !text.includes(s));
    expect(missing, 'serials missing from the sheet').to.deep.equal([]);
    // Vietnamese names survive (the embedded font has the diacritics) and 5★ carries the OCOP mark.
    expect(text).to.contain('Mật ong rừng Ba Vì');
    expect(text).to.contain('OCOP');
    await pdf.destroy();
  });

  it('when the first page of a sheet is rendered and scanned, then every QR code on it reads as its label URL', async () => {
    const { key, runId } = await issuedRun(LABELS_PER_PAGE);
    const pdfRes = await request(app).get(`/api/v1/label-runs/${runId}/sheet.pdf`).set(bearer(key)).responseType('blob').expect(200);
    const csv = await request(app).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(key)).expect(200);
    const urls = csv.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[2]);

    const pdf = await getDocument({ data: new Uint8Array(pdfRes.body as Buffer), verbosity: 0 }).promise;
    const page = await pdf.getPage(1);
    const scale = 4; // ≈ 290 dpi, about what a phone camera resolves at a hand's distance
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    // pdfjs types its render target as the DOM canvas; @napi-rs/canvas implements the same 2D API.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
    const px = (mm: number) => Math.round((mm * 72 * scale) / 25.4);
    const decoded: (string | null)[] = [];
    for (let slot = 0; slot < LABELS_PER_PAGE; slot++) {
      const x = SHEET.marginXMm + (slot % SHEET.columns) * SHEET.labelWidthMm + SHEET.paddingMm;
      const y = SHEET.marginYMm + Math.floor(slot / SHEET.columns) * SHEET.labelHeightMm + SHEET.paddingMm;
      const image = context.getImageData(px(x), px(y), px(SHEET.qrMm), px(SHEET.qrMm));
      decoded.push(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null);
    }
    expect(decoded).to.deep.equal(urls);
    await pdf.destroy();
  });

  it('when the sheet is for a 2★ product, then the stars are printed without the OCOP mark', async () => {
    const { key, runId } = await issuedRun(2, { stars: 2 });
    const res = await request(app).get(`/api/v1/label-runs/${runId}/sheet.pdf`).set(bearer(key)).responseType('blob').expect(200);
    const pdf = await getDocument({ data: new Uint8Array(res.body as Buffer), verbosity: 0 }).promise;
    const content = await (await pdf.getPage(1)).getTextContent();
    const text = content.items.map((i) => ('str' in i ? i.str : '')).join('\n');
    expect(text).to.contain('Số sê-ri');
    expect(text).not.to.contain('OCOP');
    await pdf.destroy();
  });

  it('when the printer CSV of a run is downloaded, then it has a header and one row per label whose URL verifies', async () => {
    const { key, runId, batch } = await issuedRun(50);
    const res = await request(app).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(key)).expect(200);
    expect(res.type).to.equal('text/csv');
    const lines = res.text.split('\r\n').filter(Boolean);
    expect(lines[0]).to.equal('seq,serial,url,lot,stars,valid_until');
    expect(lines).to.have.length(51);
    for (const [i, line] of lines.slice(1).entries()) {
      const [seq, serial, url, lot, stars, validUntil] = line.split(',');
      expect(Number(seq)).to.equal(i + 1);
      const label = await parseAndVerifyLabelUrl(keyring, BASE, url!);
      expect(label).to.deep.include({ serial, lot, stars: Number(stars), validUntil });
      expect(lot).to.equal(batch.lotCode);
    }
  });
});
