import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import { isDuplicateKeyError } from '../db.js';
import { ChangeModel, type ChangeDoc } from './change.model.js';

/**
 * Several instances are one service (docs/operations.md, "Several instances"): a write
 * that changes what a verdict depends on is told to every instance through the change
 * feed (change.model.ts), and each drops the cache entries it names.
 *
 * 1. A feature's service makes its write, then calls `recordChange`: this process's
 *    listeners hear it at once (the instance that made a change never shows it late),
 *    then the change is appended to the feed as the next number.
 * 2. Every instance's ChangeFeed asks for the number after the last one it saw, by
 *    `_id`, every CHANGE_POLL_MS, and hands each record to its listeners.
 * 3. A feed that finds numbers missing (deleted after CHANGE_RETENTION_MS while this
 *    instance could not read them) tells its listeners `everything`: drop all.
 * 4. When the database refuses the append, the change waits in memory and the next poll
 *    writes it; caches still expire after CACHE_TTL_MS, the bound without a feed.
 */

/**
 * `tallies`: the labels (`ids`) whose scan tallies a flush wrote, with the version written
 * of each (`versions`) and, in `id`, where their figures can be read at once (scan-tally-news.ts).
 */
export type ChangeKind = 'label' | 'run' | 'certification' | 'product' | 'producer' | 'batch' | 'key' | 'tallies';
export type Change = { kind: ChangeKind; id: string; productId?: string | null; ids?: string[]; versions?: number[] };
/** What a listener hears: a change (`at`: when it was written, for another instance's), or `everything` when changes may have been missed. */
export type Heard = (Change & { at?: Date }) | { kind: 'everything'; id: '' };
export type ChangeListener = (change: Heard) => void;

/** This process, on the records it writes: its own poll skips them (it heard them when it made them). */
const thisProcess = randomBytes(8).toString('hex');

/** Changes older than this are deleted: every live instance has read them long before. */
export const CHANGE_RETENTION_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Rounds of "another writer took that number: find the newest, try the next" (each round one of the contenders wins). */
const APPEND_ROUNDS = 64;
/** Records handed out per poll at most: a feed far behind catches up over a few polls. */
const READ_PER_POLL = 500;

const listeners = new Set<ChangeListener>();
/** The feeds this process polls (main.ts starts one): `catchUp` asks them for the newest changes now. */
const running = new Set<ChangeFeed>();
/** The newest number this process knows was written (0: none known yet). */
let knownHead = 0;
/** Changes whose append failed: written by the next poll (or the next append). */
const unwritten: Change[] = [];
const counters = { recorded: 0, appendConflicts: 0, appendFailures: 0 };

