import type { z } from 'zod';
import { invalidInput } from './app-error.js';

/** Parses untrusted input with a zod schema; a failure becomes one 400 listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidInput(
    result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}
