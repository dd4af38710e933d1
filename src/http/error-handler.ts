import type { NextFunction, Request, Response } from 'express';
import mongoose from 'mongoose';
import { isDuplicateKeyError } from '../db.js';
import type { Logger } from '../logger.js';
import { AppError, invalidInput, notFound } from '../errors/app-error.js';
import { renderPage } from './views.js';

type BodyParserError = Error & { type?: string; status?: number };

/** Turns anything thrown into an AppError. Order matters: most specific first. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof mongoose.Error.ValidationError) {
    return invalidInput(Object.entries(err.errors).map(([path, e]) => ({ path, message: e.message })));
  }
  if (err instanceof mongoose.Error.CastError) {
    return new AppError(400, 'request/invalid', `${err.path}: not a valid value`);
  }
  if (isDuplicateKeyError(err)) {
    return new AppError(409, 'resource/duplicate', 'A record with the same unique value already exists.');
  }
  const bp = err as BodyParserError;
  if (bp?.type === 'entity.parse.failed') return new AppError(400, 'request/malformed_json', 'The request body is not valid JSON.');
  if (bp?.type === 'entity.too.large') return new AppError(413, 'request/too_large', 'The request body is larger than allowed.');
  if (bp?.type === 'encoding.unsupported' || bp?.type === 'charset.unsupported') {
    return new AppError(415, 'request/unsupported_encoding', 'Send the body as UTF-8.');
  }
  if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) {
    return new AppError(bp.status, 'request/bad', bp.message);
  }
  return new AppError(500, 'internal/error', 'Internal error', undefined, false);
}

function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/')) return true;
  return req.accepts(['html', 'json']) === 'json';
}

export function notFoundHandler(req: Request) {
  throw notFound('route/not_found', `Nothing at ${req.method} ${req.path}.`);
}

/** The one error handler: JSON under /api (or when asked), a page for browsers; never a stack. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toAppError(err);
    if (e.status >= 500) logger.error({ err, reqId: req.id }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = e.expose ? e.message : 'Something went wrong on our side. Please try again later.';
    if (wantsJson(req)) {
      res.status(e.status).json({ error: { code: e.code, message, ...(e.expose && e.details ? { details: e.details } : {}) } });
      return;
    }
    renderPage(req, res, 'error', { title: `${e.status}`, status: e.status, code: e.code, message }, e.status);
  };
}
