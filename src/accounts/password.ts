import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing: argon2id with OWASP's first recommended setting (19 MiB of memory,
 * 2 passes, 1 lane). Memory is what makes guessing on GPUs expensive; 19 MiB keeps a
 * login near 30 ms on one of our cores and bounds what a burst of logins can take
 * (logins are throttled per address and per account, login.service.ts). The settings
 * are in every hash, so raising them later leaves old hashes verifiable.
 */
// algorithm 2 is Algorithm.Argon2id, a const enum that isolated modules cannot read.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

let dummy: Promise<string> | undefined;

/**
 * Whether the password matches. With no hash (an unknown account, or one without a
 * password yet) a hash of nothing is checked all the same, so the answer takes as long
 * as for a wrong password and the time tells nothing.
 */
export async function passwordMatches(stored: string | null | undefined, password: string): Promise<boolean> {
  dummy ??= hashPassword('no account has this password');
  const target = stored ?? (await dummy);
  const ok = await verify(target, password).catch(() => false);
  return ok && Boolean(stored);
}
