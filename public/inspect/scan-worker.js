// Decodes QR codes off the page's thread (a dedicated Web Worker): the scan page
// (app.js) posts camera frames and photos as RGBA pixels and gets back the text read,
// or null. zxing-wasm (ZXing's C++ compiled to WebAssembly) reads as many of the
// test photos as jsQR and zxing together, ten times faster (docs/inspect-app.md), so
// the page asks for zxing alone; jsQR (loaded at once, small) decodes when zxing
// cannot load. Its answer from the server carries a policy allowing WebAssembly
// (src/inspect/inspect.routes.ts); if zxing cannot load, jsQR alone decodes.
//
// A message: { id, width, height, pixels (an ArrayBuffer of RGBA), decoders (in order,
// 'jsqr' and/or 'zxing'), thorough (a photo: try harder, also inverted codes) }.
// The answer: { id, text, decoder, ms, zxing: 'ready' | 'unavailable' | 'not_loaded' }.

self.importScripts('/inspect/app/jsqr.js');

let zxing = null;
let zxingState = 'not_loaded';

function loadZxing() {
  zxing ??= (async () => {
    self.importScripts('/inspect/app/zxing-reader.js');
    const reader = self.ZXingWASM;
    await reader.prepareZXingModule({ overrides: { locateFile: (file) => `/inspect/app/${file}` }, fireImmediately: true });
    zxingState = 'ready';
    return reader;
  })().catch((err) => {
    zxingState = 'unavailable';
    console.warn('zxing-wasm is not available here; jsQR alone decodes', err);
    return null;
  });
  return zxing;
}

async function decodeWith(decoder, image, thorough) {
  if (decoder === 'jsqr') {
    const found = self.jsQR(image.data, image.width, image.height, { inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert' });
    return found?.data || null;
  }
  const reader = await loadZxing();
  if (!reader) return null;
  const results = await reader.readBarcodes(image, {
    formats: ['QRCode'],
    tryHarder: true,
    tryRotate: thorough,
    tryInvert: thorough,
    tryDownscale: true,
    maxNumberOfSymbols: 1,
  });
  return results.find((r) => r.isValid && r.text)?.text ?? null;
}

self.onmessage = async ({ data }) => {
  const { id, width, height, pixels, decoders = ['jsqr', 'zxing'], thorough = false } = data;
  const image = { data: new Uint8ClampedArray(pixels), width, height, colorSpace: 'srgb' };
  const started = performance.now();
  // Without WebAssembly (an old browser, a stricter policy) jsQR stands in for zxing.
  const order = decoders.includes('zxing') && !decoders.includes('jsqr') ? [...decoders, 'jsqr-if-no-zxing'] : decoders;
  for (let decoder of order) {
    if (decoder === 'jsqr-if-no-zxing') {
      if ((await loadZxing()) !== null) break;
      decoder = 'jsqr';
    }
    let text = null;
    try {
      text = await decodeWith(decoder, image, thorough);
    } catch (err) {
      console.warn(`${decoder} failed on a frame`, err);
    }
    if (text) {
      self.postMessage({ id, text, decoder, ms: performance.now() - started, zxing: zxingState });
      return;
    }
  }
  self.postMessage({ id, text: null, decoder: null, ms: performance.now() - started, zxing: zxingState });
};
