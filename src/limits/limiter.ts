import mongoose from 'mongoose';
import { RateLimiterMemory, RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { RATE_LIMIT_COLLECTION, RateLimitCountModel } from './rate-limit-count.model.js';

/**
 * Counting requests per key (an API key, a client address) in fixed windows, with
 * rate-limiter-flexible. Two counts, and a request must pass both:
 *
 * - **this instance's count, in memory** (RateLimiterMemory): exact, free, and it holds
 *   whatever the database does, so a flood is refused even when the shared count
 *   undercounts or the database is gone;
 * - **the shared count, in the database** (RateLimiterMongo on the service's mongoose
 *   connection), so several instances together keep to one budget. FerretDB has no
 *   atomic read-modify-write: concurrent increments of one count lose updates (500
 *   concurrent increments stored about 20, docs/operations.md "Rate limits"). So each
 *   instance sends at most one increment per key at a time; requests that arrive while
 *   it runs are added to the next one and decided by the last answer. A request waits
 *   for the shared count at most `timeoutMs`, never when the database is known to be
 *   disconnected, and a database error lets this instance's count decide alone:
 *   limiting never turns a request into a 500 or a hang.
 */

export type LimitRule = Readonly<{
  /** Names the count: the prefix of its keys in memory and in the database (letters, digits, _). */
  name: string;
  /** Requests allowed per window; 0: no limit. */
  points: number;
  windowSec: number;
}>;

/** The shared store: the database, and how long a request waits for it. */
export type SharedStore = Readonly<{ timeoutMs: number; onError?: (err: unknown) => void }>;

/** A refused request: when the window frees up. */
export type Refusal = Readonly<{ retryAfterSec: number; limit: number; windowSec: number }>;

/**
 * At most this many increments of shared counts in flight per process: a flood from many
 * addresses at once costs the database this many concurrent writes, not one per request.
 * A request past it is decided by its instance's count alone.
 */
export const MAX_SHARED_IN_FLIGHT = 16;
/** Expired counts are deleted this often (FerretDB has no TTL index); one sweep at a time. */
const SWEEP_EVERY_MS = 10 * 60_000;

let sharedInFlight = 0;
let lastSweep = 0;

export class Limiter {
  private readonly local: RateLimiterMemory;
  private readonly shared: SharedCount | null;

  constructor(
    readonly rule: LimitRule,
    store: SharedStore | null,
  ) {
    if (!/^\w+$/.test(rule.name)) throw new Error(`rate limit name ${rule.name}: letters, digits and _ only`);
    this.local = new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.windowSec });
    this.shared = store && rule.points > 0 ? new SharedCount(rule, store, this.local) : null;
  }

  get enabled(): boolean {
    return this.rule.points > 0;
  }

  /** Counts one request of `key`: null when it may go on, else when to try again. */
  async consume(key: string): Promise<Refusal | null> {
    if (!this.enabled) return null;
    try {
      await this.local.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) return this.refusal(res.msBeforeNext);
      throw res;
    }
    if (!this.shared) return null;
    const blockedMs = await this.shared.consume(key);
    return blockedMs === null ? null : this.refusal(blockedMs);
  }

  /** Whether `key` is over its limit now, without counting a request (memory only: no database round trip). */
  async refused(key: string): Promise<Refusal | null> {
    if (!this.enabled) return null;
    const res = await this.local.get(key);
    return res && res.consumedPoints > this.rule.points ? this.refusal(res.msBeforeNext) : null;
  }

  private refusal(ms: number): Refusal {
    return { retryAfterSec: Math.max(1, Math.ceil(ms / 1000)), limit: this.rule.points, windowSec: this.rule.windowSec };
  }
}

/** The shared count of one rule: one increment per key in flight, bounded waits, errors ignored. */
class SharedCount {
  private readonly store: RateLimiterMongo;
  /** Keys with an increment in flight, and the requests that came in since it was sent. */
  private readonly inFlight = new Map<string, { extra: number }>();

  constructor(
    private readonly rule: LimitRule,
    private readonly options: SharedStore,
    private readonly local: RateLimiterMemory,
  ) {
    this.store = new RateLimiterMongo({
      storeClient: mongoose.connection,
      tableName: RATE_LIMIT_COLLECTION,
      keyPrefix: rule.name,
      points: rule.points,
      duration: rule.windowSec,
      // The indexes are the model's (synced with the others); the library's TTL index does not exist on FerretDB.
      disableIndexesCreation: true,
    });
  }

  /** Null: not over the shared limit (as far as the database said in time); else ms until the window frees up. */
  consume(key: string): Promise<number | null> | null {
    const running = this.inFlight.get(key);
    if (running) {
      running.extra += 1;
      return null;
    }
    if (mongoose.connection.readyState !== 1 || sharedInFlight >= MAX_SHARED_IN_FLIGHT) return null;
    sweepExpired();
    return this.send(key, 1);
  }

  private send(key: string, points: number): Promise<number | null> {
    const entry = { extra: 0 };
    this.inFlight.set(key, entry);
    sharedInFlight += 1;
    const answered = this.store.consume(key, points).then(
      () => null,
      async (err: unknown) => {
        if (!(err instanceof RateLimiterRes)) {
          this.options.onError?.(err);
          return null;
        }
        // Over the shared limit: this instance refuses the key in memory until the window ends.
        await this.local.block(key, Math.max(1, err.msBeforeNext) / 1000);
        return err.msBeforeNext;
      },
    );
    void answered.finally(() => {
      this.inFlight.delete(key);
      sharedInFlight -= 1;
      // The requests that came in meanwhile are counted with the next increment, which nobody waits for.
      if (entry.extra > 0 && mongoose.connection.readyState === 1 && sharedInFlight < MAX_SHARED_IN_FLIGHT) {
        void this.send(key, entry.extra);
      }
    });
    return withDeadline(answered, this.options.timeoutMs);
  }
}

/** The answer, or null (not refused) when it takes longer than `ms`. */
function withDeadline(answer: Promise<number | null>, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/** Deletes counts whose window ended over a minute ago, at most every SWEEP_EVERY_MS per process. */
function sweepExpired(): void {
  const now = Date.now();
  if (now - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = now;
  RateLimitCountModel.deleteMany({ expire: { $lt: new Date(now - 60_000) } })
    .maxTimeMS(5_000)
    .exec()
    .catch(() => undefined); // the next sweep tries again; stale counts only take space
}
