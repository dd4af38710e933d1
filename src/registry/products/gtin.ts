import { badRequest } from '../../errors/app-error.js';
import { gtinProblem } from '../../reference/gs1.js';

/** A valid GTIN as GTIN-14 (left-padded with zeros), or an AppError `product/invalid_gtin`. */
export function normalizeGtin(raw: string): string {
  const problem = gtinProblem(raw);
  if (problem) {
    const details = problem.kind === 'check_digit' ? { expectedCheckDigit: problem.expected } : undefined;
    throw badRequest('product/invalid_gtin', problem.message, details);
  }
  return raw.replace(/[\s-]/g, '').padStart(14, '0');
}
