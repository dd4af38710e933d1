import type { Lang } from '../i18n.js';
import { BATCH_UNITS } from './batch.schema.js';

/**
 * A batch's unit as a reader says it: "120 hũ", "120 jars", "1 jar". The stored code
 * is English (batch.schema.ts); Vietnamese nouns do not change in the plural.
 */
const ENGLISH: Record<string, [one: string, many: string]> = {
  piece: ['piece', 'pieces'],
  box: ['box', 'boxes'],
  bottle: ['bottle', 'bottles'],
  jar: ['jar', 'jars'],
  pack: ['pack', 'packs'],
  bag: ['bag', 'bags'],
  can: ['can', 'cans'],
  set: ['set', 'sets'],
};
const VIETNAMESE = new Map<string, string>(BATCH_UNITS.map((u) => [u.code, u.vi]));
/** Units that count things (a step recorded "in pieces" is counted in them), not measure them. */
const COUNTED = new Set(Object.keys(ENGLISH));

export function unitWord(code: string, lang: Lang, count: number): string {
  if (lang === 'vi') return VIETNAMESE.get(code) ?? code;
  const en = ENGLISH[code];
  return en ? en[count === 1 ? 0 : 1] : code;
}

export const isCountedUnit = (code: string) => COUNTED.has(code);

/** "120 hũ" / "120 jars"; numbers grouped by thousands as each language writes them. */
export function quantityText(quantity: number, code: string, lang: Lang): string {
  const n = quantity.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB');
  return `${n} ${unitWord(code, lang, quantity)}`;
}
