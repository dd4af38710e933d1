import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { BoundedMap } from '../../bounded-map.js';
import type { Logger } from '../../logger.js';
import { newId } from '../../ids.js';
import { ScanModel, type FlaggedFields } from './scan.model.js';
import type { Verdict } from '../verdict.js';
import { ScanTallies } from './scan-tallies.js';
import { ScanMonthly, type ScanSignals } from './scan-monthly.js';
import { catchUp, onChange, recordChange } from '../../changes/changes.service.js';
import { TallySchedule } from './tally-schedule.js';
import { TallyNews, type Written } from './scan-tally-news.js';

/** Who scanned, as salted hashes (see ScanRecorder.clientOf). */
export type ScanClient = { clientHash: string; browser: string; network: string };

export type ScanRecord = {
  serial: string;
  time: Date;
  place: string | null;
  clientHash: string;
  verdict: Verdict;
  /** The product the URL names (GTIN-14 or /p/ product id): see scan.model.ts. */
  product?: string | null;
} & Partial<FlaggedFields>;

/** How often the timer writes the labels' scan figures (scan-tallies.ts). */
const TALLY_EVERY_MS = 1000;
/** Labels named in one change record when announcing written tallies (16-character serials: ≈ 30 KB; their news ≤ 2 KB each). */
const ANNOUNCE_CHUNK = 1000;
/** Largest batch of scans sent in one insertMany: a big flush never blocks the event loop for long. */
const INSERT_CHUNK = 1000;

/**
 * Scans are written in batches, not one insert per request: the verification page
 * must not wait for the database. Recorded scans wait in a bounded buffer and are
 * inserted every `flushMs`. When the buffer is full (the database is down or slow),
 * new scans are dropped and counted rather than growing memory without end.
 * A crash loses what is in the buffer: at most the last `flushMs` of scans
 * (docs/operations.md).
 */
export class ScanRecorder {
  private buffer: Array<ScanRecord & { _id: string }> = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private counters = { recorded: 0, written: 0, dropped: 0, failedFlushes: 0 };
  /** Per process, never stored: the client hash cannot be reversed by guessing IPs offline. */
  private readonly salt = randomBytes(16);

  constructor(
    private readonly opts: {
      flushMs: number;
      maxBuffered?: number;
      logger?: Logger;
      /** False when the database is known to be unreachable: keep scans buffered. */
      available?: () => boolean;
      /** How old a label's tally may be before a scan reads it again in the background, when no announcement came (default 30 s). */
      tallyTtlMs?: number;
    },
  ) {
    // Another instance's tallies announcement: this one writes its own away from it (tally-schedule.ts).
    onChange((change) => {
      if (change.kind === 'tallies' && change.at) this.schedule.heard(change.at.getTime());
    });
    this.tallies = new ScanTallies({
      ttlMs: opts.tallyTtlMs ?? 30_000,
      maxEntries: 50_000,
      available: () => this.available(),
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }

  /** Per-label figures (counts, clone signals), written by this recorder's flush. */
  readonly tallies: ScanTallies;
  /** Scans per month and province for the statistics page, written with the tallies. */
  readonly monthly = new ScanMonthly();

  private available(): boolean {
    return (this.opts.available ?? (() => mongoose.connection.readyState === 1))();
  }

  /** Recent clients' hashes: a phone scanning again is not hashed again, and equal hashes are one string. */
  private readonly clientHashes = new BoundedMap<string, ScanClient>(10_000);

  /**
   * Short salted hashes of who scanned, telling them apart without storing addresses:
   * the browser (user agent), the network (address; IPv6 by its /64, the part a phone
   * keeps while it rotates the rest) and the client (both, stored with each scan).
   */
  clientOf(ip: string, userAgent: string): ScanClient {
    return this.clientHashes.remember(`${ip}\n${userAgent}`, () => {
      const network = networkOf(ip);
      return { clientHash: this.hash(`${network}\n${userAgent}`), browser: this.hash(`ua\n${userAgent}`), network: this.hash(network) };
    });
  }

  private hash(text: string): string {
    return createHash('sha256').update(this.salt).update(text).digest('base64url').slice(0, 16);
  }

  /** `signals`: what the monthly statistics count beside the verdict (scan-monthly.ts). */
  record(scan: ScanRecord, signals?: ScanSignals): void {
    this.counters.recorded += 1;
    if (this.buffer.length >= (this.opts.maxBuffered ?? 10_000)) {
      this.counters.dropped += 1;
      return;
    }
    this.buffer.push({ _id: newId() + newId(), ...scan });
    if (signals) this.monthly.add(scan.time, scan.verdict, signals);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.opts.flushMs);
      this.timer.unref(); // never keeps the process alive on its own
    }
  }

