import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { catalogueAreas, errorCatalogue, isErrorCode } from '../../src/errors/catalogue.js';

const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
const readDoc = (name: string) => readFileSync(path.join(docsDir, name), 'utf8');

/** The rows of docs/api.md's "## Errors" table: code → status, in the order written. */
function apiErrorTable(): [string, number][] {
  const text = readDoc('api.md');
  const start = text.indexOf('\n## Errors\n');
  expect(start, 'docs/api.md has an "## Errors" section').to.be.greaterThan(-1);
  const next = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^\| `([^`]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] as string, Number(m[2])]);
}

const namespaces = new Set(Object.keys(errorCatalogue).map((c) => c.split('/')[0]));
const codes = Object.keys(errorCatalogue);

describe('error catalogue', () => {
  it('when the catalogue is compared with the error table of docs/api.md, then each lists the same codes with the same status', () => {
    const rows = apiErrorTable();
    const documented = new Map(rows);
    expect(rows.length, 'a code is listed twice in the table').to.equal(documented.size);
    const undocumented = codes.filter((c) => !documented.has(c));
    const uncatalogued = [...documented.keys()].filter((c) => !isErrorCode(c));
    const wrongStatus = codes.filter((c) => documented.has(c) && documented.get(c) !== errorCatalogue[c as keyof typeof errorCatalogue].status);
    expect({ undocumented, uncatalogued, wrongStatus }).to.deep.equal({ undocumented: [], uncatalogued: [], wrongStatus: [] });
  });

  it('when any docs page names a code in a table with a status, then that is the catalogued status', () => {
    const wrong: string[] = [];
    for (const file of readdirSync(docsDir).filter((f) => f.endsWith('.md'))) {
      for (const line of readDoc(file).split('\n')) {
        const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
        const status = cells.find((c) => /^\d{3}$/.test(c));
        if (!status) continue;
        // Only cells that hold nothing but codes: a "when" column may mention others.
        for (const cell of cells.filter((c) => /^(`[a-z_]+\/[a-z_]+`(, )?)+$/.test(c))) {
          for (const [, code] of cell.matchAll(/`([^`]+)`/g)) {
            if (code && isErrorCode(code) && errorCatalogue[code].status !== Number(status)) wrong.push(`${file}: ${code} ${status}`);
          }
        }
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('when any docs page quotes a code of a catalogued kind, then the code is catalogued (no stale or misspelt codes)', () => {
    const unknown: string[] = [];
    for (const file of readdirSync(docsDir).filter((f) => f.endsWith('.md'))) {
      for (const [, code] of readDoc(file).matchAll(/`([a-z_]+\/[a-z_]+)`/g)) {
        if (code && namespaces.has(code.split('/')[0]) && !isErrorCode(code)) unknown.push(`${file}: ${code}`);
      }
    }
    expect(unknown).to.deep.equal([]);
  });

  it('when the catalogue is read, then every code is written in one area only and has a status and texts in Vietnamese and English', () => {
    expect(catalogueAreas.reduce((n, area) => n + Object.keys(area).length, 0)).to.equal(codes.length);
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(code).to.match(/^[a-z_]+\/[a-z_]+$/);
      expect(entry.status, code).to.be.within(400, 599);
      expect(entry.vi, code).to.match(/[àáảãạăâđèéêìíòóôơùúưỳýạ-ỹ]/i);
      expect(entry.en, code).to.match(/^[A-Z].*[.)]$/);
      expect(entry.vi, code).not.to.equal(entry.en);
    }
  });
});
