import { z } from 'zod';
import { LABEL_LANGS } from './label-face.js';
import { ROLL } from './label-layout.js';

/** Dots per millimetre of Zebra-class printers: 152, 203, 300 and 600 dpi. */
export const ZPL_DPMM = [6, 8, 12, 24] as const;
export type ZplDpmm = (typeof ZPL_DPMM)[number];

const lang = z.enum(LABEL_LANGS, { error: `lang is one of ${LABEL_LANGS.join(', ')}` }).default('vi-en');

/** A label side in mm, to a tenth, within the roll bounds. */
const side = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} is a length in mm, e.g. ${min}` })
    .min(min, `${name} is at least ${min} mm`)
    .max(max, `${name} is at most ${max} mm`)
    .refine((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-6, `${name} is given to a tenth of a mm at most`);

const rollSize = {
  width: side('width', ROLL.minWidthMm, ROLL.maxWidthMm).default(ROLL.defaultWidthMm),
  height: side('height', ROLL.minHeightMm, ROLL.maxHeightMm).default(ROLL.defaultHeightMm),
};

/** `sheet.pdf`: the A4 sheet (the default), or one label per page (`format=roll`) of `width` × `height` mm. */
export const sheetQuery = z.preprocess(
  (q) => (q && typeof q === 'object' && !('format' in q) ? { ...q, format: 'a4' } : q),
  z.discriminatedUnion(
    'format',
    [
      z.strictObject({ format: z.literal('a4'), lang }, { error: (i) => (i.code === 'unrecognized_keys' ? 'width and height go with format=roll; the A4 sheet has its own size' : undefined) }),
      z.strictObject({ format: z.literal('roll'), ...rollSize, lang }),
    ],
    { error: 'format is a4 (the A4 sheet, the default) or roll (one label per page, width × height mm)' },
  ),
);

/** `labels.zpl`: one label of `width` × `height` mm per ^XA…^XZ, for a printer of `dpmm` dots per mm. */
export const zplQuery = z.strictObject({
  ...rollSize,
  dpmm: z.coerce
    .number()
    .refine((v): v is ZplDpmm => (ZPL_DPMM as readonly number[]).includes(v), `dpmm is the printer's dots per mm: ${ZPL_DPMM.join(', ')} (152, 203, 300, 600 dpi)`)
    .default(8),
  lang,
});
