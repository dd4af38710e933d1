import { BoundedMap } from '../../bounded-map.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../logger.js';
import { databaseUnavailable } from '../cache.js';
import type { MaybePromise } from '../maybe-async.js';
import { onChange, type Heard } from '../../changes/changes.service.js';
import { addScan, copyFigures, mergeInto, noScans, type Figures, type ScanEntry } from './scan-figures.js';
import { ScanTallyModel, tallyId, type ScanTallyDoc } from './scan-tally.model.js';
import { copyToHeads, inBatches, insertNew, newestFrom, readVersion, tallyOf, type Tally } from './scan-tally-store.js';
import { readNews, type Written } from './scan-tally-news.js';

export type { Tally } from './scan-tally-store.js';

/** Every HEAD_EVERY-th version is copied to the head: a reader probes at most a few versions past it. */
const HEAD_EVERY = 4;
/** Rounds of "someone else wrote that version first: read theirs, add ours, try the next". */
const WRITE_ROUNDS = 4;
const INSERT_CHUNK = 1000;
/** Labels loaded at once when a flush meets labels this process no longer holds. */
const LOAD_PARALLEL = 16;

/** `behind`: a newer version another instance announced (0: none), read on the label's next scan or write. */
type Entry = { base: Tally; loadedAt: number; refreshing: boolean; view: Figures | null; behind: number };
/** Scans taken out of `pending` for a write; `attempted` is the version id tried, whose outcome may be unknown. */
type Unconfirmed = { delta: Figures; writer: string; attempted: string | null };

/**
 * Per-label scan figures kept incrementally, so that their cost does not grow with a
 * label's history. Each flush adds the scans of the last interval to the label's newest
 * tally and inserts the result as the next version; reading is an `_id` lookup of the
 * version after the one known (scan-tally.model.ts). Several instances stay correct
 * without atomic updates: the unique `_id` lets one of them write a version, and the
 * other reads it, adds its own scans and writes the one after.
 *
 * Reads never make a request wait once a label is known: a stale tally is answered at
 * once while one refresh runs in the background. Scans are shown as soon as they are
 * added; unwritten ones are kept per label in a bounded map of small deltas (a label
 * scanned a million times while the database is down is still one delta).
 */
export class ScanTallies {
  private readonly known: BoundedMap<string, Entry>;
  private readonly loading = new Map<string, Promise<Tally>>();
  /** Versions announced for labels whose first read was in flight (loadOnce marks them behind). */
  private readonly heardWhileLoading = new Map<string, number>();
  private readonly refreshes = new Set<Promise<void>>();
  private pending = new Map<string, Figures>();
  private readonly unconfirmed = new Map<string, Unconfirmed>();
  private readonly counters = { versionsWritten: 0, conflicts: 0, droppedScans: 0, failedWrites: 0, newsTaken: 0, newsMissed: 0, versionsRead: 0 };
  /** Labels whose versions this process wrote since the last takeWritten: announced to the other instances. */
  private written = new Map<string, Tally>();
  /** Versions written whose copy to the label's head is due (copyHeads). */
  private headsDue: ScanTallyDoc[] = [];

  constructor(
    private readonly opts: {
      ttlMs: number;
      maxEntries: number;
      available: () => boolean;
      maxPendingLabels?: number;
      logger?: Logger;
      clock?: () => number;
    },
  ) {
    this.known = new BoundedMap(opts.maxEntries);
    onChange((change) => this.heard(change));
  }

  /** The labels written since the last call, each with the version written (scan-recorder.ts announces them). */
  takeWritten(): Written {
    const written = [...this.written];
    this.written = new Map();
    return written;
  }

  /**
   * Another instance wrote these labels' tallies. Of the ones held here at an older
   * version, the figures are taken from the announcement's news (one read for them all,
   * in the background); without it, each is marked behind and read (that one version,
   * one lookup) on its next scan or write, so a label nobody scans here costs nothing.
   */
  private heard(change: Heard): void {
    if (change.kind !== 'tallies' || !change.ids || !this.opts.available()) return;
    const versions = change.versions ?? [];
    let behind = 0;
    for (let i = 0; i < change.ids.length; i += 1) {
      const serial = change.ids[i]!;
      const entry = this.known.peek(serial);
      const version = versions[i];
      if (!entry) {
        // Being read now, perhaps from before this version: marked behind once the read is in.
        if (version !== undefined && this.loading.has(serial)) this.heardWhileLoading.set(serial, Math.max(version, this.heardWhileLoading.get(serial) ?? 0));
        continue;
      }
      if (version === undefined) {
        if (!entry.refreshing) this.refresh(serial, entry); // an announcement without versions: read the newest
      } else if (version > entry.base.version && version > entry.behind) {
        entry.behind = version;
        behind += 1;
      }
    }
    if (behind > 0 && change.id) this.track(this.takeNews(change.id));
  }

