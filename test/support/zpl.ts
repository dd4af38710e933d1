/**
 * Reading back the ZPL the service writes, as a Zebra-class printer would print it: the
 * subset of ZPL II that src/labels/print/label-zpl.ts emits (~DG, ^XA ^PW ^LL ^LH ^FO
 * ^XG ^GFA ^FS ^FX ^ID ^XZ, graphic data in ASCII hex with ZPL's compression) rendered
 * to a bitmap of the label's dots. Anything else in the file is an error, so a command
 * this reader does not know cannot pass unnoticed.
 */

/** One printed label: `dots[y * width + x]` is 1 where the printer burns a dot. */
export type ZplLabel = { width: number; height: number; dots: Uint8Array; comments: string[]; graphics: { x: number; y: number; width: number; height: number; stored: string | null }[] };

type Graphic = { rowBytes: number; rows: number; bits: Uint8Array };

/** Decodes ZPL's compressed ASCII hex into `total` bytes of `rowBytes` a row. */
export function decompressZplHex(data: string, total: number, rowBytes: number): Uint8Array {
  const out = new Uint8Array(total);
  const rowNibbles = rowBytes * 2;
  const rows = total / rowBytes;
  let row = 0;
  let nibbles: number[] = [];
  let count = 0;
  const endRow = () => {
    if (nibbles.length !== rowNibbles) throw new Error(`row ${row}: ${nibbles.length} hex digits, expected ${rowNibbles}`);
    for (let i = 0; i < rowBytes; i++) out[row * rowBytes + i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
    row++;
    nibbles = [];
  };
  for (const c of data) {
    if (/[\r\n]/.test(c)) continue;
    if (row >= rows) throw new Error('more graphic data than the byte count says');
    if (c >= 'G' && c <= 'Y') count += c.charCodeAt(0) - 'G'.charCodeAt(0) + 1;
    else if (c >= 'g' && c <= 'z') count += (c.charCodeAt(0) - 'g'.charCodeAt(0) + 1) * 20;
    else if (/[0-9A-F]/.test(c)) {
      const n = Number.parseInt(c, 16);
      for (let k = 0; k < Math.max(1, count); k++) nibbles.push(n);
      count = 0;
      if (nibbles.length > rowNibbles) throw new Error(`row ${row} runs past ${rowBytes} bytes`);
      if (nibbles.length === rowNibbles) endRow();
    } else if (c === ',' || c === '!') {
      while (nibbles.length < rowNibbles) nibbles.push(c === ',' ? 0 : 15);
      endRow();
    } else if (c === ':') {
      if (nibbles.length !== 0 || row === 0) throw new Error(`":" in the middle of row ${row}`);
      out.copyWithin(row * rowBytes, (row - 1) * rowBytes, row * rowBytes);
      row++;
    } else throw new Error(`unexpected character ${JSON.stringify(c)} in graphic data`);
  }
  if (row !== rows || nibbles.length !== 0) throw new Error(`graphic data ends at row ${row} of ${rows}`);
  return out;
}

/** The labels of a ZPL file, rendered. */
export function renderZpl(zpl: string): { labels: ZplLabel[]; stored: string[]; deleted: string[] } {
  const stored = new Map<string, Graphic>();
  const deleted: string[] = [];
  const labels: ZplLabel[] = [];
  let label: { width: number; height: number; homeX: number; homeY: number; fo: [number, number] | null; draws: { x: number; y: number; g: Graphic; name: string | null }[]; comments: string[] } | null = null;

  const commands = zpl.split(/(?=[\^~])/).filter((c) => c.trim() !== '');
  for (const raw of commands) {
    const cmd = raw.slice(0, 3);
    const args = raw.slice(3).replace(/\s+$/, '');
    if (!/^[\^~]/.test(raw)) throw new Error(`text outside a command: ${raw.slice(0, 40)}`);
    switch (cmd) {
      case '~DG': {
        const [name, total, rowBytes, ...rest] = args.split(',');
        const bits = decompressZplHex(rest.join(','), Number(total), Number(rowBytes));
        stored.set(name!, { rowBytes: Number(rowBytes), rows: Number(total) / Number(rowBytes), bits });
        break;
      }
      case '^XA':
        if (label) throw new Error('^XA inside a label');
        label = { width: 0, height: 0, homeX: 0, homeY: 0, fo: null, draws: [], comments: [] };
        break;
      case '^FX':
        need(label).comments.push(args.trim());
        break;
      case '^PW':
        need(label).width = Number(args);
        break;
      case '^LL':
        need(label).height = Number(args);
        break;
      case '^LH': {
        const [x, y] = args.split(',').map(Number);
        Object.assign(need(label), { homeX: x, homeY: y });
        break;
      }
      case '^FO': {
        const [x, y] = args.split(',').map(Number);
        need(label).fo = [x!, y!];
        break;
      }
      case '^XG': {
        const [name, mx, my] = args.split(',');
        if (mx !== '1' || my !== '1') throw new Error('^XG magnification other than 1 is not read here');
        const g = stored.get(name!);
        if (!g) throw new Error(`^XG of ${name}, which was never downloaded`);
        drawAt(need(label), g, name!);
        break;
      }
      case '^GF': {
        const [format, total, field, rowBytes, ...rest] = args.split(',');
        if (format !== 'A' || total !== field) throw new Error(`^GF${args.slice(0, 20)}: only ASCII hex with equal byte counts is read here`);
        const bits = decompressZplHex(rest.join(','), Number(total), Number(rowBytes));
        drawAt(need(label), { rowBytes: Number(rowBytes), rows: Number(total) / Number(rowBytes), bits }, null);
        break;
      }
      case '^FS':
        need(label).fo = null;
        break;
      case '^ID':
        deleted.push(args.trim());
        break;
      case '^XZ': {
        const l = need(label);
        // A format that only deletes stored graphics prints nothing.
        if (l.draws.length > 0 || l.width > 0) labels.push(paint(l));
        label = null;
        break;
      }
      default:
        throw new Error(`ZPL command ${cmd} is not one this reader knows`);
    }
  }
  if (label) throw new Error('the file ends inside a label');
  return { labels, stored: [...stored.keys()], deleted };

  function drawAt(l: NonNullable<typeof label>, g: Graphic, name: string | null) {
    if (!l.fo) throw new Error('a graphic without a ^FO before it');
    l.draws.push({ x: l.homeX + l.fo[0], y: l.homeY + l.fo[1], g, name });
  }
}

function need<T>(label: T | null): T {
  if (!label) throw new Error('a label command outside ^XA…^XZ');
  return label;
}

function paint(l: { width: number; height: number; draws: { x: number; y: number; g: Graphic; name: string | null }[]; comments: string[] }): ZplLabel {
  if (!(l.width > 0 && l.height > 0)) throw new Error('a label without ^PW and ^LL');
  const dots = new Uint8Array(l.width * l.height);
  const graphics: ZplLabel['graphics'] = [];
  for (const { x, y, g, name } of l.draws) {
    const w = g.rowBytes * 8;
    graphics.push({ x, y, width: w, height: g.rows, stored: name });
    for (let r = 0; r < g.rows; r++) {
      for (let c = 0; c < w; c++) {
        if (!((g.bits[r * g.rowBytes + (c >> 3)]! >> (7 - (c & 7))) & 1)) continue;
        if (x + c >= l.width || y + r >= l.height) throw new Error(`a dot at ${x + c},${y + r} is off the ${l.width} × ${l.height} label`);
        dots[(y + r) * l.width + x + c] = 1; // graphics are drawn over each other: black wins
      }
    }
  }
  return { width: l.width, height: l.height, dots, comments: l.comments, graphics };
}

/** A label as RGBA pixels, black dots on white, for a QR decoder. */
export function labelRgba(label: ZplLabel): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(label.width * label.height * 4).fill(255);
  label.dots.forEach((d, i) => {
    if (d) rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = 0;
  });
  return rgba;
}
