import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { errorCatalogue, type ErrorCode } from '../errors/catalogue.js';
import { CALLER_KINDS, POLICY, type CallerKind } from '../policy/policy-table.js';
import { errorBody, TAGS, type Operation } from './operation.js';
import { OPERATIONS } from './operations/index.js';

/**
 * The OpenAPI 3.1 description of the app, built from the operations registry
 * (./operations/). Per operation it adds what the app does the same way everywhere:
 * who may call it (the policy table, as security and words), the Idempotency-Key
 * header, and the error answers every route of its kind may give, grouped by status
 * with their catalogued texts (src/errors/catalogue.ts). Pure: no config, no I/O.
 */

/** `/api/v1/producers/:id` → `/api/v1/producers/{id}`. */
export const openApiPath = (routerPath: string) => routerPath.replace(/:([A-Za-z]\w*)/g, '{$1}');

/** Where the operation sits in the document: its OpenAPI path and lower-case method. */
export function placeOf(op: Operation): { path: string; method: 'get' | 'post' | 'patch' | 'put' | 'delete' } {
  const [method, routerPath] = op.route.split(' ') as [string, string];
  return { path: op.path ?? openApiPath(routerPath), method: method.toLowerCase() as 'get' };
}

const SECURITY_SCHEMES: Record<string, oas31.SecuritySchemeObject> = {
  bearerKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ok_…',
    description: 'An API key: `Authorization: Bearer ok_…`. A key that is sent must be valid, on public routes too (401 otherwise).',
  },
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key, as `X-API-Key: ok_…`.' },
};
const WITH_KEY: oas31.SecurityRequirementObject[] = [{ bearerKey: [] }, { apiKeyHeader: [] }];

const CALLERS: Record<CallerKind, string> = {
  admin: 'admin keys',
  own: "the record's own producer key",
  other: "another producer's key",
  inspector: 'inspector keys',
  anonymous: 'callers without a key',
};

/** The policy row in words, for people reading the reference. */
function whoMayCall(op: Operation): string {
  const rule = POLICY[op.action];
  const kinds = CALLER_KINDS;
  const allowed = kinds.filter((k) => rule[k] === 'allow').map((k) => CALLERS[k]);
  const refused = kinds.filter((k) => rule[k] !== 'allow').map((k) => `${CALLERS[k]} (${rule[k] === 'key' ? 401 : 403})`);
  return `**Who may call** (policy action \`${op.action}\`): ${allowed.join(', ')}.${refused.length ? ` Refused: ${refused.join(', ')}.` : ''}`;
}

/** The codes this operation may answer: its own, and those of every route with a key check, input, a body, a limit. */
export function errorCodesOf(op: Operation): ErrorCode[] {
  const rule = POLICY[op.action];
  const underApi = placeOf(op).path.startsWith('/api/');
  const codes: ErrorCode[] = ['auth/unauthorized'];
  if ((['admin', 'own', 'other', 'inspector'] as const).some((k) => rule[k] === 'forbid')) codes.push('auth/forbidden');
  if (op.params || op.query || op.body) codes.push('request/invalid');
  if (op.body) codes.push('request/malformed_json', 'request/too_large', 'request/unsupported_encoding', 'request/bad');
  if (op.idempotency === 'optional') codes.push('request/invalid', 'idempotency/key_reused', 'idempotency/in_progress');
  if (underApi) codes.push('request/rate_limited', 'database/unavailable');
  codes.push(...(op.errors ?? []), 'internal/error');
  return [...new Set(codes)];
}

function errorResponses(op: Operation): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) {
    const status = errorCatalogue[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[`${status}` as `4${string}`] = {
      description: codes.map((c) => `\`${c}\`: ${errorCatalogue[c].en}`).join('\n\n'),
      content: { 'application/json': { schema: errorBody, examples: Object.fromEntries(codes.map((c) => [c, { $ref: `#/components/examples/${exampleName(c)}` }])) } },
    };
  }
  return responses;
}

/** Component names allow letters, digits, `.`, `-` and `_`: `request/invalid` → `request.invalid`. */
const exampleName = (code: ErrorCode) => code.replace('/', '.');

