import QRCode from 'qrcode';

/**
 * QR codes of labels: error correction M (15 % of the symbol may be damaged: scuffs,
 * a fold, a smudge) and the standard 4-module quiet zone, in every output.
 */
export const QR_ERROR_CORRECTION = 'M' as const;
export const QR_QUIET_ZONE = 4;

export function labelQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: QR_QUIET_ZONE });
}

/** A PNG `size` pixels wide (quiet zone included). */
export function labelQrPng(url: string, size: number): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: QR_QUIET_ZONE, width: size });
}

/** One horizontal stretch of dark modules: row, first column, length (in modules). */
export type DarkRun = readonly [row: number, col: number, length: number];

/**
 * The QR matrix as horizontal runs of dark modules (no quiet zone), for vector
 * output: one rectangle per run instead of one per module keeps print files small.
 */
export function qrDarkRuns(url: string): { size: number; runs: DarkRun[] } {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  return { size: modules.size, runs: darkRunsOf(modules.data, modules.size) };
}

export function darkRunsOf(data: ArrayLike<number>, size: number): DarkRun[] {
  const runs: DarkRun[] = [];
  for (let row = 0; row < size; row++) {
    let start = -1;
    for (let col = 0; col <= size; col++) {
      const dark = col < size && data[row * size + col] === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push([row, start, col - start]);
        start = -1;
      }
    }
  }
  return runs;
}
