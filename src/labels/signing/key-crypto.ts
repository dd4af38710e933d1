import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * ES256 (ECDSA P-256 + SHA-256) label keys. Signatures are raw r‖s (64 bytes, the
 * IEEE P1363 form WebCrypto uses), so a browser can check a label with the JWKS alone.
 */
export type PublicJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string };
export type PrivateJwk = PublicJwk & { d: string };

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
export function jwkThumbprint(jwk: PublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Labels carry only this prefix of the kid, to keep the QR code small. */
export const SHORT_KID_LENGTH = 8;
export const shortKid = (kid: string) => kid.slice(0, SHORT_KID_LENGTH);

export function publicPart(jwk: PrivateJwk | PublicJwk): PublicJwk {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

export function generateSigningJwk(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y), d: String(jwk.d) };
}

export function isPrivateJwk(value: unknown): value is PrivateJwk {
  const v = value as Partial<PrivateJwk> | null;
  return !!v && v.kty === 'EC' && v.crv === 'P-256' && [v.x, v.y, v.d].every((s) => typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s));
}

export type SigningKey = { kid: string; privateKey: KeyObject; publicJwk: PublicJwk };
export type VerifyingKey = { kid: string; publicKey: KeyObject; publicJwk: PublicJwk };

export function toSigningKey(jwk: PrivateJwk): SigningKey {
  const publicJwk = publicPart(jwk);
  return { kid: jwkThumbprint(publicJwk), privateKey: createPrivateKey({ key: jwk, format: 'jwk' }), publicJwk };
}

export function toVerifyingKey(jwk: PublicJwk): VerifyingKey {
  return { kid: jwkThumbprint(jwk), publicKey: createPublicKey({ key: jwk, format: 'jwk' }), publicJwk: jwk };
}

/** Signs a canonical label string; returns the 64-byte signature as base64url (86 chars). */
export function signCanonical(key: SigningKey, canonical: string): string {
  return sign('sha256', Buffer.from(canonical, 'utf8'), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

export function verifyCanonical(key: VerifyingKey, canonical: string, signature: string): boolean {
  const sig = Buffer.from(signature, 'base64url');
  if (sig.length !== 64) return false;
  return verify('sha256', Buffer.from(canonical, 'utf8'), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, sig);
}
