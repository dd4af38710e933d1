import { z } from 'zod';
import { PRODUCER_KINDS } from './producer.model.js';

/** The kinds of producer, for other features' inputs (the public registry's filter). */
export { PRODUCER_KINDS };
import { addressProblems } from '../../reference/admin-units.js';
import { communeCodeInput, optionalText, provinceCodeInput } from '../common.schema.js';
import { listQuery } from '../../paging.js';

/**
 * Vietnamese phone numbers as people write them ("0912 345 678", "+84 24 3825 1234")
 * → national digits: mobile 0 + 9 digits (03/05/07/08/09), landline 02 + 9 digits.
 */
export function normalizeVietnamesePhone(raw: string): string | null {
  let digits = raw.replace(/[\s.\-()]/g, '');
  if (digits.startsWith('+84')) digits = `0${digits.slice(3)}`;
  else if (/^84\d{9,10}$/.test(digits)) digits = `0${digits.slice(2)}`;
  return /^0(?:[35789]\d{8}|2\d{9})$/.test(digits) ? digits : null;
}

const phoneInput = z.string().transform((v, ctx) => {
  const phone = normalizeVietnamesePhone(v);
  if (phone === null) {
    ctx.addIssue({ code: 'custom', message: 'not a Vietnamese phone number; write it like 0912 345 678 or 024 3825 1234' });
    return z.NEVER;
  }
  return phone;
});

const contactInput = z.strictObject({
  person: optionalText(200),
  phone: phoneInput.nullable().optional(),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email('not a valid e-mail address').max(200))
    .nullable()
    .optional(),
});

/** What the producer publishes on its labels' pages: a phone and a website, both optional (null clears one). */
const publicContactInput = z.strictObject({
  phone: phoneInput.nullable().optional(),
  website: z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https?$/, message: 'a website is an http(s) URL, e.g. https://example.vn' }).max(300, 'at most 300 characters'))
    .nullable()
    .optional(),
});

/** The address is always sent whole: the commune is checked against its province. */
const addressInput = z
  .strictObject({
    provinceCode: provinceCodeInput,
    communeCode: communeCodeInput,
    street: optionalText(300),
    legacyDistrict: optionalText(100),
  })
  .superRefine((a, ctx) => {
    for (const p of addressProblems(a.provinceCode, a.communeCode)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  });

/** One number, one spelling: spaces dropped, upper case ("0101 234 567" = "0101234567"). */
const registrationNumberInput = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .regex(/^[0-9A-Z][0-9A-Z./-]{2,49}$/, 'a registration number has 3–50 letters, digits, "-", "/" or "." (e.g. 0101234567)'),
  );

const nameInput = z.string().trim().min(2, 'at least 2 characters').max(300, 'at most 300 characters');

export const producerCreateSchema = z.strictObject({
  name: nameInput,
  kind: z.enum(PRODUCER_KINDS),
  registrationNumber: registrationNumberInput,
  address: addressInput,
  contact: contactInput.optional(),
  publicContact: publicContactInput.optional(),
});

/** A patch: any of the fields; contact fields merge (null clears one), the address is replaced. */
export const producerPatchSchema = z
  .strictObject({
    name: nameInput.optional(),
    kind: z.enum(PRODUCER_KINDS).optional(),
    registrationNumber: registrationNumberInput.optional(),
    address: addressInput.optional(),
    contact: contactInput.optional(),
    publicContact: publicContactInput.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'send at least one field to change' });

export const producerListSchema = listQuery({
  province: provinceCodeInput.optional(),
  kind: z.enum(PRODUCER_KINDS).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

export type ProducerCreateInput = z.output<typeof producerCreateSchema>;
export type ProducerPatchInput = z.output<typeof producerPatchSchema>;
export type ProducerListQuery = z.output<typeof producerListSchema>;
