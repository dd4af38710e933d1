import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../../errors/validate.js';
import { openRoute } from '../../policy/principal-of-request.js';
import { gzipOf, type RevocationLists } from './revocation-list.service.js';

/** `since`: the `asOf` of the list the verifier holds (ISO 8601), or milliseconds since 1970. */
export const revocationListQuerySchema = z.object({
  since: z
    .string()
    .max(40)
    .refine((s) => !Number.isNaN(sinceDate(s).getTime()), 'must be the asOf of a list (ISO 8601 time) or milliseconds since 1970')
    .optional(),
});

/** Lists (full ones, mostly) from this many characters on are sent as a gzip made once. */
const PRECOMPRESS_FROM = 64_000;

function sinceDate(text: string): Date {
  return /^\d{1,15}$/.test(text) ? new Date(Number(text)) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(NaN);
}

/**
 * The signed revocation list (docs/revocation-list.md), public like the JWKS: it names
 * keys, runs, serials and certifications, never a person. Two addresses, one answer.
 */
export function revocationsRouter(lists: RevocationLists): Router {
  const router = Router();
  router.get(['/.well-known/ocop-revocations.json', '/api/v1/revocations'], openRoute('revocation_list.read', async (req, res) => {
    const { since } = parseInput(revocationListQuerySchema, req.query);
    const answer = await lists.answer(since === undefined ? null : sinceDate(since));
    // The list is rebuilt at most every CACHE_TTL_MS: a minute of caching by the browser or a proxy loses little.
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=60', Vary: 'Accept-Encoding' });
    res.type('application/json');
    // A large list goes out as the gzip made once for it (the compression middleware leaves an encoded body alone).
    if (answer.json.length > PRECOMPRESS_FROM && req.acceptsEncodings('gzip') === 'gzip') {
      res.set('Content-Encoding', 'gzip').send(await gzipOf(answer));
      return;
    }
    res.send(answer.json);
  }));
  return router;
}
