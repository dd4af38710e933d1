import type { Request } from 'express';
import { HeaderMemo } from './header-memo.js';

/** Vietnamese first: the page is for people in Vietnam; English on request. */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** A feature's messages: the same keys in both languages (the type enforces it). */
export type Messages<K extends string> = Record<Lang, Record<K, string>>;

const langByAcceptLanguage = new HeaderMemo<Lang>();

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
  return langByAcceptLanguage.get(acceptLanguage, () => (req.acceptsLanguages('vi', 'en') === 'en' ? 'en' : 'vi'));
}

export function translator<K extends string>(messages: Messages<K>, lang: Lang) {
  const table = messages[lang];
  return (key: K, vars?: Record<string, string | number>): string => {
    const text = table[key];
    return vars ? text.replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? `{${v}}`)) : text;
  };
}

/** Messages of the shared layout and error page. */
export const layoutMessages: Messages<'appName' | 'tagline' | 'switchLang' | 'errorTitle' | 'home'> = {
  vi: {
    appName: 'Truy xuất OCOP',
    tagline: 'Xác thực tem OCOP và nguồn gốc sản phẩm',
    switchLang: 'English',
    errorTitle: 'Có lỗi xảy ra',
    home: 'Trang chủ',
  },
  en: {
    appName: 'OCOP Trace',
    tagline: 'OCOP label verification and product origin',
    switchLang: 'Tiếng Việt',
    errorTitle: 'Something went wrong',
    home: 'Home',
  },
};
