import { createHash } from 'node:crypto';

/**
 * The canonical JSON serialisation that event hashes are computed over:
 * object keys sorted by UTF-16 code units (JavaScript's default string order),
 * no insignificant whitespace, strings and numbers written exactly as
 * JSON.stringify writes them, members whose value is `undefined` left out.
 * This is the serialisation of RFC 8785 (JCS) for the values events hold, so a
 * third party can recompute a hash with any JCS library. See docs/epcis.md.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
      return JSON.stringify(value);
    case 'object': {
      // A Date would silently become {}: hashed values must be plain JSON.
      if (value instanceof Date) throw new TypeError('canonical JSON holds no Date objects');
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
