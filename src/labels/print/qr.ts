import QRCode, { type QRCodeSegment } from 'qrcode';

/**
 * QR codes of labels: error correction M (15 % of the symbol may be damaged: scuffs,
 * a fold, a smudge) and the standard 4-module quiet zone. Every output (SVG, PNG, the
 * PDF sheet) encodes the same segments, so a label is the same symbol however printed.
 */
export const QR_ERROR_CORRECTION = 'M' as const;
export const QR_QUIET_ZONE = 4;

export function labelQrSvg(url: string): Promise<string> {
  return QRCode.toString(qrSegments(url), { type: 'svg', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: QR_QUIET_ZONE });
}

/**
 * The same symbol QRCode.create(url, { errorCorrectionLevel: 'M' }) makes, about four
 * times faster. The library spends ~90 % of its time choosing the mask (it re-masks
 * its BitMatrix eight times through method calls); here the symbol is built once with
 * mask 0 and the eight candidates are scored on typed arrays with the same ISO/IEC
 * 18004 penalty rules (N1–N4), first lowest wins, as in the library. A sheet of
 * 100,000 labels needs this; unit tests check the result equals the library's.
 */
export function qrMatrix(url: string): { size: number; data: Uint8Array; maskPattern: number } {
  const { modules } = QRCode.create(qrSegments(url), { errorCorrectionLevel: QR_ERROR_CORRECTION, maskPattern: 0 });
  const { size, data, reservedBit } = modules;
  const n = size * size;
  const masks = maskTables(size, reservedBit);
  const unmasked = new Uint8Array(n);
  const mask0 = masks[0]!;
  for (let i = 0; i < n; i++) unmasked[i] = data[i]! ^ mask0[i]!;

  let best = new Uint8Array(n);
  let scratch = new Uint8Array(n);
  let bestMask = 0;
  let bestPenalty = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    const table = masks[mask]!;
    for (let i = 0; i < n; i++) scratch[i] = unmasked[i]! ^ table[i]!;
    writeFormatInfo(scratch, size, mask);
    const penalty = penaltyOf(scratch, size);
    if (penalty < bestPenalty) {
      bestPenalty = penalty;
      bestMask = mask;
      [best, scratch] = [scratch, best];
    }
  }
  return { size, data: best, maskPattern: bestMask };
}

/**
 * The eight mask patterns of a symbol size, 0 on function patterns. The reserved
 * areas depend only on the version (size) — with error level M fixed, the same
 * tables serve every label of that size.
 */
const maskCache = new Map<number, Uint8Array[]>();
function maskTables(size: number, reserved: Uint8Array): Uint8Array[] {
  let tables = maskCache.get(size);
  if (!tables) {
    tables = Array.from({ length: 8 }, (_, mask) => {
      const t = new Uint8Array(size * size);
      for (let i = 0; i < t.length; i++) t[i] = reserved[i] ? 0 : maskBit(mask, (i / size) | 0, i % size);
      return t;
    });
    maskCache.set(size, tables);
  }
  return tables;
}

type Mode = 'byte' | 'alphanumeric' | 'numeric';
const MODES: readonly Mode[] = ['byte', 'alphanumeric', 'numeric'];
const ALNUM = /^[0-9A-Z $%*+\-./:]$/;

/**
 * Splits an ASCII label URL into byte, alphanumeric and numeric segments that need the
 * fewest bits (the upper-case path of a GTIN label, /01/0893…/10/LOT-1/21/, is cheaper
 * as alphanumeric). A dynamic programme over the three modes in sixths of a bit, for
 * the character-count widths of versions 1–9 (labels are versions 9–10). The library
 * finds the same optimum with a shortest-path search that costs more than the rest of
 * the symbol together.
 */
