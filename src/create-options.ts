/**
 * What a creating write carries from its request into its service (src/http/idempotency.ts
 * makes it; services never see the request):
 * - `id`: the id that the request's Idempotency-Key reserved for the new record. Every
 *   attempt under one key writes the same `_id`, so the unique `_id` index lets at most
 *   one of them create the record, even when an earlier attempt's write reaches the
 *   database late (a paused or overloaded server applies what it was sent).
 * - `signal`: aborted once the client has disconnected. A service checks it right
 *   before its first write, so a request nobody waits for any more writes nothing. A
 *   write already sent cannot be called back: the Idempotency-Key is how a client
 *   learns whether it was applied.
 */
export type CreateOptions = Readonly<{ id?: string | undefined; signal?: AbortSignal | undefined }>;

/** Throws the signal's reason (`request/client_gone`) when the client has gone: call right before the first write. */
export function assertClientWaiting(opts: CreateOptions | undefined): void {
  opts?.signal?.throwIfAborted();
}

/** The `_id` field of a new record: the reserved one when there is one, else the schema's default. */
export const reservedId = (opts: CreateOptions | undefined): { _id?: string } => (opts?.id ? { _id: opts.id } : {});
