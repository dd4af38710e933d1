import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Config } from '../../config.js';
import { BoundedMap } from '../../bounded-map.js';
import type { Keyring } from '../../labels/signing/keyring.js';
import { revokedSigningKeys } from '../../labels/signing/revoked-keys.js';
import { labelRevocations, revokedRunLabels, type RevokedRunLabels } from '../../labels/runs/revocation-reads.js';
import { endedCertifications } from '../../registry/certifications/certification-revocations.js';
import { productsByIds } from '../../registry/products/product.service.js';
import { toYYMMDD } from '../../labels/format/label-url.js';
import { deltaSince, fullList, listEntries, serialPrefixes, signedListJson, type RevocationFacts, type RevocationList } from './revocation-list.js';

/**
 * The revocation list as this process serves it:
 *
 * 1. The full list is built from the owning features' reads (revoked keys, the label
 *    status changes, revoked runs' serials from their print pages, ended
 *    certifications, the products they name), signed with the active label key and
 *    kept in memory with its JSON text, for at most `config.cacheTtlMs`: requests within
 *    that period cost no database read and no signature.
 * 2. Older than that, the next request rebuilds it (one build at a time, however many
 *    requests wait); if the build fails, the last list is answered (its `asOf` says how
 *    old it is). A revoked run never changes again, so its serials are read once per
 *    process and kept.
 * 3. A delta (`since`) is cut from the current full list and signed once per `since`
 *    per list.
 */
export type ListAnswer = { list: RevocationList; json: string; gzipped?: Promise<Buffer> };

/**
 * The answer's gzip, made once per list and off the event loop (zlib's thread pool): a
 * province's full list is megabytes, which the compression middleware would otherwise
 * deflate again for every request.
 */
export function gzipOf(answer: ListAnswer): Promise<Buffer> {
  answer.gzipped ??= gzipAsync(answer.json);
  return answer.gzipped;
}

/** Revoked runs whose serials stay in memory (a province's few hundred fit many times over). */
const RUN_CACHE_ENTRIES = 20_000;
/** Revoked runs read side by side while building. */
const RUN_READS_AT_ONCE = 8;

type Snapshot = ListAnswer & { builtAt: number; deltas: BoundedMap<string, ListAnswer> };
/** A revoked run as the list holds it, made once: its serials' prefixes sorted and joined. */
type RunEntry = Omit<RevokedRunLabels, 'serials'> & { count: number; prefixes: string };

const gzipAsync = promisify(gzip);

export class RevocationLists {
  private snapshot: Snapshot | null = null;
  private building: Promise<Snapshot> | null = null;
  private readonly runs = new BoundedMap<string, RunEntry>(RUN_CACHE_ENTRIES);
  private readonly now: () => number;

  constructor(private readonly deps: { config: Config; keyring: Keyring; clock?: () => number }) {
    this.now = deps.clock ?? Date.now;
  }

  /** The full list, or what changed since `since` (the full list when `since` is too old or null). */
  async answer(since: Date | null): Promise<ListAnswer> {
    const snap = await this.current();
    const delta = deltaSince(snap.list, since);
    if (delta.kind === 'full') return snap;
    const key = delta.since!;
    const cached = snap.deltas.get(key);
    if (cached) return cached;
    const answer: ListAnswer = signedListJson(delta, await this.deps.keyring.signingKey());
    snap.deltas.set(key, answer);
    return answer;
  }

  private async current(): Promise<Snapshot> {
    const snap = this.snapshot;
    if (snap && this.now() - snap.builtAt <= this.deps.config.cacheTtlMs) return snap;
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    try {
      return await this.building;
    } catch (err) {
      if (snap) return snap; // stale, and dated: better than no list
      throw err;
    }
  }

  private async build(): Promise<Snapshot> {
    const startedAt = this.now();
    const asOf = new Date(startedAt);
    const [keys, labels, certs, key] = await Promise.all([
      revokedSigningKeys(),
      labelRevocations(),
      endedCertifications(asOf),
      this.deps.keyring.signingKey(),
    ]);
    const runs = await this.revokedRuns(labels.revokedRuns.map((r) => r.runId));
    const products = await productsByIds([...new Set([...runs.map((r) => r.productId), ...certs.map((c) => c.productId)])]);
    const head = (productId: string) => {
      const p = products.get(productId);
      return p?.gtin ? `01/${p.gtin}` : `p/${productId}`;
    };
    const facts: RevocationFacts = {
      keys,
      runs: runs.map((r) => ({ id: r.runId, product: head(r.productId), lot: r.lot, revokedAt: r.revokedAt, count: r.count, serials: r.prefixes })),
      voided: labels.voided,
      certifications: certs.map((c) => ({ id: c.id, product: head(c.productId), validUntil: toYYMMDD(c.validUntil), status: c.status, at: c.at })),
    };
    const snap: Snapshot = { ...signedListJson(fullList(listEntries(facts), asOf), key), builtAt: startedAt, deltas: new BoundedMap(200) };
    this.snapshot = snap;
    return snap;
  }

  private async revokedRuns(ids: string[]): Promise<RunEntry[]> {
    const out: RunEntry[] = [];
    const missing = ids.filter((id) => {
      const known = this.runs.get(id);
      if (known) out.push(known);
      return !known;
    });
    for (let i = 0; i < missing.length; i += RUN_READS_AT_ONCE) {
      const read = await Promise.all(missing.slice(i, i + RUN_READS_AT_ONCE).map((id) => revokedRunLabels(id)));
      for (const r of read) {
        if (!r) continue; // a claim whose run update was lost: the run reads as it stands
        const { serials, ...run } = r;
        const entry = { ...run, count: serials.length, prefixes: serialPrefixes(serials) };
        this.runs.set(r.runId, entry);
        out.push(entry);
      }
    }
    return out;
  }
}