export function qrSegments(text: string): QRCodeSegment[] {
  const countBits = { byte: 8, alphanumeric: 9, numeric: 10 } as const;
  const head = MODES.map((m) => (4 + countBits[m]) * 6);
  const perChar = [48, 33, 20];
  const from: Int8Array[] = [];
  let prev = [...head];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const fits = [true, ALNUM.test(c), c >= '0' && c <= '9'];
    const cur = [Infinity, Infinity, Infinity];
    const back = new Int8Array([-1, -1, -1]);
    for (let m = 0; m < 3; m++) {
      if (fits[m]) {
        cur[m] = prev[m]! + perChar[m]!;
        back[m] = m;
      }
    }
    // Switching after this character: close the segment (whole bits), open another.
    const closed = cur.map((v) => Math.ceil(v / 6) * 6);
    for (let to = 0; to < 3; to++) {
      for (let m = 0; m < 3; m++) {
        if (back[m] === -1 || m === to) continue;
        const cost = closed[m]! + head[to]!;
        if (cost < cur[to]!) {
          cur[to] = cost;
          back[to] = m;
        }
      }
    }
    from.push(back);
    prev = cur;
  }
  let mode = prev.indexOf(Math.min(...prev));
  const modes = new Array<number>(text.length);
  for (let i = text.length - 1; i >= 0; i--) {
    mode = from[i]![mode]!;
    modes[i] = mode;
  }
  const segments: { data: string; mode: Mode }[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = segments.at(-1);
    if (last && last.mode === MODES[modes[i]!]) last.data += text[i];
    else segments.push({ data: text[i]!, mode: MODES[modes[i]!]! });
  }
  return segments.map((s): QRCodeSegment => (s.mode === 'byte' ? { mode: 'byte', data: Buffer.from(s.data, 'latin1') } : { mode: s.mode, data: s.data }));
}

function maskBit(mask: number, i: number, j: number): number {
  switch (mask) {
    case 0: return (i + j) % 2 === 0 ? 1 : 0;
    case 1: return i % 2 === 0 ? 1 : 0;
    case 2: return j % 3 === 0 ? 1 : 0;
    case 3: return (i + j) % 3 === 0 ? 1 : 0;
    case 4: return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0 ? 1 : 0;
    case 5: return ((i * j) % 2) + ((i * j) % 3) === 0 ? 1 : 0;
    case 6: return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0 ? 1 : 0;
    default: return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0 ? 1 : 0;
  }
}

/** Format information (EC level M = 00, the mask, BCH(15,5), XOR 0x5412) at its two places. */
function writeFormatInfo(m: Uint8Array, size: number, mask: number): void {
  const value = (0b00 << 3) | mask;
  let rem = value << 10;
  for (let bit = 14; bit >= 10; bit--) if ((rem >> bit) & 1) rem ^= 0x537 << (bit - 10);
  const bits = ((value << 10) | rem) ^ 0x5412;
  for (let i = 0; i < 15; i++) {
    const mod = (bits >> i) & 1;
    const vRow = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    m[vRow * size + 8] = mod;
    const hCol = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1;
    m[8 * size + hCol] = mod;
  }
  m[(size - 8) * size + 8] = 1;
}

/**
 * ISO/IEC 18004 mask penalty (N1–N4), with the same result as the qrcode library.
 * Written without data-dependent branches: QR modules are close to random, so
 * branching on them mispredicts half the time and costs more than the arithmetic.
 */
function penaltyOf(m: Uint8Array, size: number): number {
  let n1 = 0;
  let n3 = 0;
  let dark = 0;
  for (let a = 0; a < size; a++) {
    let runRow = 0;
    let runCol = 0;
    let lastRow = 2;
    let lastCol = 2;
    let bitsRow = 0;
    let bitsCol = 0;
    for (let b = 0; b < size; b++) {
      const h = m[a * size + b]!; // along row a
      const v = m[b * size + a]!; // along column a
      dark += h;
      // A run of L ≥ 5 scores 3 + (L − 5): 3 when it reaches 5, then 1 per extra module.
      runRow = runRow * +(h === lastRow) + 1;
      runCol = runCol * +(v === lastCol) + 1;
      lastRow = h;
      lastCol = v;
      n1 += 3 * +(runRow === 5) + +(runRow > 5) + 3 * +(runCol === 5) + +(runCol > 5);
      bitsRow = ((bitsRow << 1) & 0x7ff) | h;
      bitsCol = ((bitsCol << 1) & 0x7ff) | v;
      if (b >= 10) n3 += +(bitsRow === 0x5d0) + +(bitsRow === 0x05d) + +(bitsCol === 0x5d0) + +(bitsCol === 0x05d);
    }
  }
  let n2 = 0;
  for (let r = 0; r < size - 1; r++) {
    for (let i = r * size, end = i + size - 1; i < end; i++) {
      const sum = m[i]! + m[i + 1]! + m[i + size]! + m[i + size + 1]!;
      n2 += +(sum === 0) + +(sum === 4);
    }
  }
  const n4 = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + n4 * 10;
}
