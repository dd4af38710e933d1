/** Who may act: the roles a key or an account holds, and the principal a request acts as. */
export const ROLES = ['admin', 'producer', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller. A producer principal acts for exactly one producer. */
export type Principal = Readonly<{ keyId: string; role: Role; producerId: string | null }>;

/** The service itself (demo data, scripts): acts as an admin and is audited as "system". */
export const systemPrincipal: Principal = Object.freeze({ keyId: 'system', role: 'admin', producerId: null });
