import { Router } from 'express';
import type { Config } from '../config.js';
import { parseInput } from '../errors/validate.js';
import { openRoute } from '../policy/principal-of-request.js';
import type { CatalogueIndex } from './catalogue-index.js';
import { catalogueSearchSchema, withoutEmpty } from './catalogue.schema.js';
import { presentEntry } from './catalogue.presenter.js';
import { searchRegistry } from './catalogue.service.js';
import { OPEN_DATA_LICENCE, OPEN_DATA_SCHEMA_VERSION, writeOpenDataCsv, writeOpenDataJson } from './open-data.js';

/**
 * The public registry as open data (docs/open-data.md): the search page's search as JSON,
 * and the whole registry as CSV and JSON, CC BY 4.0. Anyone may call them, with CORS, and
 * caches may keep an answer as long as the index may be stale.
 */
export function openDataRouter(deps: { config: Config; index: CatalogueIndex; maxAgeSec: number }): Router {
  const { config, index } = deps;
  const base = config.publicBaseUrl;
  const maxAge = Math.floor(deps.maxAgeSec);
  const router = Router();
  const open = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': `public, max-age=${maxAge}` };

  router.get('/api/v1/registry/search', openRoute('open_data.read', async (req, res) => {
    const query = parseInput(catalogueSearchSchema, withoutEmpty(req.query as Record<string, unknown>));
    const result = await searchRegistry(index, query);
    res.set(open).json({
      schemaVersion: OPEN_DATA_SCHEMA_VERSION,
      licence: OPEN_DATA_LICENCE,
      generatedAt: result.loadedAt.toISOString(),
      items: result.items.map((e) => presentEntry(e, base)),
      page: result.page,
    });
  }));

  router.get('/api/v1/registry/products.csv', openRoute('open_data.read', async (_req, res) => {
    const snap = await index.current();
    res.set({
      ...open,
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': 'attachment; filename="ocop-products.csv"',
      // The licence travels with the file's answer too (a CSV has no place for it but its documentation).
      Link: '<https://creativecommons.org/licenses/by/4.0/>; rel="license"',
    });
    await writeOpenDataCsv(snap, base, res);
  }));

  router.get('/api/v1/registry/products.json', openRoute('open_data.read', async (_req, res) => {
    const snap = await index.current();
    res.set({ ...open, 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': 'inline; filename="ocop-products.json"' });
    await writeOpenDataJson(snap, base, res);
  }));

  return router;
}
