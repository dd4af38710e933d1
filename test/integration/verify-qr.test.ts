import { expect } from 'chai';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { testConfig } from '../support/app.js';
import { buildWorld, issueLabel, registerKey } from './verify-fixtures.js';

// jsqr is CommonJS with an ES-style default export in its typings: under NodeNext the function sits on .default.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

describe('verification from a printed QR code', () => {
  const config = testConfig();
  const keyring = Keyring.open(config);
  const app = createApp({ config, logger: createLogger('silent'), keyring, scans: new ScanRecorder({ flushMs: 60_000 }) });

  it("when a run's labels are rendered as QR images and decoded again, then every decoded URL verifies as genuine", async () => {
    const key = await registerKey('active');
    await keyring.refresh();
    const world = await buildWorld({ gtin: true });
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