  private async takeNews(ref: string): Promise<void> {
    const news = await readNews(ref).catch((err: unknown) => {
      this.opts.logger?.debug({ err }, 'scan tally news not read; the labels are read one by one');
      return null;
    });
    if (!news) {
      this.counters.newsMissed += 1;
      return;
    }
    this.counters.newsTaken += 1;
    for (const [serial, tally] of news) if (this.known.peek(serial)) this.remember(serial, tally);
  }

  private now(): number {
    return this.opts.clock?.() ?? Date.now();
  }

  get stats(): Readonly<typeof this.counters & { pendingLabels: number; unconfirmedLabels: number }> {
    return { ...this.counters, pendingLabels: this.pending.size, unconfirmedLabels: this.unconfirmed.size };
  }

  get hasUnwritten(): boolean {
    return this.pending.size > 0 || this.unconfirmed.size > 0;
  }

  /**
   * The label's stored tally: a plain value when known (a stale one starts a background
   * refresh and is answered meanwhile), a promise the first time.
   */
  lookup(serial: string): MaybePromise<Tally> {
    const entry = this.known.get(serial);
    if (entry) {
      if (!entry.refreshing && this.opts.available()) {
        if (entry.behind > entry.base.version) this.readBehind(serial, entry);
        else if (this.now() - entry.loadedAt > this.opts.ttlMs) this.refresh(serial, entry);
      }
      return entry.base;
    }
    if (!this.opts.available()) return Promise.reject(databaseUnavailable());
    return this.loadOnce(serial);
  }

  /** Adds a scan: shown at once, written at the next flush. */
  add(serial: string, scan: ScanEntry): void {
    let delta = this.pending.get(serial);
    if (!delta) {
      if (this.pending.size >= (this.opts.maxPendingLabels ?? 50_000)) {
        this.counters.droppedScans += 1;
        return;
      }
      delta = noScans();
      this.pending.set(serial, delta);
    }
    addScan(delta, scan);
    const view = this.known.peek(serial)?.view;
    if (view) addScan(view, scan);
  }

  /** What the page shows: the stored tally plus this process's unwritten scans; null when never loaded. */
  view(serial: string): Figures | null {
    const entry = this.known.peek(serial);
    if (!entry) return null;
    if (!entry.view) {
      const view = copyFigures(entry.base);
      const unconfirmed = this.unconfirmed.get(serial);
      if (unconfirmed) mergeInto(view, unconfirmed.delta);
      const pending = this.pending.get(serial);
      if (pending) mergeInto(view, pending);
      entry.view = view;
    }
    return entry.view;
  }

  /**
   * Writes the scans added so far as each label's next version, and copies the heads due
   * unless `heads` is false (the caller then calls copyHeads). Callers run one flush at a time.
   */
  async flush(opts: { heads?: boolean } = {}): Promise<void> {
    if (!this.hasUnwritten || !this.opts.available()) return;
    for (const [serial, delta] of this.pending) {
      if (this.unconfirmed.has(serial)) continue; // its last write is not settled: these wait one more flush
      this.unconfirmed.set(serial, { delta, writer: newId() + newId(), attempted: null });
      this.pending.delete(serial);
    }
    try {
      for (let round = 0; round < WRITE_ROUNDS && this.unconfirmed.size > 0; round += 1) await this.writeRound();
    } catch (err) {
      this.counters.failedWrites += 1;
      this.opts.logger?.warn({ err, labels: this.unconfirmed.size }, 'scan tally write failed; keeping the scans for the next flush');
    }
    if (opts.heads !== false) await this.copyHeads();
  }