  get stats(): Readonly<typeof this.counters & { buffered: number; oldestBufferedAt: number | null }> {
    return { ...this.counters, buffered: this.buffer.length, oldestBufferedAt: this.buffer[0]?.time.getTime() ?? null };
  }

  /**
   * Writes everything buffered so far, then the labels' figures (unless `tallies` is
   * false). Concurrent calls share one flush, then run again.
   */
  async flush(tallies = true): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && !(tallies && (this.tallies.hasUnwritten || this.monthly.dirty))) return;
    this.flushing = this.writeBuffered(tallies).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  /** Stops the timer and writes what is left (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeBuffered(tallies: boolean): Promise<void> {
    if (!this.available()) return;
    await this.writeLog();
    if (!tallies) return;
    // What the other instances announced since the last poll, taken first: this flush builds on their versions instead of losing the race for them.
    await catchUp();
    await this.tallies.idle();
    await this.tallies.flush({ heads: false });
    await this.announce(this.tallies.takeWritten()); // at once: until then another instance's flush could collide with these versions
    await this.tallies.copyHeads().catch((err: unknown) => this.opts.logger?.debug({ err }, 'scan tally heads not copied; readers probe a few more versions'));
    await this.monthly.flush().catch((err: unknown) => this.opts.logger?.warn({ err }, 'monthly scan counts not written; trying again at the next flush'));
  }

  /**
   * Tells the other instances which labels' tallies were just written (one change record
   * per ANNOUNCE_CHUNK labels, not per label), with the version written of each and their
   * figures in one news document (scan-tally-news.ts): each takes the ones it holds from
   * it with one read, so their figures include these scans within CHANGE_POLL_MS plus
   * that read. Without the news (its write failed) they read the labels they hold one by one.
   */
  private async announce(written: Written): Promise<void> {
    for (let i = 0; i < written.length; i += ANNOUNCE_CHUNK) {
      const chunk = written.slice(i, i + ANNOUNCE_CHUNK);
      const news = this.news.prepare(chunk);
      const change = { kind: 'tallies' as const, id: news.ref, ids: chunk.map(([serial]) => serial), versions: chunk.map(([, t]) => t.version) };
      // Both at once: the sooner the record is out, the less another instance's flush can collide with these versions.
      const stored = news.write().catch((err: unknown) => this.opts.logger?.debug({ err }, 'scan tally news not written; the other instances read the labels one by one'));
      await Promise.all([stored, recordChange(change, this.opts.logger, { tellHere: false })]);
    }
  }

  private readonly news = new TallyNews();

  /**
   * The timer writes the figures at most every TALLY_EVERY_MS: a busy label then costs
   * one tally version a second, not one per flush of the scan log, while its scans
   * show at once on this instance (and on others within a second plus CHANGE_POLL_MS and a read: announce).
   */
  private readonly schedule = new TallySchedule(TALLY_EVERY_MS);
  private tick(): void {
    void this.flush(this.schedule.due());
  }

  private async writeLog(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    for (let i = 0; i < batch.length; i += INSERT_CHUNK) {
      const chunk = batch.slice(i, i + INSERT_CHUNK);
      try {
        await ScanModel.insertMany(chunk, { ordered: false, lean: true });
        this.counters.written += chunk.length;
      } catch (err) {
        const duplicates = onlyDuplicates(err);
        if (duplicates !== null) {
          // A retried chunk: some of it was written before the failure. Ids make that harmless.
          this.counters.written += chunk.length - duplicates;
          continue;
        }
        this.counters.failedFlushes += 1;
        this.opts.logger?.warn({ err, pending: batch.length - i }, 'scan flush failed; keeping scans for the next flush');
        this.requeue(batch.slice(i));
        return;
      }
    }
  }

  /** Puts unwritten scans back in front of newer ones, within the bound. */
  private requeue(unwritten: Array<ScanRecord & { _id: string }>): void {
    const room = (this.opts.maxBuffered ?? 10_000) - this.buffer.length;
    const kept = unwritten.slice(Math.max(0, unwritten.length - room));
    this.counters.dropped += unwritten.length - kept.length;
    this.buffer = [...kept, ...this.buffer];
  }
}

/** Number of duplicate-key failures when those are the only failures of a bulk insert, else null. */
function onlyDuplicates(err: unknown): number | null {
  const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) return null;
  const codes = writeErrors.map((w) => w.code ?? w.err?.code);
  return codes.every((c) => c === 11000) ? codes.length : null;
}

/** The address a client is known by: IPv4 whole, IPv6 by its first four groups (/64). */
function networkOf(ip: string): string {
  if (!ip.includes(':') || ip.startsWith('::ffff:')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const groups = head === '' ? [] : head.split(':');
  const rest = tail === '' ? [] : tail.split(':');
  const full = [...groups, ...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest];
  return `${full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
