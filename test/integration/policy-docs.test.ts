import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ACTIONS, POLICY, type Rule } from '../../src/policy/policy-table.js';
import { buildTestApp } from '../support/app.js';
import { appRoutes, routeName, type AppRoute } from '../support/app-routes.js';

const apiDoc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'api.md');
const HEADING = '## Who may call what';

/** The section of docs/api.md as the policy table and the app's routes say it must read. */
function renderSection(routes: AppRoute[]): string {
  const cell = (answer: Rule[keyof Rule]) => (answer === 'allow' ? 'yes' : answer === 'key' ? '401' : '403');
  const rows = ACTIONS.map((action) => {
    const rule = POLICY[action];
    const where = routes.filter((r) => r.action === action).map((r) => `\`${routeName(r)}\``);
    // An action no route names narrows what a route shows or lists: it refuses nothing itself.
    const answer = where.length ? cell : (a: Rule[keyof Rule]) => (a === 'allow' ? 'yes' : 'no');
    const cells = [answer(rule.admin), answer(rule.own), answer(rule.other), answer(rule.inspector), answer(rule.anonymous)];
    return `| \`${action}\` | ${where.join('<br>') || `(in services) may ${rule.what}`} | ${cells.join(' | ')} | ${rule.scoped ?? ''} |`;
  });
  return [
    HEADING,
    '',
    'Every route asks one table, `src/policy/policy-table.ts`, the same way; this section is',
    'checked against it by `test/integration/policy-docs.test.ts` (run it with',
    '`UPDATE_DOCS=1` to rewrite the section after changing the table). A producer key acts',
    'for one producer: *own* is a record of that producer, *other* a record of another one.',
    '`403` answers `auth/forbidden`, `401` `auth/unauthorized` (send a key); a key that is',
    'sent must be valid on every route, the public ones too (a bad key is a 401, never read',
    'as no key). Inspectors (market inspectors) read the batches, label runs, labels and',
    "events' business transactions of their provinces to trace a lot from a shop shelf back to its producer;",
    "they never write, print or void, and do not see a household's contact details, nor the",
    'signed URL of a label (only who may `label.print` gets `url`). Actions marked "(in',
    "services)\" answer yes or no inside a route: what a read shows (a household's contact,",
    "events' business transactions) or how far a query or a capture status may reach (another",
    "key's capture reads as 404).",
    '',
    'The programme is run province by province: an admin key or account acts for one',
    "province's office or for the national office, an inspector for the provinces they work",
    'in (the `scope` that /api/v1/me answers). The *scope* column says how far such a caller',
    'reaches once its column says yes, decided on the province of the record\'s producer (its',
    "commune's province; a report's is the shop's): *province*, only records of the caller's provinces (403 naming both",
    'provinces otherwise); *decision*, the same, and 5★ certifications (decided by the',
    'ministry) are the national office\'s alone; *national*, the national office only. Lists',
    "(producers, products, certifications, batches, reports, users, API keys) show a",
    "provincial admin or an inspector its provinces' records only; naming another province in",
    'the query is a 403. An admin without a province, and an inspector key made without',
    'provinces, reach every province; producer keys reach their producer, as above.',
    '',
    '| action | routes | admin | own producer | other producer | inspector | no key | scope |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The section as docs/api.md has it: from its heading to the next one. */
function documentedSection(doc: string): { start: number; end: number } | null {
  const start = doc.indexOf(`\n${HEADING}\n`);
  if (start < 0) return null;
  const next = doc.indexOf('\n## ', start + HEADING.length + 2);
  return { start: start + 1, end: next < 0 ? doc.length : next + 1 };
}

describe('docs/api.md "Who may call what" against the policy table', () => {
  const expected = renderSection(appRoutes(buildTestApp()));

  it('when the policy table or a route changes, then docs/api.md says the same', () => {
    let doc = fs.readFileSync(apiDoc, 'utf8');
    const at = documentedSection(doc);
    if (process.env.UPDATE_DOCS === '1' && at) {
      doc = doc.slice(0, at.start) + expected + '\n' + doc.slice(at.end);
      fs.writeFileSync(apiDoc, doc);
    }
    expect(at, `docs/api.md needs a "${HEADING}" section`).to.not.equal(null);
    const found = documentedSection(doc)!;
    expect(doc.slice(found.start, found.end).trimEnd(), 'rewrite it with UPDATE_DOCS=1 npx mocha test/integration/policy-docs.test.ts').to.equal(expected.trimEnd());
  });

  it('when the section is rendered, then every route of the app appears in it once', () => {
    for (const route of appRoutes(buildTestApp())) expect(expected.split(`\`${routeName(route)}\``).length - 1, routeName(route)).to.equal(1);
  });
});
