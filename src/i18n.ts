/** Vietnamese first: the page is for people in Vietnam; English on request. */
export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** A feature's messages: the same keys in both languages (the type enforces it). */
export type Messages<K extends string> = Record<Lang, Record<K, string>>;

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
