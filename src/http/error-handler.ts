import type { NextFunction, Request, Response } from 'express';
import mongoose from 'mongoose';
import { isDatabaseUnreachable, isDuplicateKeyError } from '../db.js';
import type { Logger } from '../logger.js';
import { AppError, invalidInput, notFound } from '../errors/app-error.js';
import { errorCatalogue } from '../errors/catalogue.js';
import { pickLang } from './language.js';
import { renderPage } from './views.js';
import { databaseEvents } from '../metrics/metrics.js';

type BodyParserError = Error & { type?: string; status?: number };

/** Turns anything thrown into an AppError. Order matters: most specific first. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof mongoose.Error.ValidationError) {
    return invalidInput(Object.entries(err.errors).map(([path, e]) => ({ path, message: e.message })));
  }
  if (err instanceof mongoose.Error.CastError) return invalidInput([{ path: err.path, message: 'not a valid value' }]);
  if (isDatabaseUnreachable(err)) {
    databaseEvents.inc({ event: 'unavailable' });
    return new AppError('database/unavailable', 'The database did not answer in time, so this request may or may not have been carried out. Check, then try again in a moment.');
  }
  if (isDuplicateKeyError(err)) {
    return new AppError('resource/duplicate', 'A record with the same unique value already exists.');
  }
  const bp = err as BodyParserError;
  if (bp?.type === 'entity.parse.failed') return new AppError('request/malformed_json', 'The request body is not valid JSON.');
  if (bp?.type === 'entity.too.large' || bp?.status === 413) {
    return new AppError('request/too_large', 'The request body is larger than allowed.');
  }
  if (bp?.type === 'encoding.unsupported' || bp?.type === 'charset.unsupported' || bp?.status === 415) {
    return new AppError('request/unsupported_encoding', 'Send the body as UTF-8.');
  }
  // The client went away while sending its body: nothing was read, so nothing is written.
  if (bp?.type === 'request.aborted') return clientGone();
  // Any other client error of the body parser (a mis-sized body) is a 400.
  if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) return new AppError('request/bad', bp.message);
  return new AppError('internal/error', 'Internal error');
}

const clientGone = () => new AppError('request/client_gone', 'The client disconnected before anything was written, so nothing was.');

function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/')) return true;
  return req.accepts(['html', 'json']) === 'json';
}

export function notFoundHandler(req: Request) {
  throw notFound('route/not_found', `Nothing at ${req.method} ${req.path}.`);
}

/**
 * The one error handler, never a stack. JSON under /api (or when asked):
 * `{error: {code, message, title: {vi, en}, details?}}` — `message` is this
 * occurrence's detail, `title` the code's catalogued text for people. A browser gets
 * a page in its language with the catalogued text and the detail below it.
 */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const found = toAppError(err);
    // A client that has gone gets no answer anyway; a refusal wrote nothing, so say that (a slow database makes this common).
    const e = found.status < 500 && req.socket.destroyed ? clientGone() : found;
    if (e.status >= 500) logger.error({ err, reqId: req.id }, 'request failed');
    if (e.code === 'request/client_gone') {
      // Nothing is lost, but clients that give up before the write (often on a slow database) wait too little.
      logger.warn({ reqId: req.id, method: req.method, url: req.originalUrl }, 'client disconnected before the write: nothing was written');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const { vi, en } = errorCatalogue[e.code];
    const message = e.expose ? e.message : en;
    if (wantsJson(req)) {
      const details = e.expose && e.details ? { details: e.details } : {};
      res.status(e.status).json({ error: { code: e.code, message, title: { vi, en }, ...details } });
      return;
    }
    const lang = pickLang(req);
    const summary = lang === 'vi' ? vi : en;
    // The detail is English and names the records; shown when it says more than the summary.
    const detail = e.expose && message !== summary ? message : null;
    renderPage(req, res, 'error', { title: `${e.status}`, lang, status: e.status, code: e.code, summary, detail }, e.status);
  };
}
