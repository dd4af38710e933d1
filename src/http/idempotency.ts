import type { Request, RequestHandler, Response } from 'express';
import { AppError, conflict, invalidInput, unprocessable } from '../errors/app-error.js';
import type { CreateOptions } from '../create-options.js';
import { actorOf } from '../policy/principal-of-request.js';
import {
  claimIdOf,
  claimIdempotencyKey,
  endUncertainAttempt,
  fingerprintOf,
  releaseIdempotencyKey,
  storeIdempotentAnswer,
  type Claim,
  type StoredAnswer,
} from '../idempotency/idempotency.service.js';

/**
 * Retried creating writes: the `Idempotency-Key` request header (IETF draft "The
 * Idempotency-Key HTTP Header Field") and the client-gone deadline, for every route
 * that creates a record. A creating route mounts `idempotent()` after `allow()`:
 *
 *   router.post('/producers', allow('producer.create'), idempotent({ reserveId: newId, recover }), handler)
 *
 * and passes `createOptionsOf(req)` to its service. What is stored, replayed, refused
 * and released is decided in src/idempotency/idempotency.service.ts; this file is the
 * HTTP side: the header, the principal, the answer. Label runs keep the key on the run
 * itself (src/labels/runs/issue-run.service.ts) and use only the header parser here.
 * docs/api.md, "Retrying writes", is the contract.
 */

/** Set on an answer that repeats (or, after a lost answer, rebuilds) the first one. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const MAX_KEY_LENGTH = 100;

/** An answer rebuilt from the record an earlier attempt made (`final: false`: not to be stored, it may still change). */
export type RecoveredAnswer = { status: number; body: unknown; location?: string; final?: boolean };

export type IdempotentRoute = {
  /**
   * Makes an id in the format of the record the route creates. The claim reserves one,
   * and every attempt under the key creates its record with it (createOptionsOf(req).id).
   */
  reserveId?: () => string;
  /**
   * The answer for the record with this id if an earlier attempt made it, else null.
   * Asked only when an earlier attempt ended without a stored answer (a 5xx, a crash),
   * before the handler runs again.
   */
  recover?: (recordId: string, req: Request) => Promise<RecoveredAnswer | null>;
};

const signals = new WeakMap<Request, AbortSignal>();
const reservedIds = new WeakMap<Request, string>();
const replayBodies = new WeakMap<Response, unknown>();

const clientGone = () =>
  new AppError('request/client_gone', 'The client disconnected before anything was written, so nothing was.');

/** Aborted (with request/client_gone) once the client has disconnected without waiting for the answer. */
export function clientGoneSignal(req: Request): AbortSignal {
  const known = signals.get(req);
  if (known) return known;
  const controller = new AbortController();
  const res = req.res;
  if (!res || req.socket.destroyed) controller.abort(clientGone());
  else res.once('close', () => !res.writableFinished && controller.abort(clientGone()));
  signals.set(req, controller.signal);
  return controller.signal;
}

/** What the route's service needs from the request to create a record (see src/create-options.ts). */
export function createOptionsOf(req: Request): CreateOptions {
  return { id: reservedIds.get(req), signal: clientGoneSignal(req) };
}

/** What a replay of this answer shows instead of the body sent now (an API key's secret is shown once). */
export function replayAs(res: Response, body: unknown): void {
  replayBodies.set(res, body);
}

/**
 * The header's key, or undefined when none is sent. The draft's form is a structured
 * field string (`"8e03978e-…"`); a bare token of visible ASCII (`8e03978e-…`) is taken
 * as the same key. At most 100 characters.
 */
