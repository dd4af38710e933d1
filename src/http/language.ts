import type { Request, Response } from 'express';
import { BoundedMap } from '../bounded-map.js';
import type { Lang } from '../i18n.js';

/** Browsers send a handful of distinct Accept-Language values: each is parsed once. */
const langByAcceptLanguage = new BoundedMap<string, Lang>(500);

/**
 * ?lang= wins, then the lang cookie, then Accept-Language, then Vietnamese. A caller
 * that already holds the parsed query passes it (Express parses `req.query` anew on
 * every read).
 */
export function pickLang(req: Request, query: Record<string, unknown> = req.query): Lang {
  const q = query.lang;
  if (q === 'vi' || q === 'en') return q;
  const cookieHeader = req.headers.cookie;
  if (cookieHeader) {
    const cookie = /(?:^|;\s*)lang=(vi|en)\b/.exec(cookieHeader)?.[1];
    if (cookie === 'vi' || cookie === 'en') return cookie;
  }
  const acceptLanguage = req.headers['accept-language'];
  if (!acceptLanguage) return 'vi';
  return langByAcceptLanguage.remember(acceptLanguage, () => (req.acceptsLanguages('vi', 'en') === 'en' ? 'en' : 'vi'));
}

/** A year: the reader chose a language once, the next label they scan opens in it. */
const LANG_COOKIE = (lang: Lang) => `lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;

/**
 * Keeps a language chosen with ?lang= in the lang cookie (which pickLang reads), so the
 * next page opens in it. Only when the choice differs from the cookie: a page that is
 * already in the cookie's language sends no Set-Cookie.
 */
export function keepLangChoice(req: Request, res: Response, query: Record<string, unknown> = req.query): void {
  const q = query.lang;
  if (q !== 'vi' && q !== 'en') return;
  const cookie = req.headers.cookie ? /(?:^|;\s*)lang=(vi|en)\b/.exec(req.headers.cookie)?.[1] : undefined;
  if (cookie !== q) res.append('Set-Cookie', LANG_COOKIE(q));
}
