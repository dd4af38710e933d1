import type { Request, Response } from 'express';
import type { Lang } from '../i18n.js';
import { keepLangChoice, pickLang } from './language.js';
import { pageHtml, type PageData } from '../templates.js';

/** Renders views/<view>.eta inside views/layout.eta for the request's language. */
export function renderPage(req: Request, res: Response, view: string, data: PageData, status = 200): void {
  // A page that already picked the language passes it: the negotiation runs once.
  const lang: Lang = data.lang === 'vi' || data.lang === 'en' ? data.lang : pickLang(req);
  keepLangChoice(req, res);
  // The switch keeps the page's path (a page may pass its own, e.g. to keep its query).
  const switchHref = typeof data.switchHref === 'string' ? data.switchHref : `${req.path}?lang=${lang === 'vi' ? 'en' : 'vi'}`;
  res.status(status).type('html').send(pageHtml(view, { ...data, lang, switchHref }));
}

/**
 * Sends an HTML page already encoded: no re-encoding of a large string per request. A page
 * in parts is written part after part (one write to the socket all the same: Node corks it
 * until the end), so it is never copied into a buffer of its own.
 */
export function sendHtml(res: Response, body: Buffer | readonly Buffer[], status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (Buffer.isBuffer(body)) {
    res.setHeader('Content-Length', body.length);
    res.end(body);
    return;
  }
  let length = 0;
  for (const part of body) length += part.length;
  res.setHeader('Content-Length', length);
  const last = body.length - 1;
  for (let i = 0; i < last; i += 1) res.write(body[i]);
  res.end(body[last]);
}
