/**
 * The one error type services throw. `code` is stable (clients switch on it),
 * `status` is the HTTP status, `expose` says whether the message may be shown.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly expose = status < 500,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export type FieldProblem = { path: string; message: string };

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const invalidInput = (problems: FieldProblem[]) =>
  new AppError(
    400,
    'request/invalid',
    problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '),
    { problems },
  );
export const unauthorized = (message = 'Send a valid API key in the Authorization header (Bearer <key>).') =>
  new AppError(401, 'auth/unauthorized', message);
export const forbidden = (message = 'Your key may not do this.') => new AppError(403, 'auth/forbidden', message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const serviceUnavailable = (code: string, message: string) => new AppError(503, code, message, undefined, true);
