import { gtinCheckDigit } from '../../reference/gs1.js';

/**
 * The ways GS1 names a place, brought to one key (pure, no I/O):
 *   urn:epc:id:sgln:{company prefix}.{location reference}.{extension}   (EPC URN; extension "0" = none)
 *   https://{any host}/414/{gln}[/254/{extension}]                     (GS1 Digital Link)
 *   {gln}                                                             (13 digits, with its check digit)
 * The key is `{gln}` or `{gln}:{extension}`: a registered location's `_id`, so an
 * event's place is found by `_id` lookups (the read every backend indexes).
 */
export type GlnRef = { gln: string; extension: string | null };

const SGLN = /^urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)$/;
const DL = /\/414\/(\d{13})(?:\/254\/([^/?#]+))?\/?$/;
const EXTENSION = /^[!%-?A-Z_a-z"]{1,20}$/;

export const glnOk = (gln: string) => /^\d{13}$/.test(gln) && gtinCheckDigit(gln.slice(0, 12)) === Number(gln[12]);

export function parseGlnUri(uri: string): GlnRef | null {
  const m = SGLN.exec(uri);
  if (m) {
    const body = `${m[1]}${m[2]}`;
    if (body.length !== 12) return null;
    const ext = decodeSafely(m[3] as string);
    return { gln: `${body}${gtinCheckDigit(body)}`, extension: ext === '0' ? null : ext };
  }
  if (/^https?:\/\//i.test(uri)) {
    let path: string;
    try {
      path = new URL(uri).pathname;
    } catch {
      return null;
    }
    const d = DL.exec(path);
    if (!d || !glnOk(d[1] as string)) return null;
    return { gln: d[1] as string, extension: d[2] ? decodeSafely(d[2]) : null };
  }
  return null;
}

/** Whether the URI is in one of GS1's place forms (then it must name a registered location). */
export const isGlnUri = (uri: string) => SGLN.test(uri) || (/^https?:\/\//i.test(uri) && /\/414\/\d/.test(uri));

export const locationKey = (ref: GlnRef) => (ref.extension ? `${ref.gln}:${ref.extension}` : ref.gln);

export const validExtension = (ext: string) => EXTENSION.test(ext);

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
