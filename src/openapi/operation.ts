import { z } from 'zod';
import type { ErrorCode } from '../errors/catalogue.js';
import { ID_PATTERN } from '../ids.js';
import type { Action } from '../policy/policy-table.js';

/**
 * One route of the app as the OpenAPI description tells it: what it is, whom the policy
 * lets call it, what it reads (the route's own zod schemas, imported, so the description
 * cannot drift from what is validated) and what it answers. A new route is one entry in
 * one of ./operations/*.ops.ts; the builder (./document.ts) adds the security, the error
 * answers every route shares and the Idempotency-Key header.
 */

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export const TAGS = [
  { name: 'Reference data', description: 'Administrative units (2025) and OCOP product groups: public, cacheable.' },
  { name: 'Producers', description: 'The OCOP registry: producers (cooperatives, enterprises, households).' },
  { name: 'Products', description: 'Products, their photo and their certifications (star ratings).' },
  { name: 'Batches', description: "Lots of a product: the producer's business records." },
  { name: 'Labels', description: 'Label runs, labels and their print outputs (QR images, sheets, printer files).' },
  { name: 'Signing keys', description: 'The keys that sign every label (admin only).' },
  { name: 'Events', description: 'Value-chain events: EPCIS 2.0 capture, query and the per-batch chain check.' },
  { name: 'API keys', description: 'The way in: admin keys make and revoke them.' },
  { name: 'Open data', description: 'The OCOP registry as open data (docs/open-data.md), CC BY 4.0: public, cacheable, CORS.' },
  { name: 'Reports', description: 'Reports of suspicious products, sent through the public form.' },
  { name: 'Inspections', description: "Market inspectors' findings log: inspections recorded at stalls, their photos, lists and CSV." },
  { name: 'Resolver', description: 'Label URLs (GS1 Digital Link) and the documents offline verifiers need.' },
  { name: 'Service', description: 'Probes and this description.' },
] as const;
export type Tag = (typeof TAGS)[number]['name'];

export type Operation = {
  /** `METHOD /path` exactly as the app's router has it (`GET /api/v1/producers/:id`): the test matches it with the app. */
  route: `${Method} /${string}`;
  /** The OpenAPI path, when the router's path cannot be written as one (a wildcard such as `/01/*rest`). */
  path?: string;
  action: Action;
  tag: Tag;
  summary: string;
  description?: string;
  /** Path parameters: the route's own schema, or one written here where the route reads them by hand. */
  params?: z.ZodObject;
  /** The query schema the route parses with. */
  query?: z.ZodType;
  /** Shown instead of `query` when that is not a plain object (a preprocess or a union cannot become parameters). */
  queryShown?: z.ZodObject;
  /** A JSON body: the schema the route parses with and an example of it. */
  body?: { schema: z.ZodType; example: unknown; required?: false };
  /** A body that is not JSON (an image), described by its media types. */
  rawBody?: { types: string[]; description: string };
  /** Path and query values as they travel in a URL; a test checks them against `params` and `query`. */
  example?: { params?: Record<string, string>; query?: Record<string, string> };
  /** The route reads an `Idempotency-Key` header: optional on creating writes, required for a label run. */
  idempotency?: 'optional' | 'required';
  /**
   * The answer when all goes well. `json`: its schema (the test checks the app's answers
   * against it: strict objects where the fields are listed, loose ones where docs/api.md
   * lists them). `types` without `json`: a body of those media types (a file, a page).
   */
  ok: { status: number; description: string; json?: z.ZodType; types?: string[] };
  /** Other answers that are not errors (a replay, a redirect), by status. */
  also?: Record<number, string>;
  /** Error codes this route answers beyond those every route may (keys, limits, faults, malformed input). */
  errors?: ErrorCode[];
};

/** Record ids: 10 lowercase letters or digits (where a route looks the id up as sent, this is what it finds). */
export const recordIdParams = (name = 'id') => z.object({ [name]: z.string().regex(ID_PATTERN) });

/** The answer of an offset-paged list (src/paging.ts). */
export const pageOf = (item: string) =>
  z.strictObject({
    items: z.array(z.looseObject({})).meta({ description: item }),
    page: z.strictObject({ limit: z.number().int(), offset: z.number().int(), total: z.number().int() }),
  });

/** An answer whose members docs/api.md describes: an object, its fields not listed here. */
export const record = (description: string) => z.looseObject({}).meta({ description });

/**
 * The error body every failure answers (src/http/error-handler.ts, docs/api.md "Errors").
 * One component: each answer lists its codes, with an example of each.
 */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable: switch on it. Each answer lists the codes it may carry.', example: 'request/invalid' }),
      message: z.string().meta({ description: 'This occurrence, in English, naming the records involved.' }),
      title: z.object({ vi: z.string(), en: z.string() }).meta({ description: "The code's catalogued text, ready to show to people." }),
      details: z.record(z.string(), z.unknown()).optional().meta({ description: 'Data to act on, when the code has some (request/invalid: `problems`, as `{path, message}`).' }),
    }),
  })
  .meta({ id: 'Error' });