/** One example error body per code, as the error handler writes it (the catalogued text as the message). */
function errorExamples(codes: Iterable<ErrorCode>): Record<string, oas31.ExampleObject> {
  const examples: Record<string, oas31.ExampleObject> = {};
  for (const code of codes) {
    const { status, vi, en } = errorCatalogue[code];
    examples[exampleName(code)] = { summary: `${status} ${code}`, value: { error: { code, message: en, title: { vi, en } } } };
  }
  return examples;
}

const idempotencyHeader = (required: boolean): oas31.ParameterObject => ({
  in: 'header',
  name: 'Idempotency-Key',
  required,
  description: 'Makes a retry safe: one key makes at most one record (docs/api.md "Retrying writes"). A UUID (or up to 100 printable ASCII characters), bare or as a quoted string.',
  schema: { type: 'string', maxLength: 102 },
  example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
});

function operationObject(op: Operation): ZodOpenApiOperationObject {
  const { path, method } = placeOf(op);
  const ok = op.ok.json
    ? { 'application/json': { schema: op.ok.json } }
    : Object.fromEntries((op.ok.types ?? []).map((t) => [t, {}]));
  const responses: ZodOpenApiResponsesObject = { [`${op.ok.status}`]: { description: op.ok.description, content: ok } };
  for (const [status, description] of Object.entries(op.also ?? {})) responses[status as `2${string}`] = { description };
  Object.assign(responses, errorResponses(op));
  const query = op.queryShown ?? op.query;
  return {
    operationId: `${method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, whoMayCall(op)].filter(Boolean).join('\n\n'),
    security: POLICY[op.action].anonymous === 'allow' ? [{}, ...WITH_KEY] : WITH_KEY,
    // The policy row itself, for tools: each kind of caller's answer (allow, forbid: 403, key: 401).
    'x-policy': { action: op.action, ...Object.fromEntries(CALLER_KINDS.map((k) => [k, POLICY[op.action][k]])) },
    ...(op.params || query ? { requestParams: { ...(op.params && { path: op.params }), ...(query && { query: query as never }) } } : {}),
    ...(op.idempotency ? { parameters: [idempotencyHeader(op.idempotency === 'required')] } : {}),
    ...(op.body && {
      requestBody: {
        required: op.body.required ?? true,
        content: { 'application/json': { schema: op.body.schema, example: op.body.example } },
      },
    }),
    ...(op.rawBody && {
      requestBody: { required: true, description: op.rawBody.description, content: Object.fromEntries(op.rawBody.types.map((t) => [t, {}])) },
    }),
    responses,
  };
}

/** Example values of path and query parameters go on the parameters themselves, where readers and tools look. */
function addParameterExamples(doc: oas31.OpenAPIObject): void {
  for (const op of OPERATIONS) {
    const { path, method } = placeOf(op);
    const parameters = (doc.paths?.[path]?.[method]?.parameters ?? []) as oas31.ParameterObject[];
    for (const p of parameters) {
      const value = p.in === 'path' ? op.example?.params?.[p.name] : p.in === 'query' ? op.example?.query?.[p.name] : undefined;
      if (value !== undefined) p.example = value;
    }
  }
}

export function buildOpenApiDocument(version: string): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of OPERATIONS) {
    const { path, method } = placeOf(op);
    const item = (paths[path] ??= {});
    if (item[method]) throw new Error(`${op.route} is in the operations registry twice`);
    item[method] = operationObject(op);
  }
  const doc = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'ocop-trace API',
      version,
      description:
        'Signed QR labels, value-chain events and label verification for Vietnam\'s OCOP programme. ' +
        'docs/api.md is the narrative: conventions, paging, retries, limits and every error code. ' +
        'Errors answer `{error: {code, message, title: {vi, en}, details?}}`; switch on `code`.',
    },
    tags: TAGS.map((t) => ({ ...t })),
    components: { securitySchemes: SECURITY_SCHEMES, examples: errorExamples(new Set(OPERATIONS.flatMap(errorCodesOf))) },
    paths,
  });
  addParameterExamples(doc);
  return doc;
}
