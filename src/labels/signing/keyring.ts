import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Config } from '../../config.js';
import { conflict, notFound } from '../../errors/app-error.js';
import {
  generateSigningJwk,
  isPrivateJwk,
  shortKid,
  toSigningKey,
  toVerifyingKey,
  type PrivateJwk,
  type PublicJwk,
  type SigningKey,
  type VerifyingKey,
} from './key-crypto.js';
import { SigningKeyModel, type KeyStatus } from './signing-key.model.js';
import { onChange, recordChange } from '../../changes/changes.service.js';

/** revokedAt: when a revoked key was revoked (the verification page dates its labels' verdict with it). */
export type KnownKey = VerifyingKey & { status: KeyStatus; shortKid: string; revokedAt: Date | null };

/** Least time between two reloads caused by key ids this process does not know. */
export const UNKNOWN_KID_RELOAD_MS = 5_000;

type KeyringOptions = {
  /** False when the database is known to be unreachable: answer from memory, do not try. */
  available?: () => boolean;
  /** Milliseconds now; tests pass their own clock. */
  clock?: () => number;
};

/**
 * The label keys of this process. Private keys come from SIGNING_KEY_JWK or from the
 * key file DATA_DIR/keys/signing-keys.json (created on first start outside production);
 * their public halves and statuses live in the database so every instance agrees on
 * which keys are retired or revoked.
 *
 * The keyring alone decides when statuses are read again: older than cacheTtlMs they
 * are re-read before signing or publishing; for verification they are refreshed in the
 * background from half that age on, so a scan never waits for them; and a key id it
 * does not know (a key rotated on another instance) makes it read them again, at most
 * once per UNKNOWN_KID_RELOAD_MS, so that forged labels with random key ids cannot make
 * every request a database read. One read at a time, however many requests want one.
 */
export class Keyring {
  private known = new Map<string, KnownKey>(); // by short kid
  /** When the statuses in memory were read (0: never). */
  private loadedAt = 0;
  /** When the last read ended, well or not: paces the reads that requests start. */
  private attemptedAt = 0;
  private reading: Promise<void> | null = null;
  /** Reads started and the newest one applied: a slow read never overwrites a newer one. */
  private readsStarted = 0;
  private readApplied = 0;
  private readonly available: () => boolean;
  private readonly now: () => number;

  private constructor(
    private readonly config: Config,
    private readonly privateKeys: SigningKey[],
    opts: KeyringOptions,
  ) {
    this.available = opts.available ?? (() => mongoose.connection.readyState === 1);
    this.now = opts.clock ?? Date.now;
    // A key rotated or revoked anywhere: statuses are read again at once, in the background.
    // (One that never read them has nothing old: it reads them on first use.)
    onChange((change) => {
      if (this.loadedAt === 0 || (change.kind !== 'key' && change.kind !== 'everything')) return;
      this.reload().catch(() => undefined);
    });
  }

  static keyFile(config: Config): string {
    return path.join(config.dataDir, 'keys', 'signing-keys.json');
  }

  /**
   * Reads the private keys now (a bad key stops start-up); registers their public
   * halves in the database on first use, so the app can be built before connecting.
   */
  static open(config: Config, opts: KeyringOptions = {}): Keyring {
    return new Keyring(config, readPrivateJwks(config).map(toSigningKey), opts);
  }

  private registered: Promise<void> | null = null;

  private register(): Promise<void> {
    this.registered ??= Promise.all(this.privateKeys.map((k) => registerPublicKey(k.publicJwk, k.kid))).then(
      () => undefined,
      (err: unknown) => {
        this.registered = null; // try again on the next call
        throw err;
      },
    );
    return this.registered;
  }

