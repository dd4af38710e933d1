import type { Request } from 'express';

/** Vietnamese first: the page is for people in Vietnam; English on request. */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** A feature's messages: the same keys in both languages (the type enforces it). */
export type Messages<K extends string> = Record<Lang, Record<K, string>>;

/** ?lang= wins, then the lang cookie, then Accept-Language, then Vietnamese. */
export function pickLang(req: Request): Lang {
  const q = req.query.lang;
  if (q === 'vi' || q === 'en') return q;
  const cookie = /(?:^|;\s*)lang=(vi|en)\b/.exec(req.get('cookie') ?? '')?.[1];
  if (cookie === 'vi' || cookie === 'en') return cookie;
  const accepted = req.acceptsLanguages('vi', 'en');
  return accepted === 'en' ? 'en' : 'vi';
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
