import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { oas31 } from 'zod-openapi';
import { OPERATIONS, LEFT_OUT } from '../../src/openapi/operations/index.js';
import { placeOf } from '../../src/openapi/document.js';
import { openApiJson } from '../../src/openapi/openapi.routes.js';
import type { Operation } from '../../src/openapi/operation.js';
import { CALLER_KINDS, POLICY } from '../../src/policy/policy-table.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import { appRoutes, routeName } from '../support/app-routes.js';

/**
 * The OpenAPI description against the app: it is valid OpenAPI 3.1, it describes every
 * route the app has (the pages for people are left out, each with its reason in
 * src/openapi/operations/index.ts), its examples pass the schemas the routes parse with,
 * and the app, sent each example, does not refuse it as invalid input; whatever error
 * it answers instead is one the description lists for that operation.
 */

/** The codes that mean "your input does not fit": an example must never get one. */
const INPUT_REFUSALS = ['request/invalid', 'event/invalid', 'label/malformed_uri'];

/** The example's URL: path parameters filled in, query appended. */
function exampleUrl(op: Operation): string {
  const routerPath = op.route.split(' ')[1]!;
  const params = op.example?.params ?? {};
  const path = op.path
    ? op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''))
    : routerPath.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = new URLSearchParams(op.example?.query ?? {}).toString();
  return query ? `${path}?${query}` : path;
}

const sendable = (op: Operation) => Boolean(op.params || op.query || op.body);

