/**
 * Folds Vietnamese text for "contains" searches: lower case, no tone or vowel marks,
 * đ → d. People type "bat trang" for "Bát Tràng"; FerretDB has no collation or text
 * index, so a folded copy of the name is stored and matched with an escaped regex.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A regex source matching `query` literally (after folding) anywhere in a folded field. */
export function containsPattern(query: string): string {
  return foldForSearch(query).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
