/**
 * Compiles src/ to plain JavaScript in dist/ (one file per module, same layout, so
 * paths to views/, public/ and the data files still resolve), with source maps.
 * `npm start` runs the compiled service: no compiler in the running process, less
 * memory and faster code than running the TypeScript through tsx. Takes about a second.
 *   npm run build
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).map((f) => path.join(src, f));
fs.rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: files.filter((f) => f.endsWith('.ts')),
  outdir: dist,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// Data read at run time beside the code (e.g. the administrative units).
for (const file of files.filter((f) => f.endsWith('.json'))) {
  const to = path.join(dist, path.relative(src, file));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(file, to);
}
console.log(`built ${path.relative(root, dist)}/`);
