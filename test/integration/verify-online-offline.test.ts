import { createPublicKey, randomInt, randomUUID, verify as ecdsaVerify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { verifyLabelLink, type Jwks, type LinkOutcome } from '../../public/label-check.js';
import { shortKid, type SigningKey } from '../../src/labels/signing/key-crypto.js';
import { findLabelRun } from '../../src/labels/runs/labels.service.js';
import { PUBLIC_BASE_URL, apiKeyFor, bearer, verificationApp } from '../support/app.js';
import {
  buildIssuedRun,
  buildLabelledBatch,
  issueLabel,
  legacySerial,
  registerKey,
  signLabel,
  strangerKey,
  uniqueGtin14,
  type IssuedRun,
} from '../support/kit.js';

/**
 * One verdict function: the online verifier and the offline steps of
 * docs/label-format.md §4 read the same URLs the same way.
 *
 * Genuine label URLs (issued by label runs over the API, and labels of keys and runs in
 * every state) are mutated class by class; every resulting URL is
 *   - sent to the service over HTTP twice: as a browser sends it (fetch: the WHATWG URL
 *     parser resolves dot segments and backslashes first) and byte for byte as written
 *     (a raw request target), the verdict read from the JSON answer;
 *   - checked offline by public/label-check.js, the module the verification page runs,
 *     here in Node with its WebCrypto; and by a second implementation written from the
 *     doc below (node:crypto), so neither implementation is its own reference.
 *
 * The correspondence required for every URL, with the offline keys being those the
 * service verifies with (the JWKS, plus revoked keys as a copy of the JWKS made before
 * their revocation still holds them):
 *
 * | offline           | online                                                                 |
 * | ----------------- | ---------------------------------------------------------------------- |
 * | `not_label`       | 400 `label/malformed_uri`                                              |
 * | `no_key`          | 200 `forged` / `unknown_key`                                           |
 * | `invalid`         | 200 `forged` / `bad_signature`                                         |
 * | `valid`           | 200, any verdict but `forged` (genuine, expired, revoked, unknown)     |
 *
 * With the JWKS as served today (revoked keys left out), the one difference is that a
 * URL whose `k` names a revoked key reads `no_key` offline whatever its signature.
 */

type Online = { status: number; code?: string; verdict?: string; reason?: string };
type Offline = LinkOutcome;
type Mutation = { cls: MutationClass; what: string; target: string };
type MutationClass = 'original' | 'field edit' | 'path re-spelling' | 'percent-encoding' | 'parameter order and repeats' | 'extra parameters' | 'high-S twin';
type Base = { name: string; product: string; lot: string; serial: string; q: { s: string; v: string; k: string; sig: string }; other: { productId?: string; gtin?: string } };

/** The order of P-256's base point (SEC 2): (r, s) and (r, n − s) both verify. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

// ---------------------------------------------------------------------------------
// §4 written again from docs/label-format.md, independent of src/ and public/.
// ---------------------------------------------------------------------------------

const DOC_PATH = /^\/(?:01\/(?<gtin>[0-9]{14})|p\/(?<code>[0-9a-z]{10}))\/10\/(?<lot>[A-Za-z0-9._-]{1,20})\/21\/(?<serial>[A-Za-z0-9]{13,20})\/?$/;
const DOC_QUERY: Record<'s' | 'v' | 'k' | 'sig', RegExp> = {
  s: /^[1-5]$/,
  v: /^[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$/,
  k: /^[A-Za-z0-9_-]{8}$/,
  sig: /^[A-Za-z0-9_-]{86}$/,
};

function mod10Ok(gtin: string): boolean {
  const body = [...gtin.slice(0, -1)].reverse();
  const sum = body.reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(gtin.at(-1));
}

function offlineFromDoc(text: string, jwks: Jwks): Offline {
  let url: URL;
  try {
    url = new URL(text); // step 2: parsed as a browser parses it (WHATWG URL)
  } catch {
    return 'not_label';
  }
  const m = DOC_PATH.exec(url.pathname);
  if (!m?.groups) return 'not_label';
  const { gtin, code, lot, serial } = m.groups as Record<string, string | undefined>;
  if (gtin !== undefined && !mod10Ok(gtin)) return 'not_label';
  if (lot === '.' || lot === '..') return 'not_label';
  const q: Partial<Record<keyof typeof DOC_QUERY, string>> = {};
  for (const name of Object.keys(DOC_QUERY) as (keyof typeof DOC_QUERY)[]) {
    const values = url.searchParams.getAll(name);
    if (values.length !== 1 || !DOC_QUERY[name].test(values[0]!)) return 'not_label';
    q[name] = values[0];
  }
  // Step 3: the key whose kid starts with k.
  const jwk = jwks.keys?.find((k) => typeof k.kid === 'string' && k.kid.startsWith(q.k!));
  if (!jwk) return 'no_key';
  // Step 4: the canonical string from the parsed fields.
  const canonical = `${gtin !== undefined ? `/01/${gtin}` : `/p/${code}`}/10/${lot}/21/${serial}?s=${q.s}&v=${q.v}&k=${q.k}`;
  // Step 5: 64 bytes, ECDSA P-256 / SHA-256, raw r‖s.
  const sig = Buffer.from(q.sig!, 'base64url');
  if (sig.length !== 64) return 'invalid';
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
  return ecdsaVerify('sha256', Buffer.from(canonical, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, sig) ? 'valid' : 'invalid';
}

// ---------------------------------------------------------------------------------
// Mutations of a genuine label URL.
// ---------------------------------------------------------------------------------

const render = (b: Pick<Base, 'product' | 'lot' | 'serial'>, query: string) => `${b.product}/10/${b.lot}/21/${b.serial}?${query}`;
const queryOf = (q: Base['q']) => `s=${q.s}&v=${q.v}&k=${q.k}&sig=${q.sig}`;
const flip = (c: string) => (c === 'A' ? 'B' : c === 'a' ? 'b' : c === '0' ? '1' : /[A-Z]/.test(c) ? 'A' : /[a-z]/.test(c) ? 'a' : '0');
const at = (text: string, i: number, c: string) => text.slice(0, i) + c + text.slice(i + 1);
const pct = (c: string, lower = false) => {
  const hex = `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  return lower ? hex.toLowerCase() : hex;
};
const swapCase = (text: string) => [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
const withCheckDigit = (body13: string) => {
  for (let d = 0; d < 10; d++) if (mod10Ok(`${body13}${d}`)) return `${body13}${d}`;
  throw new Error('no check digit');
};

function sigBytes(sig: string) {
  return Buffer.from(sig, 'base64url');
}
/** s → n − s: the other signature that verifies over the same bytes. */
function highSTwin(sig: string): string {
  const bytes = sigBytes(sig);
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  return Buffer.concat([bytes.subarray(0, 32), Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex')]).toString('base64url');
}
/** The same 64 bytes spelt with the 4 unused bits of the last character set. */
function otherSpelling(sig: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(sig.at(-1)!);
  return sig.slice(0, -1) + alphabet[last | 0b0101]!;
}

function mutations(b: Base): Mutation[] {
  const out: Mutation[] = [];
  const add = (cls: MutationClass, what: string, target: string) => out.push({ cls, what: `${b.name}: ${what}`, target });
  const q = b.q;
  const plain = queryOf(q);
  add('original', 'as printed', render(b, plain));

  // Field edits: each signed field, and the signature bytes.
  const isGtin = b.product.startsWith('/01/');
  const id = b.product.slice(isGtin ? 4 : 3);
  if (isGtin) {
    add('field edit', 'a GTIN digit (check digit now wrong)', render({ ...b, product: `/01/${at(id, 9, String((Number(id[9]) + 1) % 10))}` }, plain));
    add('field edit', 'another well-formed GTIN', render({ ...b, product: `/01/${withCheckDigit(`${id.slice(0, 9)}${String((Number(id.slice(9, 13)) + 1) % 10_000).padStart(4, '0')}`)}` }, plain));
  } else {
    add('field edit', 'a product-code character', render({ ...b, product: `/p/${at(id, 4, id[4] === 'a' ? 'b' : 'a')}` }, plain));
    add('field edit', 'an upper-case product code', render({ ...b, product: `/p/${id.toUpperCase()}` }, plain));
  }
  add('field edit', 'a lot character', render({ ...b, lot: at(b.lot, 1, flip(b.lot[1]!)) }, plain));
  add('field edit', 'the lot in the other case', render({ ...b, lot: swapCase(b.lot) }, plain));
  add('field edit', 'a longer lot', render({ ...b, lot: b.lot.length < 20 ? `${b.lot}X` : `${b.lot.slice(0, -1)}X` }, plain));
  add('field edit', 'a lot with a character GS1 allows but we do not', render({ ...b, lot: `${b.lot.slice(0, 5)}~` }, plain));
  add('field edit', 'a serial character', render({ ...b, serial: at(b.serial, 6, flip(b.serial[6]!)) }, plain));
  add('field edit', 'the serial in the other case', render({ ...b, serial: swapCase(b.serial) }, plain));
  add('field edit', 'a serial one character longer', render({ ...b, serial: `${b.serial}Z` }, plain));
  add('field edit', 'a serial one character shorter', render({ ...b, serial: b.serial.slice(0, -1) }, plain));
  for (const s of ['0', '1', '2', '3', '4', '5', '6']) if (s !== q.s) add('field edit', `stars ${s}`, render(b, queryOf({ ...q, s })));
  const yy = Number(q.v.slice(0, 2));
  add('field edit', 'valid-until a year later', render(b, queryOf({ ...q, v: `${String(yy + 1).padStart(2, '0')}${q.v.slice(2)}` })));
  add('field edit', 'valid-until another day', render(b, queryOf({ ...q, v: `${q.v.slice(0, 4)}${q.v.slice(4) === '01' ? '02' : '01'}` })));
  add('field edit', 'valid-until month 13', render(b, queryOf({ ...q, v: `${q.v.slice(0, 2)}13${q.v.slice(4)}` })));
  add('field edit', 'valid-until as YYYYMMDD', render(b, queryOf({ ...q, v: `20${q.v}` })));
  add('field edit', 'a key-id character', render(b, queryOf({ ...q, k: at(q.k, 7, flip(q.k[7]!)) })));
  add('field edit', 'a 7-character key id', render(b, queryOf({ ...q, k: q.k.slice(0, 7) })));
  for (const i of [0, 31, 43, 84]) add('field edit', `signature character ${i}`, render(b, queryOf({ ...q, sig: at(q.sig, i, flip(q.sig[i]!)) })));
  add('field edit', 'signature: r and s swapped', render(b, queryOf({ ...q, sig: Buffer.concat([sigBytes(q.sig).subarray(32), sigBytes(q.sig).subarray(0, 32)]).toString('base64url') })));
  add('field edit', 'signature: all zero bytes', render(b, queryOf({ ...q, sig: 'A'.repeat(86) })));
  add('field edit', 'signature: the same bytes, last character spelt with its unused bits set', render(b, queryOf({ ...q, sig: otherSpelling(q.sig) })));
  add('field edit', 'signature: 85 characters', render(b, queryOf({ ...q, sig: q.sig.slice(0, 85) })));
  add('field edit', 'signature: padded with "=="', render(b, `${plain}==`));
  add('field edit', 'signature: standard base64 (+ /)', render(b, queryOf({ ...q, sig: q.sig.replace(/-/g, '+').replace(/_/g, '/').replace(/^./, '+') })));

  // Path re-spellings.
  if (isGtin && b.other.productId) add('path re-spelling', 'the /p/{productId} spelling of a GTIN label', render({ ...b, product: `/p/${b.other.productId}` }, plain));
  if (!isGtin && b.other.gtin) add('path re-spelling', 'a /01/{gtin} spelling of a /p/ label', render({ ...b, product: `/01/${b.other.gtin}` }, plain));
  if (isGtin) {
    add('path re-spelling', 'GTIN-13 (the leading zero left out)', render({ ...b, product: `/01/${id.slice(1)}` }, plain));
    add('path re-spelling', 'GTIN padded to 15 digits', render({ ...b, product: `/01/0${id}` }, plain));
  }
  if (!isGtin) add('path re-spelling', '/P/ in upper case', render({ ...b, product: b.product.replace('/p/', '/P/') }, plain));
  add('path re-spelling', 'a trailing slash', `${b.product}/10/${b.lot}/21/${b.serial}/?${plain}`);
  add('path re-spelling', 'two trailing slashes', `${b.product}/10/${b.lot}/21/${b.serial}//?${plain}`);
  add('path re-spelling', 'an extra segment', `${b.product}/10/${b.lot}/21/${b.serial}/x?${plain}`);
  add('path re-spelling', 'an extra GS1 key qualifier (22, CPV)', `${b.product}/22/A1/10/${b.lot}/21/${b.serial}?${plain}`);
  add('path re-spelling', 'serial before lot (21 then 10)', `${b.product}/21/${b.serial}/10/${b.lot}?${plain}`);
  add('path re-spelling', 'no lot', `${b.product}/21/${b.serial}?${plain}`);
  add('path re-spelling', 'the lot as a query attribute (?10=)', `${b.product}/21/${b.serial}?10=${b.lot}&${plain}`);
  add('path re-spelling', 'the product only', `${b.product}?${plain}`);
  add('path re-spelling', 'an empty segment', `${b.product}/10//${b.lot}/21/${b.serial}?${plain}`);
  add('path re-spelling', 'a dot segment (/./)', `${b.product}/./10/${b.lot}/21/${b.serial}?${plain}`);
  add('path re-spelling', 'a step out and back (/x/../)', `${b.product}/10/${b.lot}/x/../21/${b.serial}?${plain}`);
  add('path re-spelling', 'a trailing /x/..', `${b.product}/10/${b.lot}/21/${b.serial}/x/..?${plain}`);
  add('path re-spelling', 'a percent-encoded dot segment (%2e%2E)', `${b.product}/10/${b.lot}/21/x/%2e%2E/${b.serial}?${plain}`);
  add('path re-spelling', 'backslashes for slashes', `${b.product}\\10\\${b.lot}\\21\\${b.serial}?${plain}`);
  add('path re-spelling', 'a fragment', `${render(b, plain)}#timeline`);

  // Percent-encoding of path and query characters.
  add('percent-encoding', 'a product character encoded', render({ ...b, product: `${b.product.slice(0, -1)}${pct(b.product.at(-1)!)}` }, plain));
  add('percent-encoding', 'a lot character encoded', render({ ...b, lot: `${pct(b.lot[0]!)}${b.lot.slice(1)}` }, plain));
  add('percent-encoding', 'a serial character encoded', render({ ...b, serial: `${b.serial.slice(0, -1)}${pct(b.serial.at(-1)!)}` }, plain));
  add('percent-encoding', 'a slash as %2F', `${b.product}/10/${b.lot}%2F21/${b.serial}?${plain}`);
  add('percent-encoding', 'the stars', render(b, queryOf({ ...q, s: pct(q.s) })));
  add('percent-encoding', 'the valid-until, every character', render(b, queryOf({ ...q, v: [...q.v].map((c) => pct(c)).join('') })));
  add('percent-encoding', 'the key id, lower-case hex', render(b, queryOf({ ...q, k: [...q.k].map((c) => pct(c, true)).join('') })));
  add('percent-encoding', 'two signature characters', render(b, queryOf({ ...q, sig: `${pct(q.sig[0]!)}${q.sig.slice(1, 40)}${pct(q.sig[40]!, true)}${q.sig.slice(41)}` })));
  add('percent-encoding', 'a parameter name (%73 for s)', render(b, plain.replace(/^s=/, '%73=')));
  add('percent-encoding', 'the "=" of a parameter', render(b, plain.replace(/^s=/, 's%3D')));
  add('percent-encoding', 'an "&" inside a value', render(b, plain.replace(`&v=`, '%26v=')));
  add('percent-encoding', 'a "+" (a space) in the key id', render(b, queryOf({ ...q, k: `${q.k.slice(0, 7)}+` })));
  add('percent-encoding', 'a "-" of the signature as %2D or an "_" as %5F', render(b, queryOf({ ...q, sig: q.sig.replace(/[-_]/, (c) => pct(c)) })));

  // Parameter order and repeats.
  const pairs = plain.split('&');
  for (const order of permutations([0, 1, 2, 3])) {
    if (order.join() === '0,1,2,3') continue;
    add('parameter order and repeats', `order ${order.map((i) => pairs[i]!.split('=')[0]).join(',')}`, render(b, order.map((i) => pairs[i]).join('&')));
  }
  for (const [name, other] of [['s', q.s === '5' ? '4' : '5'], ['v', '991231'], ['k', 'AAAAAAAA'], ['sig', 'A'.repeat(86)]] as const) {
    add('parameter order and repeats', `${name} twice, same value`, render(b, `${plain}&${name}=${q[name]}`));
    add('parameter order and repeats', `${name} twice, another value after`, render(b, `${plain}&${name}=${other}`));
    add('parameter order and repeats', `${name} twice, another value before`, render(b, `${name}=${other}&${plain}`));
  }
  add('parameter order and repeats', 'empty pairs (&&, leading and trailing &)', render(b, `&${pairs.join('&&')}&`));

  // Extra parameters the verifier does not know.
  for (const extra of ['lang=en', 'lang=vi', 'place=00577', 'x=1', 'utm_source=qr&utm_medium=label', 'x=1&x=2', 'foo=', 'S=5', 'sig2=AAAA', 'K=zzzzzzzz']) {
    add('extra parameters', `+${extra} after`, render(b, `${plain}&${extra}`));
    add('extra parameters', `+${extra} before`, render(b, `${extra}&${plain}`));
  }
  add('extra parameters', 'a second "?" after sig', render(b, `${plain}?x=1`));

  // High-S twins.
  const twin = highSTwin(q.sig);
  add('high-S twin', 's → n − s', render(b, queryOf({ ...q, sig: twin })));
  add('high-S twin', 's → n − s, spelt with unused bits set', render(b, queryOf({ ...q, sig: otherSpelling(twin) })));
  add('high-S twin', 's → n − s on a lot changed', render({ ...b, lot: at(b.lot, 1, flip(b.lot[1]!)) }, queryOf({ ...q, sig: twin })));
  add('high-S twin', 's → n − s on stars changed', render(b, queryOf({ ...q, s: q.s === '5' ? '4' : '5', sig: twin })));
  add('high-S twin', 'twice (back to the printed s)', render(b, queryOf({ ...q, sig: highSTwin(twin) })));
  add('high-S twin', 'r → n − r', render(b, queryOf({ ...q, sig: Buffer.concat([Buffer.from((P256_N - BigInt(`0x${sigBytes(q.sig).subarray(0, 32).toString('hex')}`)).toString(16).padStart(64, '0'), 'hex'), sigBytes(q.sig).subarray(32)]).toString('base64url') })));
  return out;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** The base of a label from its printed URL. */
function baseOf(name: string, url: string, other: Base['other'] = {}): Base {
  const m = /^https:\/\/[^/]+(\/(?:01|p)\/[^/]+)\/10\/([^/]+)\/21\/([^/?]+)\?s=([^&]+)&v=([^&]+)&k=([^&]+)&sig=([^&]+)$/.exec(url);
  if (!m) throw new Error(`not a printed label URL: ${url}`);
  const [, product, lot, serial, s, v, k, sig] = m as unknown as string[];
  return { name, product: product!, lot: lot!, serial: serial!, q: { s: s!, v: v!, k: k!, sig: sig! }, other };
}

// ---------------------------------------------------------------------------------

describe('one verdict function: the online verifier and the offline steps of docs/label-format.md §4', function () {
  this.timeout(120_000);
  const { keyring, app } = verificationApp();
  let server: http.Server;
  let origin: string;
  let bases: Base[] = [];
  let servedJwks: Jwks;
  let keysBeforeRevocation: Jwks;
  let revokedKid8: string;

  /** A run of `count` labels issued over the API, its URLs read from the printer file. */
  async function issuedOverApi(opts: { gtin: boolean; lotCode: string }) {
    const fixture = await buildLabelledBatch({ gtin: opts.gtin, batch: { lotCode: opts.lotCode } });
    const key = await apiKeyFor('producer', fixture.producer._id);
    const run = await request(app).post(`/api/v1/batches/${fixture.batch._id}/label-runs`).set(bearer(key)).set('Idempotency-Key', randomUUID()).send({ count: 2 }).expect(201);
    const csv = await request(app).get(`/api/v1/label-runs/${run.body.id as string}/labels.csv`).set(bearer(key)).expect(200);
    const urls = csv.text.trim().split('\r\n').slice(1).map((row) => row.split(',')[2]!);
    const issued = await findLabelRun(run.body.id as string);
    return { fixture, urls, world: { ...fixture, certification: fixture.certification!, run: issued! } as IssuedRun };
  }

  before(async () => {
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const retiredKey = await registerKey('retired');
    const revokedKey: SigningKey = await registerKey('revoked');
    const activeKey = await registerKey('active');
    await keyring.refresh();
    revokedKid8 = shortKid(revokedKey.kid);

    const suffix = randomInt(1e6).toString(36).toUpperCase();
    const gtinRun = await issuedOverApi({ gtin: true, lotCode: `MO-25.09_A${suffix}` });
    const codeRun = await issuedOverApi({ gtin: false, lotCode: `CHE.TAN-07${suffix}` });
    const world = (run: typeof gtinRun): IssuedRun => run.world;
    const gtinOther = { productId: gtinRun.fixture.product._id };
    const codeOther = { gtin: uniqueGtin14() };

    const stored = async (name: string, w: IssuedRun, key: SigningKey, status?: 'void', serial?: string) =>
      baseOf(name, (await issueLabel(w, key, { status, serial })).url, w.product.gtin ? { productId: w.product._id } : { gtin: uniqueGtin14() });
    const expiredWorld = await buildIssuedRun({ gtin: true, certification: 'expired' });
    const pendingWorld = await buildIssuedRun({ gtin: false, runState: 'pending' });
    const stranger = strangerKey();

    bases = [
      baseOf('GTIN label of an API run', gtinRun.urls[0]!, gtinOther),
      baseOf('second GTIN label of that run', gtinRun.urls[1]!, gtinOther),
      baseOf('/p/ label of an API run', codeRun.urls[0]!, codeOther),
      await stored('label of a retired key', world(gtinRun), retiredKey),
      await stored('label with a serial of the first alphabet (0 O 1 l I)', world(gtinRun), activeKey, undefined, legacySerial()),
      await stored('label of a revoked key', world(gtinRun), revokedKey),
      await stored('voided label', world(codeRun), activeKey, 'void'),
      await stored('label under an expired certificate', expiredWorld, activeKey),
      await stored('label of a pending run', pendingWorld, activeKey),
      baseOf('label signed by our key, never issued', signLabel(world(gtinRun), activeKey).url, gtinOther),
      baseOf("label signed by a key that is not ours", signLabel(world(codeRun), stranger).url, codeOther),
    ];

    servedJwks = (await request(app).get('/.well-known/jwks.json').expect(200)).body as Jwks;
    expect(servedJwks.keys?.map((k) => k.kid)).not.to.include(revokedKey.kid);
    keysBeforeRevocation = { keys: [...(servedJwks.keys ?? []), { kid: revokedKey.kid, ...revokedKey.publicJwk }] };
  });

  after(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  /** The online verdict as a browser asks for it: fetch parses the URL (WHATWG) before sending. */
  async function onlineByFetch(target: string): Promise<Online> {
    const res = await fetch(`${origin}${target}`, { headers: { Accept: 'application/json' } });
    return onlineOf(res.status, await res.json());
  }

  /** The online verdict for the request target byte for byte as written (no client-side URL parsing). */
  function onlineRaw(target: string): Promise<Online> {
    return new Promise((resolve, reject) => {
      const { hostname, port } = new URL(origin);
      const req = http.request({ hostname, port, path: target.replace(/#.*$/, ''), headers: { Accept: 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(onlineOf(res.statusCode ?? 0, JSON.parse(body))));
      });
      req.on('error', reject);
      req.end();
    });
  }

  function onlineOf(status: number, body: { verdict?: string; reason?: string; error?: { code?: string } }): Online {
    return status === 200 ? { status, verdict: body.verdict, reason: body.reason } : { status, code: body.error?.code };
  }

  /** The correspondence in the table above. */
  function agrees(offline: Offline, online: Online): boolean {
    switch (offline) {
      case 'not_label':
        return online.status === 400 && online.code === 'label/malformed_uri';
      case 'no_key':
        return online.status === 200 && online.verdict === 'forged' && online.reason === 'unknown_key';
      case 'invalid':
        return online.status === 200 && online.verdict === 'forged' && online.reason === 'bad_signature';
      case 'valid':
        return online.status === 200 && online.verdict !== undefined && online.verdict !== 'forged';
    }
  }

  it('when every mutation of genuine label URLs is read online and offline, then the verdicts correspond for every URL', async () => {
    const all = bases.flatMap(mutations);
    const perClass = new Map<MutationClass, number>();
    const outcomes = new Map<string, number>();
    const disagreements: string[] = [];
    for (const m of all) {
      const text = `${PUBLIC_BASE_URL}${m.target}`;
      const [page, doc, fetched, raw] = await Promise.all([
        verifyLabelLink(text, keysBeforeRevocation),
        Promise.resolve(offlineFromDoc(text, keysBeforeRevocation)),
        onlineByFetch(m.target),
        onlineRaw(m.target),
      ]);
      const seen = `${m.cls} / ${m.what}: page ${page}, doc ${doc}, online ${JSON.stringify(fetched)}, raw ${JSON.stringify(raw)}\n    ${m.target}`;
      if (page !== doc || !agrees(page, fetched) || JSON.stringify(fetched) !== JSON.stringify(raw)) disagreements.push(seen);

      // With the JWKS as served now, only labels of the revoked key read otherwise: no key.
      const today = await verifyLabelLink(text, servedJwks);
      const expectedToday = page !== 'not_label' && new URL(text).searchParams.get('k') === revokedKid8 ? 'no_key' : page;
      if (today !== expectedToday || offlineFromDoc(text, servedJwks) !== today) disagreements.push(`with today's JWKS: ${today}, expected ${expectedToday} — ${seen}`);

      perClass.set(m.cls, (perClass.get(m.cls) ?? 0) + 1);
      const key = `${page} ↔ ${fetched.verdict ?? fetched.code}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    console.warn(`      ${all.length} URLs from ${bases.length} labels, each read offline twice and online twice (fetch, raw target):`);
    for (const [cls, n] of perClass) console.warn(`        ${cls.padEnd(28)} ${n}`);
    console.warn(`      outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(disagreements, disagreements.join('\n')).to.deep.equal([]);

    // The set exercises every side of the correspondence and every online verdict.
    for (const key of ['not_label ↔ label/malformed_uri', 'no_key ↔ forged', 'invalid ↔ forged', 'valid ↔ genuine', 'valid ↔ expired', 'valid ↔ revoked', 'valid ↔ unknown']) {
      expect(outcomes.get(key), key).to.be.greaterThan(0);
    }
    for (const cls of ['field edit', 'path re-spelling', 'percent-encoding', 'parameter order and repeats', 'extra parameters', 'high-S twin'] as const) {
      expect(perClass.get(cls), cls).to.be.greaterThan(bases.length);
    }
  });

  it('when a genuine label is re-spelt, then the spellings that keep its fields read as printed and those that change them do not', async () => {
    const genuine = bases[0]!;
    const byWhat = new Map(mutations(genuine).map((m) => [m.what.split(': ').slice(1).join(': '), m.target]));
    const expectations: Array<[string, Offline, string]> = [
      ['as printed', 'valid', 'genuine'],
      ['s → n − s', 'valid', 'genuine'],
      ['signature: the same bytes, last character spelt with its unused bits set', 'valid', 'genuine'],
      ['a trailing slash', 'valid', 'genuine'],
      ['a step out and back (/x/../)', 'valid', 'genuine'],
      ['backslashes for slashes', 'valid', 'genuine'],
      ['the valid-until, every character', 'valid', 'genuine'],
      ['order sig,k,v,s', 'valid', 'genuine'],
      ['+lang=en after', 'valid', 'genuine'],
      ['the /p/{productId} spelling of a GTIN label', 'invalid', 'forged'],
      ['s twice, same value', 'not_label', 'label/malformed_uri'],
      ['a lot character', 'invalid', 'forged'],
      ['a percent-encoded dot segment (%2e%2E)', 'valid', 'genuine'],
      ['a lot with a character GS1 allows but we do not', 'not_label', 'label/malformed_uri'],
    ];
    for (const [what, offline, online] of expectations) {
      const target = byWhat.get(what);
      expect(target, what).to.be.a('string');
      expect(await verifyLabelLink(`${PUBLIC_BASE_URL}${target!}`, servedJwks), what).to.equal(offline);
      const answer = await onlineByFetch(target!);
      expect(answer.verdict ?? answer.code, what).to.equal(online);
    }
  });

  it('when a label with a serial of the first alphabet and one of the look-alike-free alphabet are read as printed, then both read valid offline and genuine online', async () => {
    const legacy = bases.find((b) => b.name.includes('first alphabet'))!;
    const current = bases[0]!;
    expect(legacy.serial).to.match(/^[0-9A-Za-z]{13}$/);
    expect(current.serial).to.match(/^[34679ACDEFGHJKMNPQRTUVWXY]{16}$/);
    for (const b of [legacy, current]) {
      const target = mutations(b).find((m) => m.cls === 'original')!.target;
      expect(await verifyLabelLink(`${PUBLIC_BASE_URL}${target}`, servedJwks), b.name).to.equal('valid');
      expect(offlineFromDoc(`${PUBLIC_BASE_URL}${target}`, servedJwks), b.name).to.equal('valid');
      expect((await onlineByFetch(target)).verdict, b.name).to.equal('genuine');
    }
  });

  it('when the published test vectors are checked by the implementation written from the doc, then both verify and an altered one does not', () => {
    const jwks: Jwks = { keys: [{ kid: '1PQSLId9wKzTdqj2CUROysXvrP2PwUSmgmNKpIt1koU', x: 'PYWVE18QMBjn9Vf48eoZfbbTsVri1tqGuxAniHA-1zY', y: 'EFQsT08EdSWGGpCvobSQlGypPs8RcRmyW91CSZeF7NY' }] };
    const v1 = 'https://trace.example.vn/01/08936045120019/10/MO-2025-09A/21/Q7fK2mX9pL4sT?s=4&v=280614&k=1PQSLId9&sig=uIIfKO-XoWNypn2RcnUW7AkGxihCY8NYYNn70D6xJ6uJTv7VJ3Lni_cPA1n3WvLyLOozrmCSUigvgwVy729Yog';
    const v2 = 'https://trace.example.vn/p/k3v9x0m2qa/10/CHE.TAN-0725/21/4hZr8WcN1yDbE?s=3&v=270930&k=1PQSLId9&sig=c6UnbICSalUnMk4dOW0pQNdLdEzCAE3ZAoqm2vj63oBULXjUNkiqigbuZ1xTdN2QLhmWZ3Ae_o_oggMuwmCR4g';
    expect(offlineFromDoc(v1, jwks)).to.equal('valid');
    expect(offlineFromDoc(v2, jwks)).to.equal('valid');
    expect(offlineFromDoc(v1.replace('s=4', 's=5'), jwks)).to.equal('invalid');
  });
});
