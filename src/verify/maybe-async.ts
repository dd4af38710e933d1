/**
 * Code written once that runs synchronously when every value it waits for is already
 * at hand, and asynchronously otherwise: the verification page's decision, whose
 * lookups are plain values when the caches are fresh (the usual scan) and promises
 * when something must be loaded. A promise, even a resolved one, costs microtasks and
 * allocations on every scan; a plain value costs nothing.
 *
 * The code is a generator that waits with `yield* wait(x)` (typed, unlike a bare
 * `yield`); `runSteps` drives it, handing plain values straight back and switching to
 * `await` at the first promise. Errors of a rejected promise are thrown at the
 * `yield*`, so try/catch around it works as around an `await`.
 */
export type MaybePromise<T> = T | Promise<T>;

/** What a step generator yields: values it waits for (the runner hands each one back). */
export type Steps<T> = Generator<unknown, T, unknown>;

export function* wait<T>(value: MaybePromise<T>): Generator<unknown, T, unknown> {
  // The runner sends back exactly what was yielded once it is settled: a T.
  return (yield value) as T;
}

/** Runs `steps` to the end: a plain value if nothing it waited for was a promise. */
export function runSteps<T>(steps: Steps<T>): MaybePromise<T> {
  let next = steps.next();
  while (!next.done) {
    if (next.value instanceof Promise) return finish(steps, next.value);
    next = steps.next(next.value);
  }
  return next.value;
}

async function finish<T>(steps: Steps<T>, pending: Promise<unknown>): Promise<T> {
  for (;;) {
    let next: IteratorResult<unknown, T>;
    let settled: { value: unknown } | { error: unknown };
    try {
      settled = { value: await pending };
    } catch (error) {
      settled = { error };
    }
    next = 'error' in settled ? steps.throw(settled.error) : steps.next(settled.value);
    while (!next.done && !(next.value instanceof Promise)) next = steps.next(next.value);
    if (next.done) return next.value;
    pending = next.value as Promise<unknown>;
  }
}

/** Like Promise.all, but a plain array when no element is a promise. */
export function all<T extends readonly unknown[]>(values: { [I in keyof T]: MaybePromise<T[I]> }): MaybePromise<T> {
  for (const v of values) {
    if (v instanceof Promise) return Promise.all(values) as Promise<T>;
  }
  return values as unknown as T;
}

/** The value, or null when it fails to load: for extras the answer can do without. */
export function orNull<T>(value: MaybePromise<T>): MaybePromise<T | null> {
  return value instanceof Promise ? value.catch(() => null) : value;
}

/** Applies `f` now to a plain value, or once a promise settles. */
export function andThen<T, R>(value: MaybePromise<T>, f: (value: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}
