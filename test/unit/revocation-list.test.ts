import fs from 'node:fs';
import { expect } from 'chai';
import { generateSigningJwk, shortKid, signCanonical, toSigningKey, toVerifyingKey, type PrivateJwk, type SigningKey } from '../../src/labels/signing/key-crypto.js';
import { buildLabelUrl, canonicalLabelString, type LabelFields } from '../../src/labels/format/label-url.js';
import {
  DELTA_HORIZON_MS,
  canonicalJson,
  deltaSince,
  fullList,
  listEntries,
  listSignatureValid,
  serialPrefixes,
  signList,
  signedListJson,
  type RevocationFacts,
  type RevocationList,
} from '../../src/verify/revocations/revocation-list.js';
import * as offline from '../../public/revocation-check.js';

/** The test-only key of docs/label-format.md §5, which also signs the vector of docs/revocation-list.md. */
const testJwk: PrivateJwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'PYWVE18QMBjn9Vf48eoZfbbTsVri1tqGuxAniHA-1zY',
  y: 'EFQsT08EdSWGGpCvobSQlGypPs8RcRmyW91CSZeF7NY',
  d: 'pFPL1Evs-wN7JhsgBkpCowkLXD75P6ZPJMW951TbJ1c',
};
const key = toSigningKey(testJwk);
const jwks = { keys: [{ ...key.publicJwk, kid: key.kid, alg: 'ES256', use: 'sig' }] };
/** A key revoked since: left out of the JWKS, named in the list. */
const revokedKey = toSigningKey(generateSigningJwk());

const BASE = 'https://trace.example.vn';
const GTIN = '08936045120019';
const CODE = 'k3v9x0m2qa';
const NOW = new Date('2026-12-02T08:00:00Z');
const T1 = new Date('2026-11-01T00:00:00Z');
const T2 = new Date('2026-12-01T00:00:00Z');

function labelUrl(fields: Partial<LabelFields>, signer: SigningKey = key): string {
  const f: LabelFields = { product: { kind: 'gtin', gtin: GTIN }, lot: 'MO-2026-11', serial: 'GENUINE777AAAAAA', stars: 4, validUntil: '290614', kid: shortKid(signer.kid), ...fields };
  return buildLabelUrl(BASE, { ...f, sig: signCanonical(signer, canonicalLabelString(f)) });
}

const at = (iso: string) => new Date(iso);
/** What the service knew at T1, and at T2 (T1's facts and more). */
const factsT1: RevocationFacts = {
  keys: [],
  runs: [{ id: 'run0000001', product: `01/${GTIN}`, lot: 'MO-RUN', revokedAt: at('2026-10-20T10:00:00Z'), count: 3, serials: serialPrefixes(['RVK00001AAAAAAAA', 'RVK00002AAAAAAAA', 'XXXXXXXXAAAAAAAA']) }],
  voided: [{ serial: 'VOIDED0000000001', at: at('2026-10-21T10:00:00Z') }],
  certifications: [],
};
const factsT2: RevocationFacts = {
  keys: [{ kid: revokedKey.kid, revokedAt: at('2026-11-15T00:00:00Z') }],
  runs: [...factsT1.runs, { id: 'run0000002', product: `p/${CODE}`, lot: 'CHE-1', revokedAt: at('2026-11-20T00:00:00Z'), count: 1, serials: serialPrefixes(['CHEREVOKED000001']) }],
  voided: [...factsT1.voided, { serial: 'VOIDED0000000002', at: at('2026-11-25T00:00:00Z') }],
  certifications: [
    { id: 'cert000001', product: `p/${CODE}`, validUntil: '270930', status: 'revoked', at: at('2026-11-10T00:00:00Z') },
    { id: 'cert000002', product: `01/${GTIN}`, validUntil: '261130', status: 'expired', at: at('2026-12-01T00:00:00Z') },
  ],
};
const listAt = (facts: RevocationFacts, asOf: Date) => signList(fullList(listEntries(facts), asOf), key);
const sections = (l: RevocationList) => ({ keys: l.keys, runs: l.runs, voided: l.voided, certifications: l.certifications });

