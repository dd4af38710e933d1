import type { Request } from 'express';
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
