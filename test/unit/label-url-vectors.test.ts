import { expect } from 'chai';
import { jwkThumbprint, publicPart, shortKid, signCanonical, toSigningKey, toVerifyingKey, verifyCanonical, type PrivateJwk } from '../../src/labels/signing/key-crypto.js';
import { buildLabelUrl, canonicalLabelString, parseLabel, type LabelFields, type SignedLabel } from '../../src/labels/format/label-url.js';

/** The published test vectors of docs/label-format.md §5 (a test-only key). */
const testJwk: PrivateJwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'PYWVE18QMBjn9Vf48eoZfbbTsVri1tqGuxAniHA-1zY',
  y: 'EFQsT08EdSWGGpCvobSQlGypPs8RcRmyW91CSZeF7NY',
  d: 'pFPL1Evs-wN7JhsgBkpCowkLXD75P6ZPJMW951TbJ1c',
};
const KID = '1PQSLId9wKzTdqj2CUROysXvrP2PwUSmgmNKpIt1koU';

const vectors: Array<{ name: string; label: SignedLabel; canonical: string; url: string }> = [
  {
    name: 'GTIN label',
    label: {
      product: { kind: 'gtin', gtin: '08936045120019' },
      lot: 'MO-2025-09A',
      serial: 'Q7fK2mX9pL4sT',
      stars: 4,
      validUntil: '280614',
      kid: '1PQSLId9',
      sig: 'uIIfKO-XoWNypn2RcnUW7AkGxihCY8NYYNn70D6xJ6uJTv7VJ3Lni_cPA1n3WvLyLOozrmCSUigvgwVy729Yog',
    },
    canonical: '/01/08936045120019/10/MO-2025-09A/21/Q7fK2mX9pL4sT?s=4&v=280614&k=1PQSLId9',
    url: 'https://trace.example.vn/01/08936045120019/10/MO-2025-09A/21/Q7fK2mX9pL4sT?s=4&v=280614&k=1PQSLId9&sig=uIIfKO-XoWNypn2RcnUW7AkGxihCY8NYYNn70D6xJ6uJTv7VJ3Lni_cPA1n3WvLyLOozrmCSUigvgwVy729Yog',
  },
  {
    name: 'label without a GTIN',
    label: {
      product: { kind: 'product', productId: 'k3v9x0m2qa' },
      lot: 'CHE.TAN-0725',
      serial: '4hZr8WcN1yDbE',
      stars: 3,
      validUntil: '270930',
      kid: '1PQSLId9',
      sig: 'c6UnbICSalUnMk4dOW0pQNdLdEzCAE3ZAoqm2vj63oBULXjUNkiqigbuZ1xTdN2QLhmWZ3Ae_o_oggMuwmCR4g',
    },
    canonical: '/p/k3v9x0m2qa/10/CHE.TAN-0725/21/4hZr8WcN1yDbE?s=3&v=270930&k=1PQSLId9',
    url: 'https://trace.example.vn/p/k3v9x0m2qa/10/CHE.TAN-0725/21/4hZr8WcN1yDbE?s=3&v=270930&k=1PQSLId9&sig=c6UnbICSalUnMk4dOW0pQNdLdEzCAE3ZAoqm2vj63oBULXjUNkiqigbuZ1xTdN2QLhmWZ3Ae_o_oggMuwmCR4g',
  },
];

const verifier = toVerifyingKey(publicPart(testJwk));
const verifies = (fields: LabelFields, sig: string) => verifyCanonical(verifier, canonicalLabelString(fields), sig);

/** One character changed: the next character of the same class (digit → digit, letter → letter). */
function bump(s: string, at: number): string {
  const c = s[at]!;
  const next = /\d/.test(c) ? String((Number(c) + 1) % 10) : /[a-y]/i.test(c) ? String.fromCharCode(c.charCodeAt(0) + 1) : c === 'z' ? 'a' : c === 'Z' ? 'A' : c === '-' ? '_' : '-';
  return s.slice(0, at) + next + s.slice(at + 1);
}

describe('label format test vectors (docs/label-format.md)', () => {
  it('when the test key is thumbprinted, then its kid is the documented one and labels print its first 8 characters', () => {
    expect(jwkThumbprint(publicPart(testJwk))).to.equal(KID);
    expect(shortKid(KID)).to.equal('1PQSLId9');
  });

  for (const v of vectors) {
    describe(v.name, () => {
      it('when the fields are put together, then the canonical string and the URL are exactly the documented ones', () => {
        expect(canonicalLabelString(v.label)).to.equal(v.canonical);
        expect(buildLabelUrl('https://trace.example.vn', v.label)).to.equal(v.url);
      });

      it('when the documented URL is parsed, then it gives back the fields and its signature verifies', () => {
        const url = new URL(v.url);
        const parsed = parseLabel(url.pathname, Object.fromEntries(url.searchParams));
        expect(parsed).to.deep.equal({ ok: true, label: v.label });
        expect(verifies(v.label, v.label.sig)).to.equal(true);
      });

      it('when the label is served from another host, then it still verifies (the host is not signed)', () => {
        const url = new URL(v.url.replace('https://trace.example.vn', 'https://ocop.gov.example'));
        const parsed = parseLabel(url.pathname, Object.fromEntries(url.searchParams));
        expect(parsed.ok && verifies(parsed.label, parsed.label.sig)).to.equal(true);
      });

      it('when any one character of a signed field changes, then the signature no longer verifies', () => {
        const { sig, ...fields } = v.label;
        const variants: LabelFields[] = [];
        for (let i = 0; i < fields.lot.length; i++) variants.push({ ...fields, lot: bump(fields.lot, i) });
        for (let i = 0; i < fields.serial.length; i++) variants.push({ ...fields, serial: bump(fields.serial, i) });
        for (let i = 0; i < fields.validUntil.length; i++) variants.push({ ...fields, validUntil: bump(fields.validUntil, i) });
        for (let i = 0; i < fields.kid.length; i++) variants.push({ ...fields, kid: bump(fields.kid, i) });
        variants.push({ ...fields, stars: fields.stars === 5 ? 4 : fields.stars + 1 });
        const p = fields.product;
        if (p.kind === 'gtin') for (let i = 0; i < 14; i++) variants.push({ ...fields, product: { kind: 'gtin', gtin: bump(p.gtin, i) } });
        else for (let i = 0; i < 10; i++) variants.push({ ...fields, product: { kind: 'product', productId: bump(p.productId, i) } });
        variants.push({ ...fields, product: p.kind === 'gtin' ? { kind: 'product', productId: '0893604512' } : { kind: 'gtin', gtin: '08936045120019' } });
        for (const changed of variants) expect(verifies(changed, sig), canonicalLabelString(changed)).to.equal(false);
      });

      it('when one character of the signature changes, then it no longer verifies', () => {
        // The last character carries 2 unused bits, so it is left out.
        for (let i = 0; i < 85; i += 7) expect(verifies(v.label, bump(v.label.sig, i)), `position ${i}`).to.equal(false);
      });

      it('when the test key signs the same string again, then the new signature differs (ECDSA is randomised) and also verifies', () => {
        const again = signCanonical(toSigningKey(testJwk), v.canonical);
        expect(again).to.not.equal(v.label.sig);
        expect(verifyCanonical(verifier, v.canonical, again)).to.equal(true);
      });
    });
  }
});
