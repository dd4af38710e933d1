import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { openRoute } from '../policy/principal-of-request.js';
import { pickLang } from '../http/language.js';
import { renderPage } from '../http/views.js';
import { notFound } from '../errors/app-error.js';
import { buildOpenApiDocument } from './document.js';

/**
 * The API's description, `GET /api/v1/openapi.json` (built once, on first ask: the
 * operations registry does not change while the service runs), and its reference page,
 * `GET /api/docs`: swagger-ui from the swagger-ui-dist package, its two files served
 * from here (`/static/api-docs/…`) so the strict CSP holds, started by public/api-docs.js.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const swaggerUiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only swagger-ui files the page needs; nothing else of the package is served. */
const SWAGGER_UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

let documentJson: Buffer | undefined;
/** The served bytes: the document as built, serialised once. */
export function openApiJson(): Buffer {
  documentJson ??= Buffer.from(JSON.stringify(buildOpenApiDocument(version)));
  return documentJson;
}

const TITLES = { vi: 'Tài liệu API', en: 'API reference' } as const;

export function openApiRouter(): Router {
  const router = Router();
  router.get('/api/v1/openapi.json', openRoute('api_docs.read', (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' });
    res.type('application/json').send(openApiJson());
  }));

  router.get('/api/docs', openRoute('api_docs.read', (req, res) => {
    const lang = pickLang(req);
    // Like every page: its language follows the cookie and Accept-Language, so no shared cache keeps it.
    res.set('Cache-Control', 'no-store');
    renderPage(req, res, 'api-docs', {
      title: TITLES[lang],
      lang,
      // swagger-ui renders its operations in a <main> of its own: the layout must not add a second one.
      ownMain: true,
      styles: ['/static/api-docs/swagger-ui.css'],
      scripts: ['/static/api-docs/swagger-ui-bundle.js', '/static/api-docs.js'],
    });
  }));

  router.get('/static/api-docs/:file', openRoute('site.read', (req, res) => {
    const file = String(req.params.file);
    const type = Object.hasOwn(SWAGGER_UI_FILES, file) ? SWAGGER_UI_FILES[file] : undefined;
    if (!type) throw notFound('route/not_found', `Nothing at ${req.path}.`);
    res.sendFile(path.join(swaggerUiDir, file), { maxAge: '1d', headers: { 'Content-Type': type } });
  }));
  return router;
}
