import { errorCatalogue, type CodeWithStatus, type ErrorCode } from './catalogue.js';

/**
 * The one error type services throw. `code` is stable (clients switch on it) and
 * catalogued (src/errors/catalogue.ts), which gives the HTTP `status`; `message` is
 * this occurrence's English detail (with record ids). `expose` says whether the
 * message may be shown: not for a 500, whose message may name internals.
 */
export class AppError extends Error {
  readonly status: number;
  readonly expose: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
    this.expose = this.status !== 500;
  }
}

export type FieldProblem = { path: string; message: string };

export const badRequest = (code: CodeWithStatus<400>, message: string, details?: unknown) => new AppError(code, message, details);
export const invalidInput = (problems: FieldProblem[]) =>
  new AppError(
    'request/invalid',
    problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '),
    { problems },
  );
export const unauthorized = (message = 'Send a valid API key in the Authorization header (Bearer <key>).') =>
  new AppError('auth/unauthorized', message);
export const forbidden = (message = 'Your key may not do this.') => new AppError('auth/forbidden', message);
export const notFound = (code: CodeWithStatus<404>, message: string) => new AppError(code, message);
export const conflict = (code: CodeWithStatus<409>, message: string, details?: unknown) => new AppError(code, message, details);
export const unprocessable = (code: CodeWithStatus<422>, message: string, details?: unknown) =>
  new AppError(code, message, details);
export const serviceUnavailable = (code: CodeWithStatus<503>, message: string) => new AppError(code, message);
