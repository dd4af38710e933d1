import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { POLICY } from '../../src/policy/policy-table.js';
import { buildTestApp } from '../support/app.js';
import { appRoutes, routeName, type AppRoute } from '../support/app-routes.js';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

/** A route as a doc names it: `GET /producers/:id`, with where it stands and what the text around it says of roles. */
type Mention = { method: string; path: string; file: string; line: number; heading: string; claim: 'admin' | 'public' | null };

const GENERATED = '## Who may call what';
const OUTSIDE_API = '## Outside /api';
const MENTION = /`(GET|POST|PATCH|PUT|DELETE|OPTIONS) (\/[^`\s]*)[^`]*`( \(admin\b)?/g;

/**
 * The routes a doc names in backticks. In docs/api.md, paths are relative to /api/v1
 * except under "Outside /api"; the generated "Who may call what" section is left out
 * (it is written from the router, so it would prove nothing). A "(admin)" right after
 * a route, or in the heading above it, claims it is admin-only; "(public" in a heading
 * claims its routes need no key.
 */
function mentions(file: string, opts: { relativeToApi: boolean }): Mention[] {
  const found: Mention[] = [];
  let heading = '';
  let headingClaim: Mention['claim'] = null;
  let skip = false;
  let absolute = !opts.relativeToApi;
  fs.readFileSync(path.join(docs, file), 'utf8').split('\n').forEach((text, i) => {
    if (/^#{1,6} /.test(text)) {
      if (text.startsWith('## ') || text.startsWith('# ')) {
        skip = text === GENERATED;
        absolute = !opts.relativeToApi || text.startsWith(OUTSIDE_API);
      }
      heading = text;
      headingClaim = /\(admin\)/.test(text) ? 'admin' : /\(public\b/.test(text) ? 'public' : null;
      return;
    }
    if (skip) return;
    for (const m of text.matchAll(MENTION)) {
      const docPath = m[2]!.replace(/[?#].*$/, '');
      found.push({
        method: m[1]!,
        path: absolute ? docPath : `/api/v1${docPath}`,
        file,
        line: i + 1,
        heading,
        claim: m[3] ? 'admin' : headingClaim,
      });
    }
  });
  return found;
}

/** `:id`, `{id}`, `{batchId}` and `…` alike; a router wildcard (`*rest`) takes any rest of the path. */
const shape = (p: string) => p.replace(/:[A-Za-z]\w*|\{[A-Za-z]\w*\}|…/g, ':');
function names(route: AppRoute, m: Pick<Mention, 'method' | 'path'>): boolean {
  if (route.method !== m.method) return false;
  const router = shape(route.path);
  const star = router.indexOf('*');
  return star < 0 ? router === shape(m.path) : shape(m.path).startsWith(router.slice(0, star));
}

const where = (m: Mention) => `${m.file}:${m.line} \`${m.method} ${m.path}\``;

describe('docs/api.md against the routes of the app', () => {
  const routes = appRoutes(buildTestApp());
  const api = mentions('api.md', { relativeToApi: true });
  const elsewhere = mentions('epcis.md', { relativeToApi: false });

  it('when the app is built, then docs/api.md names every route outside its generated table', () => {
    const undocumented = routes.filter((r) => !api.some((m) => names(r, m))).map(routeName);
    expect(undocumented, 'routes docs/api.md does not describe (the generated "Who may call what" table does not count)').to.deep.equal([]);
    expect(api.length).to.be.greaterThan(routes.length);
  });

  it('when docs/api.md or epcis.md names a route, then the app has it', () => {
    const missing = [...api, ...elsewhere].filter((m) => !routes.some((r) => names(r, m))).map(where);
    expect(missing, 'documented routes the app does not have').to.deep.equal([]);
  });

  it('when docs/api.md says a route is for admins or public, then the policy table says so too', () => {
    const wrong: string[] = [];
    for (const m of api.filter((x) => x.claim)) {
      for (const route of routes.filter((r) => names(r, m))) {
        const rule = route.action ? POLICY[route.action] : undefined;
        const holds =
          m.claim === 'admin'
            ? rule?.admin === 'allow' && rule.own === 'forbid' && rule.other === 'forbid' && rule.inspector === 'forbid' && rule.anonymous === 'key'
            : rule?.anonymous === 'allow';
        if (!holds) wrong.push(`${where(m)} says ${m.claim}, ${routeName(route)} is ${route.action ?? 'no action'} ${JSON.stringify(rule ?? null)}`);
      }
    }
    expect(wrong).to.deep.equal([]);
    expect(api.filter((m) => m.claim === 'admin').length, 'claims found').to.be.greaterThan(10);
  });
});
