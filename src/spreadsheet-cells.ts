/**
 * CSV files we serve are opened in spreadsheet programs, which run a cell that starts
 * with = + - @ (or a tab or carriage return before one) as a formula: a product name
 * such as `=HYPERLINK(…)` typed into the registry would run on an officer's machine.
 * Such a text cell gets a leading apostrophe, which spreadsheets show as text and hide.
 * Numbers are not text cells and pass unchanged (a negative figure stays a number).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** csv-stringify's `cast` for string cells (and numbers as plain strings). */
export const SAFE_CSV_CAST = { string: spreadsheetSafe, number: String } as const;