describe('revocation list: signature, deltas and the offline verdict', () => {
  it('when the service signs a list, then it verifies with the published key, in Node and with the browser check', async () => {
    const list = listAt(factsT2, T2);
    expect(listSignatureValid(list, toVerifyingKey(key.publicJwk))).to.equal(true);
    expect(await offline.verifyRevocationList(JSON.parse(JSON.stringify(list)), jwks)).to.equal(true);
    // Both sides serialise alike: the bytes signed are one text.
    const { signature: _s, ...rest } = list;
    expect(offline.canonicalJson(rest)).to.equal(canonicalJson(rest));
  });

  it('when the list is served as text, then the text parses to the signed list and verifies', async () => {
    const { list, json } = signedListJson(fullList(listEntries(factsT2), T2), key);
    expect(JSON.parse(json)).to.deep.equal(list);
    expect(await offline.verifyRevocationList(JSON.parse(json), jwks)).to.equal(true);
  });

  it('when a signed list is altered in any member, or signed by a key not in the JWKS, then it is refused', async () => {
    const list = listAt(factsT2, T2);
    const tampered: Array<(l: RevocationList) => void> = [
      (l) => (l.asOf = '2027-01-01T00:00:00.000Z'),
      (l) => l.voided.pop(),
      (l) => (l.runs[0]!.serials = l.runs[0]!.serials.slice(8)),
      (l) => (l.certifications[0]!.status = 'expired'),
      (l) => l.keys.splice(0, 1),
    ];
    for (const change of tampered) {
      const copy = structuredClone(list);
      change(copy);
      expect(await offline.verifyRevocationList(copy, jwks), change.toString()).to.equal(false);
    }
    const stranger = signList(list, toSigningKey(generateSigningJwk()));
    expect(await offline.verifyRevocationList(stranger, jwks)).to.equal(false);
    expect(await offline.verifyRevocationList({ ...list, signature: undefined }, jwks)).to.equal(false);
  });

  it('when a delta since an old list is applied to it, then the result holds exactly the entries of the new full list', async () => {
    const old = listAt(factsT1, T1);
    const now = listAt(factsT2, T2);
    const delta = signList(deltaSince(now, T1), key);
    expect(delta.kind).to.equal('delta');
    expect(delta.voided.map((v) => v.serial)).to.deep.equal(['VOIDED0000000002']); // only what changed
    expect(await offline.verifyRevocationList(delta, jwks)).to.equal(true);
    const merged = offline.applyDelta(old, delta);
    expect(sections(merged)).to.deep.equal(sections(now));
    expect(merged.asOf).to.equal(now.asOf);
    // Applying it twice changes nothing.
    expect(sections(offline.applyDelta(merged, delta))).to.deep.equal(sections(now));
  });

  it('when `since` is older than the horizon, or absent, then the full list is the answer', () => {
    const now = listAt(factsT2, T2);
    expect(deltaSince(now, new Date(T2.getTime() - DELTA_HORIZON_MS - 1)).kind).to.equal('full');
    expect(deltaSince(now, null).kind).to.equal('full');
  });

  it('when a label is checked offline against the list, then a genuine one reads genuine and revoked, voided, revoked-key and expired ones read what they are, dated', async () => {
    const list = listAt(factsT2, T2);
    const check = (url: string) => offline.decideLabel(url, { jwks, list, now: NOW });
    const cases: Array<[string, string, string, string | null]> = [
      [labelUrl({}), 'genuine', 'genuine', null],
      [labelUrl({ lot: 'MO-RUN', serial: 'RVK00003AAAAAAAA' }), 'genuine', 'genuine', null], // same lot, not of the run
      [labelUrl({ lot: 'MO-RUN', serial: 'RVK00002AAAAAAAA' }), 'revoked', 'run_revoked', '2026-10-20T10:00:00.000Z'],
      [labelUrl({ lot: 'OTHER', serial: 'RVK00002AAAAAAAA' }), 'genuine', 'genuine', null], // the run is matched by its lot too
      [labelUrl({ product: { kind: 'product', productId: CODE }, lot: 'CHE-1', serial: 'CHEREVOKED000001', validUntil: '280101' }), 'revoked', 'run_revoked', '2026-11-20T00:00:00.000Z'],
      [labelUrl({ serial: 'VOIDED0000000002' }), 'revoked', 'label_voided', '2026-11-25T00:00:00.000Z'],
      [labelUrl({}, revokedKey), 'revoked', 'key_revoked', '2026-11-15T00:00:00.000Z'],
      [labelUrl({ product: { kind: 'product', productId: CODE }, lot: 'CHE-2', validUntil: '270930' }), 'revoked', 'certification_revoked', '2026-11-10T00:00:00.000Z'],
      [labelUrl({ validUntil: '261130' }), 'expired', 'certification_expired', '2026-12-01T00:00:00.000Z'],
      [labelUrl({ validUntil: '251231' }), 'expired', 'certification_expired', null], // past its printed date, listed or not
      [labelUrl({}).replace('s=4', 's=5'), 'forged', 'bad_signature', null],
      [labelUrl({}, toSigningKey(generateSigningJwk())), 'forged', 'unknown_key', null],
      ['https://example.com/not-a-label', 'not_label', 'not_label', null],
    ];
    for (const [url, verdict, reason, since] of cases) {
      const answer = await check(url);
      expect({ verdict: answer.verdict, reason: answer.reason, at: answer.at }, url).to.deep.equal({ verdict, reason, at: since });
      expect(answer.asOf).to.equal(list.asOf);
    }
    // The old list did not know the key revocation: offline that label is one signed by a key we do not hold.
    expect((await offline.decideLabel(labelUrl({}, revokedKey), { jwks, list: listAt(factsT1, T1), now: NOW })).verdict).to.equal('forged');
  });

  it('when docs/revocation-list.md gives its test vector, then the vector verifies with the test key and its signed bytes are the ones the document shows', async () => {
    const doc = fs.readFileSync(new URL('../../docs/revocation-list.md', import.meta.url), 'utf8');
    const vector = /<!-- vector:list -->\s*```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(vector, 'the vector block').to.be.a('string');
    const list = JSON.parse(vector!) as RevocationList;
    expect(await offline.verifyRevocationList(list, jwks)).to.equal(true);
    expect(listSignatureValid(list, toVerifyingKey(key.publicJwk))).to.equal(true);
    const signedText = /<!-- vector:signed -->\s*```\n([\s\S]*?)\n```/.exec(doc)?.[1];
    const { signature: _s, ...rest } = list;
    expect(signedText).to.equal(canonicalJson(rest));
  });
});