describe('the OpenAPI description (/api/v1/openapi.json)', () => {
  const app = buildTestApp();
  const doc = JSON.parse(openApiJson().toString('utf8')) as oas31.OpenAPIObject;
  const operationIn = (op: Operation) => {
    const { path, method } = placeOf(op);
    return doc.paths?.[path]?.[method];
  };

  it('when the document is built, then it validates as OpenAPI 3.1', async () => {
    const result = await new Validator().validate(JSON.parse(openApiJson().toString('utf8')) as Record<string, unknown>);
    expect(result.errors ?? [], 'OpenAPI schema errors').to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(doc.openapi).to.equal('3.1.0');
  });

  it('when the app is built, then every route is in the description with its method, or left out with a reason', () => {
    const routes = appRoutes(app);
    const described = new Set(OPERATIONS.map((op) => op.route));
    const missing = routes.map(routeName).filter((name) => !described.has(name as Operation['route']) && !LEFT_OUT[name]);
    expect(missing, 'routes of the app that src/openapi/operations/ neither describes nor leaves out').to.deep.equal([]);
    // Every /api route is described (only the reference page itself is left out).
    const apiLeftOut = Object.keys(LEFT_OUT).filter((name) => name.split(' ')[1]!.startsWith('/api/'));
    expect(apiLeftOut).to.deep.equal(['GET /api/docs']);
    for (const op of OPERATIONS) expect(operationIn(op), `${op.route} in paths`).to.exist;
    expect(Object.keys(doc.paths ?? {}).length).to.be.greaterThan(40);
  });

  it('when an operation is described, then the app has its route, with the policy action the description names', () => {
    const actions = new Map(appRoutes(app).map((r) => [routeName(r), r.action]));
    const wrong = OPERATIONS.filter((op) => actions.get(op.route) !== op.action).map((op) => `${op.route}: described as ${op.action}, the app has ${actions.get(op.route) ?? 'no such route'}`);
    expect(wrong).to.deep.equal([]);
    const stale = Object.keys(LEFT_OUT).filter((name) => !actions.has(name));
    expect(stale, 'left-out routes the app no longer has').to.deep.equal([]);
  });

  it("when the policy table refuses a kind of caller, then the operation's security and answers say so", () => {
    const wrong: string[] = [];
    for (const op of OPERATIONS) {
      const rule = POLICY[op.action];
      const described = operationIn(op)!;
      const optional = (described.security ?? []).some((s) => Object.keys(s).length === 0);
      if (optional !== (rule.anonymous === 'allow')) wrong.push(`${op.route}: security ${JSON.stringify(described.security)} for anonymous ${rule.anonymous}`);
      const forbids = CALLER_KINDS.some((k) => rule[k] === 'forbid');
      if (forbids !== Boolean(described.responses?.['403'])) wrong.push(`${op.route}: 403 ${described.responses?.['403'] ? 'listed' : 'missing'}`);
      if (!described.responses?.['401']) wrong.push(`${op.route}: 401 missing (a bad key is refused on every route)`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it("when an operation has input, then its example passes the schemas the route parses with, and every path parameter has one", () => {
    const problems: string[] = [];
    for (const op of OPERATIONS) {
      const check = (what: string, schema: { safeParse(v: unknown): { success: boolean; error?: { message: string } } } | undefined, value: unknown) => {
        if (!schema) return;
        const result = schema.safeParse(value);
        if (!result.success) problems.push(`${op.route} ${what}: ${result.error?.message}`);
      };
      check('params', op.params, op.example?.params ?? {});
      check('query', op.query, op.example?.query ?? {});
      if (op.body) check('body', op.body.schema, op.body.example);
      const parameters = (operationIn(op)?.parameters ?? []) as oas31.ParameterObject[];
      for (const p of parameters.filter((x) => x.in === 'path' && x.example === undefined)) problems.push(`${op.route}: path parameter ${p.name} has no example`);
      const body = operationIn(op)?.requestBody as oas31.RequestBodyObject | undefined;
      if (op.body && body?.content['application/json']?.example === undefined) problems.push(`${op.route}: the body example is not in the document`);
    }
    expect(problems).to.deep.equal([]);
    expect(OPERATIONS.filter((op) => op.body).length, 'operations with a JSON body').to.be.greaterThan(12);
  });

  describe('when each example is sent to the app with an admin key', () => {
    let admin = '';
    before(async () => {
      admin = await apiKeyFor('admin');
    });

    // The routes parse their input before they look a record up, so an example that reaches
    // a 404 (the ids in examples name no record) has passed the route's validation. Writes
    // without input are not sent: rotating the signing key here would pull it from under
    // the apps other test files built.
    for (const op of OPERATIONS.filter((o) => sendable(o) || (o.ok.json && o.route.startsWith('GET ')))) {
      it(`${op.route}: then it is not refused as invalid input, and what it answers is what the description says`, async () => {
        const method = op.route.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
        let req = request(app)[method](exampleUrl(op)).set(bearer(admin)).set('Accept', 'application/json');
        if (op.idempotency) req = req.set('Idempotency-Key', randomUUID());
        const res = op.body ? await req.send(op.body.example as object) : await req;
        const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
        const seen = `${res.status} ${JSON.stringify((res.body as { error?: unknown })?.error ?? null)}`;
        expect(INPUT_REFUSALS, seen).not.to.include(code);
        const answer = operationIn(op)?.responses?.[String(res.status)] as oas31.ResponseObject | undefined;
        expect(answer, `${seen}: status not described`).to.exist;
        if (res.status < 300 && op.ok.json && res.status === op.ok.status) {
          const fits = op.ok.json.safeParse(res.body);
          expect(fits.success, `${op.route} answered ${JSON.stringify(res.body).slice(0, 300)}: ${fits.error?.message}`).to.equal(true);
        }
        if (code) {
          const examples = answer?.content?.['application/json']?.examples ?? {};
          expect(Object.keys(examples), `${seen}: code not described`).to.include(code);
        }
      });
    }
  });

  it('when /api/v1/openapi.json is asked for without a key, then it answers the document as built, cacheable', async () => {
    const res = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.headers['cache-control']).to.equal('public, max-age=3600');
    expect(res.body).to.deep.equal(doc);
  });

  it('when a browser opens /api/docs, then it gets the reference page, which loads swagger-ui from this service only', async () => {
    const page = await request(app).get('/api/docs').set('Accept', 'text/html').expect(200);
    expect(page.text).to.contain('id="swagger-ui"').and.to.contain('<h1 id="api-docs-title">Tài liệu API</h1>');
    expect(page.headers['cache-control']).to.equal('no-store');
    const english = await request(app).get('/api/docs?lang=en').expect(200);
    expect(english.text).to.contain('<h1 id="api-docs-title">API reference</h1>');
    expect(page.text).not.to.match(/<script>|<style>|\sstyle="/);
    const assets = [...page.text.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).to.include.members(['/static/api-docs/swagger-ui.css', '/static/api-docs/swagger-ui-bundle.js', '/static/api-docs.js']);
    for (const asset of assets) await request(app).get(asset).expect(200);
    // Only the two files the page needs are served from the package, not its demo page or initializer.
    await request(app).get('/static/api-docs/index.html').expect(404);
    await request(app).get('/static/api-docs/swagger-initializer.js').expect(404);
  });
});
