import mongoose, { Schema } from 'mongoose';
import { newId } from '../../ids.js';
import type { Tally } from './scan-tally-store.js';

/**
 * What a tally announcement carries beside its change record: the figures of every label
 * one flush wrote, in one document, so that the other instances take them with one `_id`
 * lookup instead of one or more per label (each label's version is still in scan_tallies;
 * this is a copy for the road).
 *
 * Each process writes its own ring of NEWS_SLOTS documents (`<process>.<slot>`), in turn,
 * each time with a new token, so the collection holds NEWS_SLOTS documents per live process;
 * those of processes gone (or idle) for an hour are deleted by whichever process publishes
 * next, at most hourly. The change record names the slot and the token; a receiver
 * that finds another token there (the slot was written again before it read it) reads the
 * labels it holds one by one instead (scan-tallies.ts).
 */
const NEWS_SLOTS = 32;
const SWEEP_AFTER_MS = 60 * 60 * 1000;

const newsSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    at: { type: Date, required: true },
    /** JSON of [serial, version, total, firstAt ms | null, window, windowNetworks, browsers, networks, places] per label (encode). */
    tallies: { type: String, required: true },
  },
  { versionKey: false },
);
type NewsDoc = { _id: string; token: string; at: Date; tallies: string };
export const ScanTallyNewsModel = mongoose.model('ScanTallyNews', newsSchema, 'scan_tally_news');
const collection = () => ScanTallyNewsModel.collection as unknown as mongoose.mongo.Collection<NewsDoc>;

export type Written = Array<[serial: string, tally: Tally]>;
type Encoded = [string, number, number, number | null, Array<[string, number]>, Array<[string, number]>, string[], string[], Array<[string, string]>];

/** This process's ring of news documents. */
export class TallyNews {
  private readonly name = newId();
  private next = 0;
  private sweptAt = 0;

  /**
   * The next slot for the figures of `written`: `ref`, the reference a change record
   * carries (`slot#token`), known before `write` stores them, so that the two writes can
   * go at once (a receiver that reads the record first finds another token: news missed).
   */
  prepare(written: Written): { ref: string; write: () => Promise<void> } {
    const slot = `${this.name}.${this.next % NEWS_SLOTS}`;
    this.next += 1;
    const token = newId();
    return { ref: `${slot}#${token}`, write: () => this.write(slot, token, written) };
  }

  /** Stores the figures of `written`; answers the reference a change record carries. */
  async publish(written: Written): Promise<string> {
    const news = this.prepare(written);
    await news.write();
    return news.ref;
  }

  private async write(slot: string, token: string, written: Written): Promise<void> {
    await collection().replaceOne({ _id: slot }, { token, at: new Date(), tallies: encode(written) }, { upsert: true });
    if (Date.now() - this.sweptAt > SWEEP_AFTER_MS) {
      this.sweptAt = Date.now();
      // Rings of processes that stopped: read long ago, if at all. Not awaited, and lossy: the next sweep catches up.
      void collection()
        .deleteMany({ at: { $lt: new Date(Date.now() - SWEEP_AFTER_MS) } })
        .catch(() => undefined);
    }
  }
}

/** The figures a reference names; null when its slot holds newer news (or none). */
export async function readNews(ref: string): Promise<Written | null> {
  const [slot, token] = ref.split('#');
  if (!slot || !token) return null;
  const doc = await collection().findOne({ _id: slot });
  if (!doc || doc.token !== token) return null;
  return decode(doc.tallies);
}

function encode(written: Written): string {
  return JSON.stringify(
    written.map(([serial, t]): Encoded => [
      serial,
      t.version,
      t.total,
      t.firstAt?.getTime() ?? null,
      t.window.map((w) => [w.c, w.at]),
      t.windowNetworks.map((w) => [w.n, w.at]),
      t.browsers,
      t.networks,
      t.places.map((p) => [p.p, p.n]),
    ]),
  );
}

function decode(text: string): Written {
  return (JSON.parse(text) as Encoded[]).map(([serial, version, total, firstAt, window, windowNetworks, browsers, networks, places]) => [
    serial,
    {
      version,
      total,
      firstAt: firstAt === null ? null : new Date(firstAt),
      window: window.map(([c, at]) => ({ c, at })),
      windowNetworks: windowNetworks.map(([n, at]) => ({ n, at })),
      browsers,
      networks,
      places: places.map(([p, n]) => ({ p, n })),
    },
  ]);
}