export function idempotencyKeyOf(req: Request): string | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return undefined;
  const text = header.trim();
  let key: string | undefined;
  if (text.startsWith('"')) {
    const quoted = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(text);
    key = quoted?.[1]?.replace(/\\(["\\])/g, '$1');
  } else if (/^[\x21-\x7e]*$/.test(text)) {
    key = text;
  }
  const problem =
    key === undefined
      ? 'send one key, as a quoted string of printable ASCII or a token of visible ASCII characters (e.g. a UUID)'
      : key.length === 0
        ? 'the key is empty'
        : key.length > MAX_KEY_LENGTH
          ? `the key has at most ${MAX_KEY_LENGTH} characters`
          : null;
  if (problem) throw invalidInput([{ path: 'Idempotency-Key', message: problem }]);
  return key;
}

/** The middleware of a creating route; see the file's header and docs/api.md. */
export function idempotent(route: IdempotentRoute = {}): RequestHandler {
  return async (req, res, next) => {
    const signal = clientGoneSignal(req);
    const key = idempotencyKeyOf(req);
    if (key === undefined) {
      next();
      return;
    }
    signal.throwIfAborted();
    const outcome = await claimIdempotencyKey({
      claimId: claimIdOf(actorOf(req).keyId, key),
      fingerprint: fingerprintOf(req.method, req.originalUrl, req.body),
      newRecordId: route.reserveId,
    });
    if (outcome.kind === 'replay') {
      sendReplay(res, outcome.answer);
      return;
    }
    if (outcome.kind === 'key_reused') {
      throw unprocessable(
        'idempotency/key_reused',
        `Idempotency-Key ${key} was first used at ${outcome.firstUsedAt.toISOString()} for a different request (another path or body). Resend that request unchanged to get its answer, or use a new key for this one.`,
      );
    }
    if (outcome.kind === 'in_progress') {
      const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      res.set('Retry-After', String(seconds));
      throw conflict('idempotency/in_progress', `A request with Idempotency-Key ${key} is still being processed: resend it in ${seconds} s to get its answer.`);
    }

    const { claim } = outcome;
    const settle = settleOnAnswer(res, claim);
    if (claim.recordId) reservedIds.set(req, claim.recordId);
    if (claim.uncertain && claim.recordId && route.recover) {
      const found = await route.recover(claim.recordId, req);
      if (found) {
        settle.store = found.final !== false;
        res.set(REPLAYED_HEADER, 'true');
        if (found.location) res.location(found.location);
        res.status(found.status).json(found.body);
        return;
      }
    }
    next();
  };
}

function sendReplay(res: Response, answer: StoredAnswer): void {
  res.status(answer.status).set(REPLAYED_HEADER, 'true');
  if (answer.location) res.location(answer.location);
  res.json(answer.body);
}

/**
 * Settles the claim when the answer is sent, and sends it after: a 2xx is stored first,
 * so a repeat right after it is a replay; a 4xx (nothing written) frees the key, unless an
 * earlier attempt may have written; a 5xx may have written, so the claim is kept for a
 * retry to take over at once — sent without waiting, as the database is likely down.
 */
function settleOnAnswer(res: Response, claim: Claim): { store: boolean } {
  const settle = { store: true };
  const send = res.json.bind(res);
  const answer = (body: unknown): Response => {
    res.json = send;
    const status = res.statusCode;
    if (status >= 500) {
      endUncertainAttempt(claim).catch(() => undefined);
      return send(body);
    }
    const location = res.get('location') ?? null;
    const settled =
      status >= 400
        ? claim.uncertain
          ? endUncertainAttempt(claim)
          : releaseIdempotencyKey(claim)
        : settle.store
          ? storeIdempotentAnswer(claim, { status, location, body: replayBodies.has(res) ? replayBodies.get(res) : body })
          : endUncertainAttempt(claim);
    // The answer goes out whether or not the claim could be settled: an unsettled claim
    // ends with its lease and a retry takes it over with the same record id.
    settled
      .catch(() => undefined)
      .then(() => send(body))
      .catch((err: unknown) => res.destroy(err instanceof Error ? err : undefined));
    return res;
  };
  res.json = answer as Response['json'];
  return settle;
}
