/**
 * Revocation list size for a province: the list built and signed by the service's own
 * code (src/verify/revocations/revocation-list.ts) from generated facts, serialised as
 * the route serves it, then compressed as the HTTP layer would (gzip, brotli). No
 * database: what is measured is the format. Prints a Markdown table (docs/revocation-list.md §6).
 *   npx tsx scripts/bench/revocation-list.ts [--runs 500] [--voided 5000] [--products 2000]
 * Deterministic figures up to the randomness of serials (sizes vary by well under 1 %).
 */
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { randomInt } from 'node:crypto';
import { generateSigningJwk, toSigningKey } from '../../src/labels/signing/key-crypto.js';
import { newSerial } from '../../src/labels/format/serial.js';
import { newId } from '../../src/ids.js';
import { deltaSince, fullList, listEntries, serialPrefixes, signList, signedListJson, type RevocationFacts, type RevocationList } from '../../src/verify/revocations/revocation-list.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PRODUCTS = arg('products', 2_000);
const RUNS = arg('runs', 500);
const VOIDED = arg('voided', 5_000);
const MIN_RUN = 1_000;
const MAX_RUN = 10_000;

const key = toSigningKey(generateSigningJwk());
const asOf = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
/** A time in the last year, so a delta of a day holds about 1/365 of the list. */
const inLastYear = () => new Date(asOf.getTime() - randomInt(365 * DAY));
const gtin = (i: number) => `0893${String(1_000_000 + i).padStart(9, '0')}${i % 10}`;
const products = Array.from({ length: PRODUCTS }, (_, i) => (i % 2 === 0 ? `01/${gtin(i)}` : `p/${newId()}`));
const anyProduct = () => products[randomInt(products.length)]!;

const runSerials = Array.from({ length: RUNS }, () => Array.from({ length: randomInt(MIN_RUN, MAX_RUN + 1) }, newSerial));
let t = performance.now();
const facts: RevocationFacts = {
  keys: [{ kid: key.kid.replace(/^./, 'Z'), revokedAt: inLastYear() }],
  runs: runSerials.map((serials) => ({
    id: newId(),
    product: anyProduct(),
    lot: `LOT-2026-${randomInt(1000)}`,
    revokedAt: inLastYear(),
    count: serials.length,
    serials: serialPrefixes(serials),
  })),
  voided: Array.from({ length: VOIDED }, () => ({ serial: newSerial(), at: inLastYear() })),
  // A tenth of the province's products hold a certificate that ended: most expired, a few revoked.
  certifications: Array.from({ length: Math.round(PRODUCTS / 10) }, (_, i) => ({
    id: newId(),
    product: anyProduct(),
    validUntil: '2511' + String(1 + (i % 28)).padStart(2, '0'),
    status: i % 10 === 0 ? ('revoked' as const) : ('expired' as const),
    at: inLastYear(),
  })),
};
const prefixMs = performance.now() - t;
const labels = facts.runs.reduce((n, r) => n + r.count, 0);

function measure(list: RevocationList) {
  const json = Buffer.from(JSON.stringify(list));
  const gzip = gzipSync(json).length;
  const brotli = brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
  return { bytes: json.length, gzip, brotli };
}

t = performance.now();
const { list: full } = signedListJson(fullList(listEntries(facts), asOf), key);
const buildMs = performance.now() - t;
t = performance.now();
const sizes = measure(full);
const sizeMs = performance.now() - t;
const day = signList(deltaSince(full, new Date(asOf.getTime() - DAY)), key);
const week = signList(deltaSince(full, new Date(asOf.getTime() - 7 * DAY)), key);
// The same facts with whole serials instead of prefixes, for comparison.
const whole = { ...full, runs: full.runs.map((r, i) => ({ ...r, serials: [...runSerials[i]!].sort().join('') })) };

const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const kb = (n: number) => `${(n / 1e3).toFixed(1)} kB`;
const fmt = (n: number) => (n >= 1e6 ? mb(n) : kb(n));
const row = (what: string, s: ReturnType<typeof measure>) => `| ${what} | ${fmt(s.bytes)} | ${fmt(s.gzip)} | ${fmt(s.brotli)} |`;
const bytesPer = (s: ReturnType<typeof measure>) => (s.gzip / labels).toFixed(2);

console.log(`Province: ${PRODUCTS} products, ${RUNS} revoked runs of ${MIN_RUN}–${MAX_RUN} labels (${labels.toLocaleString('en')} serials), ${VOIDED} voided labels, ${facts.certifications.length} ended certifications, ${facts.keys.length} revoked key.\n`);
console.log('| list | JSON | gzip | brotli (q 5) |');
console.log('| --- | --- | --- | --- |');
console.log(row('full list (8-character serial prefixes)', sizes));
console.log(row('full list with whole serials (not served; for comparison)', measure(whole)));
console.log(row(`delta of one day (${day.runs.length} runs, ${day.voided.length} voids)`, measure(day)));
console.log(row(`delta of one week (${week.runs.length} runs, ${week.voided.length} voids)`, measure(week)));
console.log(row('voided labels, certifications and keys alone', measure({ ...full, runs: [] })));
console.log(`\ngzip bytes per revoked label: ${bytesPer(sizes)}; serial prefixes made ${prefixMs.toFixed(0)} ms (once per revoked run, kept), list built and signed ${buildMs.toFixed(0)} ms, serialise and compress ${sizeMs.toFixed(0)} ms (${process.version}).`);