/** Hears every change, this process's at once and others' at the next poll; returns the unsubscribe. */
export function onChange(listener: ChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Reads the feed now instead of at the next poll (sharing a poll in flight): a scan
 * flush calls it before writing tallies, so that it builds on the versions other
 * instances announced since the last poll instead of colliding with them.
 */
export async function catchUp(): Promise<void> {
  await Promise.all([...running].map((feed) => feed.poll()));
}

function tell(change: Heard, logger?: Logger): void {
  for (const listener of listeners) {
    try {
      listener(change);
    } catch (err) {
      logger?.warn({ err, change }, 'a change listener failed');
    }
  }
}

/**
 * After a write that changes a verdict's inputs: drops this process's cache entries
 * now and tells the other instances. Never fails the caller's request, whose write is
 * made: an append the database refuses is retried by the next poll.
 */
export async function recordChange(change: Change, logger?: Logger, opts: { tellHere?: boolean } = {}): Promise<void> {
  counters.recorded += 1;
  if (opts.tellHere !== false) tell(change, logger);
  try {
    await writeUnwritten();
    await append(change);
  } catch (err) {
    counters.appendFailures += 1;
    unwritten.push(change);
    logger?.warn({ err, change }, 'writing a change to the feed failed; the next poll tries again');
  }
}

async function writeUnwritten(): Promise<void> {
  while (unwritten.length > 0) {
    await append(unwritten[0]!);
    unwritten.shift();
  }
}

async function append(change: Change): Promise<number> {
  let after = knownHead === 0 ? await newestNumber(0) : knownHead;
  for (let round = 0; round < APPEND_ROUNDS; round += 1) {
    const number = after + 1;
    try {
      await ChangeModel.create({ _id: number, at: new Date(), kind: change.kind, id: change.id, productId: change.productId ?? null, ids: change.ids ?? [], versions: change.versions ?? [], by: thisProcess });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      counters.appendConflicts += 1;
      after = await newestNumber(number);
      continue;
    }
    knownHead = Math.max(knownHead, number);
    // Lossy on purpose: a head that lags only costs a starting reader a few more probes.
    await ChangeModel.updateOne({ _id: 0 }, { $set: { head: number, kind: 'head', at: new Date() } }, { upsert: true }).catch(() => undefined);
    return number;
  }
  throw new Error(`no free change number after ${APPEND_ROUNDS} tries`);
}

const exists = async (n: number) => (await ChangeModel.exists({ _id: n })) !== null;

async function headHint(): Promise<number> {
  const head = await ChangeModel.findById(0).lean<ChangeDoc>();
  return head?.head ?? 0;
}

/**
 * The newest number written, at least `from`: from the head (or `from`) probe 1, 2, 4 …
 * ahead until one is missing, then halve the gap. Numbers have no gaps above the
 * deleted old ones, so this takes about 2·log2(distance) `_id` lookups.
 */
async function newestNumber(from: number): Promise<number> {
  let low = Math.max(from, await headHint());
  let step = 1;
  let missing: number;
  for (;;) {
    if (!(await exists(low + step))) {
      missing = low + step;
      break;
    }
    low += step;
    step *= 2;
  }
  while (missing - low > 1) {
    const middle = Math.floor((low + missing) / 2);
    if (await exists(middle)) low = middle;
    else missing = middle;
  }
  knownHead = Math.max(knownHead, low);
  return low;
}

export type ChangeFeedStats = {
  /** The newest change number applied. */
  seen: number;
  applied: number;
  /** Times changes were found missing and every cache was dropped. */
  resets: number;
  failedPolls: number;
  /** How late the newest applied change arrived (its write to this instance's poll), ms. */
  lastLagMs: number;
  /** When the last poll answered (ms since the epoch; 0: never). */
  polledAt: number;
  unwritten: number;
  recorded: number;
  appendConflicts: number;
  appendFailures: number;
};

/** Polls the change feed for this instance (main.ts starts one per process). */
export class ChangeFeed {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private seen = -1; // -1: not started
  private prunedAt = 0;
  private readonly counters = { applied: 0, resets: 0, failedPolls: 0, lastLagMs: 0, polledAt: 0 };

  constructor(
    private readonly opts: {
      pollMs: number;
      available: () => boolean;
      logger?: Logger;
      clock?: () => number;
    },
  ) {}

  private now(): number {
    return this.opts.clock?.() ?? Date.now();
  }

  get stats(): ChangeFeedStats {
    return { seen: this.seen, ...this.counters, unwritten: unwritten.length, ...counters };
  }

  /** Starts from the newest change now written: the caches are empty, nothing older matters. */
  async start(): Promise<void> {
    this.seen = await newestNumber(0);
    this.counters.polledAt = this.now();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs);
    this.timer.unref();
    running.add(this);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    running.delete(this);
    await this.polling;
  }

  /** One poll (the timer's; tests call it too). Polls never overlap. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    if (!this.opts.available()) return;
    try {
      if (this.seen < 0) this.seen = await newestNumber(0);
      await writeUnwritten();
      await this.readNew();
      this.counters.polledAt = this.now();
      // Not awaited: a poll stays one or two lookups (a scan flush waits for one, catchUp), the sweep runs beside it.
      if (this.now() - this.prunedAt > PRUNE_EVERY_MS) void this.prune().catch((err: unknown) => this.opts.logger?.debug({ err }, 'pruning the change feed failed; next try in an hour'));
    } catch (err) {
      this.counters.failedPolls += 1;
      this.opts.logger?.debug({ err }, 'change feed poll failed; trying again at the next one');
    }
  }

  private async readNew(): Promise<void> {
    for (let read = 0; read < READ_PER_POLL; read += 1) {
      const [doc, head] = await Promise.all([ChangeModel.findById(this.seen + 1).lean<ChangeDoc>(), read === 0 ? headHint() : 0]);
      if (doc) {
        this.apply(doc);
        continue;
      }
      // The head names a number past ours that is not there: deleted before we read it (or written between the two reads: look again).
      if (head > this.seen && !(await exists(this.seen + 1))) await this.reset(head);
      return;
    }
  }

  private apply(doc: ChangeDoc): void {
    this.seen = doc._id;
    knownHead = Math.max(knownHead, doc._id);
    this.counters.applied += 1;
    this.counters.lastLagMs = Math.max(0, this.now() - doc.at.getTime());
    if (doc.by === thisProcess) return; // heard when it was made
    tell({ kind: doc.kind as ChangeKind, id: doc.id, productId: doc.productId, ids: doc.ids ?? [], versions: doc.versions ?? [], at: doc.at }, this.opts.logger);
  }

  private async reset(head: number): Promise<void> {
    this.counters.resets += 1;
    this.opts.logger?.warn({ seen: this.seen, head }, 'changes were deleted before this instance read them; dropping every cache');
    this.seen = await newestNumber(head);
    tell({ kind: 'everything', id: '' }, this.opts.logger);
  }

  private async prune(): Promise<void> {
    this.prunedAt = this.now();
    // Never the head (0), never the newest: a writer builds on it. An hourly sweep of a small collection.
    await ChangeModel.deleteMany({ _id: { $gt: 0, $lt: this.seen }, at: { $lt: new Date(this.now() - CHANGE_RETENTION_MS) } });
  }
}