  /** Re-reads key statuses from the database now, whatever their age. */
  async refresh(): Promise<void> {
    const seq = ++this.readsStarted;
    const startedAt = this.now();
    try {
      await this.register();
      const docs = await SigningKeyModel.find().lean();
      if (seq < this.readApplied) return;
      this.known = new Map(
        docs.flatMap((d) => {
          if (!d.publicJwk) return [];
          const jwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: d.publicJwk.x, y: d.publicJwk.y };
          return [[d.shortKid, { ...toVerifyingKey(jwk), status: d.status, shortKid: d.shortKid, revokedAt: d.revokedAt ?? null }] as const];
        }),
      );
      this.readApplied = seq;
      this.loadedAt = startedAt;
    } finally {
      this.attemptedAt = this.now();
    }
  }

  /** A read of the statuses, shared by everyone who asks while it runs. */
  private reload(): Promise<void> {
    this.reading ??= this.refresh().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async fresh(): Promise<void> {
    // A read in flight (a key change was just heard) is waited for: signing never uses statuses it knows are old.
    if (this.reading) await this.reading.catch(() => undefined);
    if (this.loadedAt === 0 || this.now() - this.loadedAt > this.config.cacheTtlMs) await this.reload();
  }

  /** The key that signs new labels: the newest private key whose status is active. */
  async signingKey(): Promise<SigningKey> {
    await this.fresh();
    const usable = this.privateKeys.filter((k) => this.known.get(shortKid(k.kid))?.status === 'active');
    const newest = usable.at(-1);
    if (!newest) throw conflict('key/no_signing_key', 'No active signing key: rotate to create one (npm run keys -- rotate).');
    return newest;
  }

  /** The key printed on a label, with its status (undefined: unknown key), statuses younger than cacheTtlMs. */
  async findByShortKid(kid8: string): Promise<KnownKey | undefined> {
    await this.fresh();
    return this.known.get(kid8);
  }

  /**
   * For the verification hot path: the key printed on a label (undefined: no key of
   * ours has that id), as a plain value whenever memory can answer, which is every
   * time once statuses have been read, except for an unknown id that may read them
   * again. A promise otherwise; it rejects only when statuses were never read and
   * cannot be now (the caller answers 503).
   */
  keyForLabel(kid8: string): KnownKey | undefined | Promise<KnownKey | undefined> {
    if (this.loadedAt === 0) return this.firstRead(kid8);
    if (this.reading === null && this.now() - this.attemptedAt > this.config.cacheTtlMs / 2 && this.available()) {
      this.reload().catch(() => undefined); // ahead of expiry, in the background: scans never wait for it
    }
    const key = this.known.get(kid8);
    if (key !== undefined || !this.available() || this.now() - this.attemptedAt < UNKNOWN_KID_RELOAD_MS) return key;
    return this.reload().then(
      () => this.known.get(kid8),
      () => undefined, // the statuses in memory still answer: the id is not one of ours
    );
  }

  private async firstRead(kid8: string): Promise<KnownKey | undefined> {
    if (!this.available()) throw new Error('signing key statuses were never read and the database is unreachable');
    await this.reload();
    return this.known.get(kid8);
  }

  /** Public keys that verify (active and retired; never revoked), as a JWK Set. */
  async jwks(): Promise<{ keys: Array<PublicJwk & { kid: string; alg: 'ES256'; use: 'sig' }> }> {
    await this.fresh();
    return {
      keys: [...this.known.values()]
        .filter((k) => k.status !== 'revoked')
        .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: 'ES256', use: 'sig' })),
    };
  }

  async list(): Promise<Array<{ kid: string; shortKid: string; status: KeyStatus; canSignHere: boolean }>> {
    await this.refresh();
    const held = new Set(this.privateKeys.map((k) => k.kid));
    return [...this.known.values()].map((k) => ({ kid: k.kid, shortKid: k.shortKid, status: k.status, canSignHere: held.has(k.kid) }));
  }

  /**
   * A new signing key into the key file; keys that were active become retired (they
   * still verify). With SIGNING_KEY_JWK set, rotate by changing that variable instead.
   */
  async rotate(): Promise<{ kid: string }> {
    if (this.config.signingKeyJwk) {
      throw conflict('key/rotate_by_environment', 'The signing key comes from SIGNING_KEY_JWK: set a new key there and restart.');
    }
    const jwk = generateSigningJwk();
    const key = toSigningKey(jwk);
    writeKeyFile(this.config, [...readKeyFile(this.config), jwk]);
    await registerPublicKey(key.publicJwk, key.kid);
    await SigningKeyModel.updateMany({ _id: { $ne: key.kid }, status: 'active' }, { $set: { status: 'retired', retiredAt: new Date() } });
    this.privateKeys.push(key);
    await this.refresh();
    await recordChange({ kind: 'key', id: key.kid });
    return { kid: key.kid };
  }

  /** A compromised key: labels signed with it read as revoked from now on. */
  async revoke(kid: string, reason: string): Promise<void> {
    const doc = await SigningKeyModel.findOne({ $or: [{ _id: kid }, { shortKid: kid }] }).lean();
    if (!doc) throw notFound('key/not_found', `No signing key ${kid}.`);
    if (doc.status === 'revoked') throw conflict('key/already_revoked', `Key ${kid} is already revoked.`);
    await SigningKeyModel.updateOne({ _id: doc._id }, { $set: { status: 'revoked', revokedAt: new Date(), revokedReason: reason } });
    await this.refresh();
    await recordChange({ kind: 'key', id: doc._id });
  }
}

async function registerPublicKey(jwk: PublicJwk, kid: string): Promise<void> {
  await SigningKeyModel.updateOne(
    { _id: kid },
    { $setOnInsert: { shortKid: shortKid(kid), publicJwk: jwk, status: 'active', createdAt: new Date() } },
    { upsert: true },
  );
}

function readPrivateJwks(config: Config): PrivateJwk[] {
  if (config.signingKeyJwk) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(config.signingKeyJwk);
    } catch {
      throw new Error('SIGNING_KEY_JWK is not JSON');
    }
    if (!isPrivateJwk(parsed)) throw new Error('SIGNING_KEY_JWK is not a P-256 private JWK (kty EC, crv P-256, x, y, d)');
    return [parsed];
  }
  const keys = readKeyFile(config);
  if (keys.length > 0) return keys;
  if (config.env === 'production') {
    throw new Error(`No signing key: set SIGNING_KEY_JWK or create ${Keyring.keyFile(config)} (npm run keys -- rotate)`);
  }
  const first = generateSigningJwk();
  writeKeyFile(config, [first]);
  return [first];
}

function readKeyFile(config: Config): PrivateJwk[] {
  const file = Keyring.keyFile(config);
  if (!fs.existsSync(file)) return [];
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed) || !parsed.every(isPrivateJwk)) throw new Error(`${file} is not a list of P-256 private JWKs`);
  return parsed;
}

/** Written atomically (temp file + rename) and readable by the owner only. */
function writeKeyFile(config: Config, keys: PrivateJwk[]): void {
  const file = Keyring.keyFile(config);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
