import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import jsQRModule from 'jsqr';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/**
 * The two QR decoders a label photo is tried with, on RGBA pixels already scaled
 * (photo-decode.service.ts does the scaling with sharp). CPU-bound: they run on the
 * decode worker thread (photo-decode-worker.ts) and in scripts/bench/photo-decode.ts,
 * never on the event loop of the service.
 *
 * zxing-wasm (the C++ ZXing compiled to WebAssembly) reads far more real photos than
 * jsQR, and faster (docs/api.md "Photo decode" has the figures); jsQR is tried after it
 * on a smaller copy, where it finds the odd code zxing misses.
 */
export type Pixels = { data: Uint8ClampedArray; width: number; height: number };

// jsqr is CommonJS whose typings declare an ES default export: at run time the module is the function.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

export function decodeWithJsqr(p: Pixels): string[] {
  const found = jsQR(p.data, p.width, p.height, { inversionAttempts: 'attemptBoth' });
  return found?.data ? [found.data] : [];
}

let zxingReady: Promise<unknown> | null = null;

/** The WebAssembly module from the package's own file: no network, and the same bytes under tsx, a bundle or dist/. */
function zxing(): Promise<unknown> {
  if (!zxingReady) {
    // Bundled into the worker's script (photo-decode-workers.ts) import.meta.url is gone: resolve from the working directory then.
    const from = import.meta.url || pathToFileURL(path.join(process.cwd(), 'package.json')).href;
    const wasm = fs.readFileSync(createRequire(from).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    zxingReady = prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer },
      fireImmediately: true,
    });
  }
  return zxingReady;
}

export async function decodeWithZxing(p: Pixels): Promise<string[]> {
  await zxing();
  const results = await readBarcodes(
    { data: p.data, width: p.width, height: p.height, colorSpace: 'srgb' } as ImageData,
    { formats: ['QRCode'], tryHarder: true, tryRotate: true, tryInvert: false, tryDownscale: true, maxNumberOfSymbols: 4 },
  );
  return results.filter((r) => r.isValid && r.text).map((r) => r.text);
}

export const DECODERS = { jsqr: decodeWithJsqr, zxing: decodeWithZxing } as const;
export type DecoderName = keyof typeof DECODERS;