  /** One insert of the next version of every unconfirmed label; settles what it can. */
  private async writeRound(): Promise<void> {
    const serials = [...this.unconfirmed.keys()];
    const bases = await inBatches(serials, LOAD_PARALLEL, (serial) => this.baseForWrite(serial));
    const docs: ScanTallyDoc[] = [];
    for (let i = 0; i < serials.length; i += 1) {
      const base = bases[i];
      const u = this.unconfirmed.get(serials[i]!);
      if (!base || !u) continue; // settled as already written by this process
      const next: Tally = { ...copyFigures(base), version: base.version + 1 };
      mergeInto(next, u.delta);
      u.attempted = tallyId(serials[i]!, next.version);
      docs.push({ _id: u.attempted, serial: serials[i]!, writer: u.writer, ...next });
    }
    const written: ScanTallyDoc[] = [];
    for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
      const chunk = docs.slice(i, i + INSERT_CHUNK);
      const lost = await insertNew(chunk);
      this.counters.conflicts += lost.size;
      for (let j = 0; j < chunk.length; j += 1) if (!lost.has(j)) written.push(chunk[j]!);
    }
    for (const doc of written) this.settle(doc.serial, tallyOf(doc));
    for (const doc of written) if (doc.version % HEAD_EVERY === 0) this.headsDue.push(doc);
  }

  /**
   * The tally the next version builds on. After an attempt whose outcome is unknown or
   * lost to another writer, the attempted version is read: if it is ours the scans are
   * written (undefined); if it is another's, the newest version from there is the base.
   */
  private async baseForWrite(serial: string): Promise<Tally | undefined> {
    const u = this.unconfirmed.get(serial)!;
    const entry = this.known.peek(serial);
    if (entry && entry.behind > entry.base.version) await this.catchUpTo(serial, entry); // announced: build on it, not beside it
    const known = this.known.peek(serial)?.base;
    if (u.attempted === null) return known ?? this.loadOnce(serial);
    const doc = await ScanTallyModel.findById(u.attempted).lean<ScanTallyDoc>();
    if (!doc) return known ?? this.loadOnce(serial); // never written: try again from what we knew
    if (doc.writer === u.writer) {
      this.settle(serial, tallyOf(doc));
      return undefined;
    }
    const newest = await newestFrom(serial, tallyOf(doc));
    this.remember(serial, newest);
    return newest;
  }

  private settle(serial: string, written: Tally): void {
    this.unconfirmed.delete(serial);
    this.written.set(serial, written);
    this.counters.versionsWritten += 1;
    const current = this.known.peek(serial)?.base;
    if (!current || current.version <= written.version) this.remember(serial, written);
    else this.dropView(serial);
  }

  /** Keeps `base` unless a newer version is held already (reads finish in any order). */
  private remember(serial: string, base: Tally): void {
    const held = this.known.peek(serial);
    if (held && held.base.version > base.version) return;
    const behind = held && held.behind > base.version ? held.behind : 0;
    this.known.set(serial, { base, loadedAt: this.now(), refreshing: false, view: null, behind });
  }

  private dropView(serial: string): void {
    const entry = this.known.peek(serial);
    if (entry) entry.view = null;
  }

  private loadOnce(serial: string): Promise<Tally> {
    const pending = this.loading.get(serial);
    if (pending) return pending;
    const p = newestFrom(serial, null)
      .then((base) => {
        const current = this.known.peek(serial)?.base;
        if (!current || current.version <= base.version) this.remember(serial, base);
        const heard = this.heardWhileLoading.get(serial) ?? 0;
        const entry = this.known.peek(serial);
        if (entry && heard > entry.base.version) entry.behind = Math.max(entry.behind, heard);
        return entry?.base ?? base;
      })
      .finally(() => {
        this.loading.delete(serial);
        this.heardWhileLoading.delete(serial);
      });
    this.loading.set(serial, p);
    return p;
  }

  /** Settles when the background refreshes started so far have (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.refreshes]);
  }

  private refresh(serial: string, entry: Entry): void {
    entry.refreshing = true;
    this.track(
      newestFrom(serial, entry.base)
        .then((base) => {
          if (base.version > entry.base.version) this.remember(serial, base);
          else entry.loadedAt = this.now();
        })
        .catch((err: unknown) => this.opts.logger?.debug({ err, serial }, 'scan tally refresh failed; serving the last one'))
        .finally(() => {
          entry.refreshing = false;
        }),
    );
  }

  /** The announced version of a label marked behind, read in the background (the scan that asked is answered with what is held). */
  private readBehind(serial: string, entry: Entry): void {
    entry.refreshing = true;
    this.track(this.catchUpTo(serial, entry).finally(() => (entry.refreshing = false)));
  }

  /** Reads the version `entry` is behind: one lookup. A failed read leaves the label to the TTL refresh. */
  private async catchUpTo(serial: string, entry: Entry): Promise<void> {
    const version = entry.behind;
    try {
      const tally = await readVersion(serial, version);
      this.counters.versionsRead += 1;
      if (tally) this.remember(serial, tally);
      else entry.behind = 0;
    } catch (err) {
      entry.behind = 0;
      this.opts.logger?.debug({ err, serial }, 'announced scan tally not read; serving the last one');
    }
  }

  private track(work: Promise<void>): void {
    const done = work.finally(() => this.refreshes.delete(done));
    this.refreshes.add(done);
  }

  /**
   * Copies the versions due to their labels' heads (every HEAD_EVERY-th written). Called
   * after the announcement (scan-recorder.ts): the updates take longer than the insert, and
   * until the others hear of these versions they could collide with them.
   * Lossy on purpose: a head that lags only costs a reader a few more probes.
   */
  async copyHeads(): Promise<void> {
    const docs = this.headsDue;
    this.headsDue = [];
    await copyToHeads(docs);
  }
}

