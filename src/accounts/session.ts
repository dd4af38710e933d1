import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import cookieParser from 'cookie-parser';
import mongoose from 'mongoose';
import type { AccountSettings, Config } from '../config.js';
import type { Principal } from '../policy/principal.js';
import { SESSION_COLLECTION, SessionModel } from './user.model.js';
import { principalOfSession } from './user.service.js';

/**
 * Browser sessions, stored in the database (express-session + connect-mongo on the
 * app's mongoose connection), for the account pages and the API only: label URLs never
 * see a session cookie, nor pay for one.
 *
 * 1. The cookie holds a signed random id and nothing else; httpOnly, SameSite=Lax,
 *    Secure and named `__Host-ocop.sid` behind https (config), `ocop.sid` otherwise.
 *    It has no Max-Age: the server, not the browser, decides when a session ends.
 * 2. Logging in makes a new session (regenerate: the id before login is dropped), which
 *    records the user, the user's generation and the login time (`auth`).
 * 3. Every request with a session checks, in this order: the absolute timeout (since
 *    login), the idle timeout (since last seen), and that the user still exists, is
 *    not disabled and is in the same generation (log out everywhere, a new password or
 *    disabling raise it). A session that fails any is deleted and the request goes on
 *    as anonymous. "Last seen" is written at most every IDLE/10 (≤ 1 min), not on every
 *    request.
 * 4. connect-mongo's own expiry (`expires`, the absolute timeout after the last write)
 *    only keeps the collection small: FerretDB has no TTL index, so autoRemove is
 *    'disabled' (its 'interval' mode deletes with write concern 0, which we do not rely
 *    on) and `sweepEndedSessions` deletes expired ones at most every 10 minutes, at login.
 */

export type SessionAuth = { userId: string; gen: number; loginAt: number; seenAt: number };

declare module 'express-session' {
  interface SessionData {
    auth?: SessionAuth;
  }
}

export const sessionCookieName = (settings: AccountSettings) => (settings.cookieSecure ? '__Host-ocop.sid' : 'ocop.sid');

/** The secret that signs session ids: SESSION_SECRET, else one kept in DATA_DIR (made on first start). */
export function sessionSecret(config: Config): string {
  if (config.accounts.sessionSecret) return config.accounts.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // 'wx': of two processes starting at once, the second reads the first one's secret.
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return fs.readFileSync(file, 'utf8').trim();
  }
}

export type SessionOptions = {
  /** Without the session cookie in the request, skip the session entirely (the API: most calls carry a key). */
  onlyWithCookie?: boolean;
};

/** The session layer: cookie parsing (the CSRF cookie is read from req.cookies) and express-session. */
export function sessionLayer(config: Config, secret: string, store: session.Store, options: SessionOptions = {}): RequestHandler {
  const settings = config.accounts;
  const name = sessionCookieName(settings);
  const parseCookies = cookieParser();
  const sessions = session({
    name,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: settings.cookieSecure, path: '/' },
  });
  const marker = `${name}=`;
  return function accountSession(req, res, next) {
    if (options.onlyWithCookie && !req.headers.cookie?.includes(marker)) return next();
    settingsOf.set(req, settings);
    parseCookies(req, res, (err?: unknown) => (err ? next(err) : sessions(req, res, next)));
  };
}

/** One store per app, on the mongoose connection once it is open (apps are built before tests connect). */
export function sessionStore(config: Config): session.Store {
  return MongoStore.create({
    // connect-mongo's mongodb types are its own copy of the driver's: the client is the same driver.
    clientPromise: openClient() as unknown as Promise<never>,
    collectionName: SESSION_COLLECTION,
    ttl: config.accounts.absoluteSec,
    autoRemove: 'disabled',
    stringify: false,
    // express-session touches an unchanged session on every request; once a minute is enough for its expiry.
    touchAfter: 60,
  });
}

/** The connection's client once it is open; never rejects (a store whose client failed would reject unhandled). */
function openClient() {
  const connection = mongoose.connection;
  if (connection.readyState === 1) return Promise.resolve(connection.getClient());
  return new Promise((resolve) => connection.once('connected', () => resolve(connection.getClient())));
}

let lastSweep = 0;
const SWEEP_EVERY_MS = 10 * 60_000;

/** Deletes sessions past their expiry, at most every 10 minutes per process; a login does not wait for it (null: not this time). */
export function sweepEndedSessions(now = Date.now()): Promise<void> | null {
  if (now - lastSweep < SWEEP_EVERY_MS) return null;
  lastSweep = now;
  return SessionModel.deleteMany({ expires: { $lt: new Date(now) } }).then(
    () => undefined,
    () => {
      lastSweep = 0; // try again at the next login
    },
  );
}

/** The timeouts of the app whose session layer the request went through. */
const settingsOf = new WeakMap<Request, AccountSettings>();

/** The logged-in session the request carries, not yet checked (no I/O); undefined when none. */
export const sessionAuthOf = (req: Request): SessionAuth | undefined => req.session?.auth;

const destroy = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve())));

/**
 * Drops the stored session and leaves the request an empty one under a new id, which
 * is neither stored nor sent unless something is put in it (a login on this request).
 */
const replace = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));

/**
 * The principal of the request's session, or null when it has ended (then the session
 * is deleted and the request is anonymous). See the summary above, step 3.
 */
export async function sessionPrincipal(req: Request, now = Date.now()): Promise<Principal | null> {
  const auth = req.session?.auth;
  const settings = settingsOf.get(req);
  if (!auth || !settings) return null;
  const ended = now - auth.loginAt > settings.absoluteSec * 1000 || now - auth.seenAt > settings.idleSec * 1000;
  const found = ended ? null : await principalOfSession(auth.userId, auth.gen);
  if (!found) {
    await replace(req);
    return null;
  }
  if (now - auth.seenAt > Math.min(60_000, (settings.idleSec * 1000) / 10)) auth.seenAt = now;
  return found;
}

/** Starts a logged-in session under a new id (the one sent before login is dropped). */
export async function startSession(req: Request, auth: Omit<SessionAuth, 'loginAt' | 'seenAt'>, now = Date.now()): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
  req.session.auth = { ...auth, loginAt: now, seenAt: now };
  await new Promise<void>((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
  void sweepEndedSessions(now);
}

/** Ends this browser's session: deleted from the store, the cookie cleared. */
export async function endSession(req: Request, res: Response, settings: AccountSettings): Promise<void> {
  if (req.session) await destroy(req);
  res.clearCookie(sessionCookieName(settings), { httpOnly: true, sameSite: 'lax', secure: settings.cookieSecure, path: '/' });
}

/** Keeps the session in step after the user changed their own generation (a new password). */
export function carryOn(req: Request, gen: number): void {
  if (req.session?.auth) req.session.auth.gen = gen;
}
