/** Who may act: the roles a key or an account holds, and the principal a request acts as. */
export const ROLES = ['admin', 'producer', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Where a user's work lies. An admin of the programme office has one `province` (its
 * code) or null for the national office; an inspector has the `provinces` they work in.
 * The policy decides by it (policy.ts `provincesOf`, `inScope`): a provincial admin
 * writes and reads the office's records of its own province only and records 1–4★
 * decisions (5★ is the ministry's, the national office's); an inspector reads non-public
 * producer data of its provinces only. No scope at all (a machine key made by the
 * national office without one, the service itself) reaches every province.
 */
export type Scope = Readonly<{ province?: string | null; provinces?: readonly string[] }>;

/**
 * An authenticated caller. A producer principal acts for exactly one producer.
 * `keyId` names the credential: an API key's id, `user:<id>` for a logged-in session,
 * or `system`; captures, label changes and counts are kept per keyId. `userId` is set
 * when a person's account stands behind the request (a session, or a key bound to the
 * user); role and producer then come from the account.
 */
export type Principal = Readonly<{ keyId: string; role: Role; producerId: string | null; userId?: string; scope?: Scope }>;

/** The service itself (demo data, scripts): acts as an admin and is audited as "system". */
export const systemPrincipal: Principal = Object.freeze({ keyId: 'system', role: 'admin', producerId: null });
