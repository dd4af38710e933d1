import { expect } from 'chai';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import request from 'supertest';
import { verificationApp } from '../support/app.js';
import { buildIssuedRun, issueLabel, registerKey } from '../support/kit.js';
import { jsQR } from '../support/scanner.js';

describe('verification from a printed QR code', () => {
  const { keyring, app } = verificationApp();

  it("when a run's labels are rendered as QR images and decoded again, then every decoded URL verifies as genuine", async () => {
    const key = await registerKey('active');
    await keyring.refresh();
    const world = await buildIssuedRun({ gtin: true });
    const labels = await Promise.all([1, 2, 3, 4, 5].map((seq) => issueLabel(world, key, { seq })));
    for (const label of labels) {
      const png = PNG.sync.read(await QRCode.toBuffer(label.url, { errorCorrectionLevel: 'M' }));
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data).to.equal(label.url);
      const url = new URL(decoded!.data);
      const res = await request(app).get(`${url.pathname}${url.search}`).set('Accept', 'application/json').expect(200);
      expect(res.body.verdict).to.equal('genuine');
      expect(res.body.label.serial).to.equal(label.serial);
    }
  });
});
