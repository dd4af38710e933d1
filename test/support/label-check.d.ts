/** Types of public/label-check.js, plain JavaScript served to browsers as it is, for the tests that run it in Node. */
declare module '*/public/label-check.js' {
  export type LabelLink = { canonical: string; kid: string; sig: string };
  export type LinkOutcome = 'valid' | 'invalid' | 'no_key' | 'not_label';
  export type Jwks = { keys?: Array<{ kid?: unknown; x?: string; y?: string }> };

  export function parseLabelLink(href: string, base?: string): LabelLink | null;
  export function verifyLabelLink(href: string, jwks: Jwks | null | undefined, base?: string): Promise<LinkOutcome>;
}

/** Types of public/verify-offline.js (the page's offline check), for the test that compares its dates with the server's. */
declare module '*/public/verify-offline.js' {
  export function formatInstant(date: Date, lang: string): string;
}

/** Types of public/revocation-check.js (the offline check against the signed revocation list), for the tests that run it in Node. */
declare module '*/public/revocation-check.js' {
  import type { RevocationList } from '../../src/verify/revocations/revocation-list.js';
  import type { Jwks } from '*/public/label-check.js';
  export type OfflineVerdict = {
    verdict: 'not_label' | 'forged' | 'revoked' | 'expired' | 'genuine';
    reason: string;
    at: string | null;
    asOf: string | null;
  };
  export function canonicalJson(value: unknown): string;
  export function verifyRevocationList(list: unknown, jwks: Jwks | null | undefined): Promise<boolean>;
  export function applyDelta(list: RevocationList, delta: RevocationList): RevocationList;
  export function decideLabel(href: string, opts: { jwks: Jwks | null | undefined; list: RevocationList | null | undefined; now?: Date; base?: string }): Promise<OfflineVerdict>;
}
