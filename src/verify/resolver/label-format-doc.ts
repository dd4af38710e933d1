import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The label format (docs/label-format.md) as published: the resolver description
 * points independent verifiers here for the canonical string, the signature and the
 * test vectors. Served as written, so the page and the repository never differ.
 */
export const LABEL_FORMAT_PATH = '/docs/label-format.md';

// From src/verify/resolver/ and from dist/verify/resolver/ alike, the repository root is three up.
const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'label-format.md');
let text: Buffer | undefined;

export function labelFormatDoc(): Buffer {
  text ??= readFileSync(file);
  return text;
}
