import type { Config } from '../config.js';
import { Limiter } from '../limits/limiter.js';
import { checkPassword, type UserView } from './user.service.js';

/**
 * Logging in with an email and a password, throttled by failures:
 *
 * 1. Is the account, or the client address, locked (its failures in this window have
 *    reached the limit)? Then refuse, without checking the password: the right
 *    password is refused too until the window ends.
 * 2. Check the password (user.service.ts: an unknown account takes as long as a wrong
 *    password, and gets the same answer).
 * 3. A failure counts against the account (by the email typed, existing or not: an
 *    unknown email locks as a real one does, so a lock tells nothing) and the address.
 *    The failure that reaches a limit is answered as a lock already.
 *
 * The counts are the API limits' (src/limits/limiter.ts): per process in memory, and in
 * the database when shared between instances. The limiter refuses a request past
 * `points`, so it is given one less than the failures allowed: the Nth failure is the
 * one refused, and from then on the key is over its limit.
 */

export type LoginOutcome =
  | { ok: true; user: UserView & { generation: number } }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; retryAfterSec: number };

export class LoginGate {
  private readonly perAccount: Limiter;
  private readonly perAddress: Limiter;

  constructor(config: Config) {
    const a = config.accounts;
    const store = config.rateLimits.shared ? { timeoutMs: config.rateLimits.storeTimeoutMs } : null;
    this.perAccount = new Limiter({ name: 'login_account', points: a.loginFailuresPerAccount - 1, windowSec: a.loginWindowSec }, store);
    this.perAddress = new Limiter({ name: 'login_address', points: a.loginFailuresPerAddress - 1, windowSec: a.loginWindowSec }, store);
  }

  async logIn(input: { email: string; password: string; address: string }): Promise<LoginOutcome> {
    const account = `email:${input.email.trim().toLowerCase()}`;
    const locked = (await this.perAccount.refused(account)) ?? (await this.perAddress.refused(input.address));
    if (locked) return { ok: false, reason: 'locked', retryAfterSec: locked.retryAfterSec };
    const user = await checkPassword(input.email, input.password);
    if (user) return { ok: true, user };
    const [byAccount, byAddress] = await Promise.all([this.perAccount.consume(account), this.perAddress.consume(input.address)]);
    const now = byAccount ?? byAddress;
    return now ? { ok: false, reason: 'locked', retryAfterSec: now.retryAfterSec } : { ok: false, reason: 'wrong' };
  }
}
