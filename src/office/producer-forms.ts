import { PRODUCER_KINDS } from '../registry/producers/producer.schema.js';
import type { ProducerRecord } from '../registry/producers/producer.service.js';
import type { ProductRecord } from '../registry/products/product.service.js';
import { CURRENT_GROUP_LIST_VERSION, PRODUCT_GROUP_LISTS } from '../reference/product-groups.js';
import { orNull } from './office-forms.js';

/**
 * The producer and product forms of the office: their inputs, the API input each makes
 * (checked by the API's schemas), and the schema paths that point back at the inputs.
 */

export const PRODUCER_FIELDS = [
  'name', 'kind', 'registrationNumber', 'provinceCode', 'communeCode', 'street', 'legacyDistrict',
  'contactPerson', 'contactPhone', 'contactEmail', 'publicPhone', 'website',
] as const;
export type ProducerValues = Record<(typeof PRODUCER_FIELDS)[number], string>;

export const PRODUCER_PATHS: Readonly<Record<string, string>> = {
  name: 'name',
  kind: 'kind',
  registrationNumber: 'registrationNumber',
  address: 'communeCode',
  'address.provinceCode': 'provinceCode',
  'address.communeCode': 'communeCode',
  'address.street': 'street',
  'address.legacyDistrict': 'legacyDistrict',
  'contact.person': 'contactPerson',
  'contact.phone': 'contactPhone',
  'contact.email': 'contactEmail',
  'publicContact.phone': 'publicPhone',
  'publicContact.website': 'website',
};

export const blankProducer = (): ProducerValues =>
  Object.fromEntries(PRODUCER_FIELDS.map((f) => [f, f === 'kind' ? 'cooperative' : ''])) as ProducerValues;

/** The form as the API's producer body (POST /producers; the PATCH takes the same, whole). */
export function producerInput(v: ProducerValues) {
  return {
    name: v.name,
    kind: v.kind,
    registrationNumber: v.registrationNumber,
    address: { provinceCode: v.provinceCode, communeCode: v.communeCode, street: v.street, legacyDistrict: v.legacyDistrict },
    contact: { person: v.contactPerson, phone: orNull(v.contactPhone), email: orNull(v.contactEmail) },
    publicContact: { phone: orNull(v.publicPhone), website: orNull(v.website) },
  };
}

export function producerValues(p: ProducerRecord): ProducerValues {
  return {
    name: p.name,
    kind: p.kind,
    registrationNumber: p.registrationNumber,
    provinceCode: p.address.provinceCode,
    communeCode: p.address.communeCode,
    street: p.address.street ?? '',
    legacyDistrict: p.address.legacyDistrict ?? '',
    contactPerson: p.contact?.person ?? '',
    contactPhone: p.contact?.phone ?? '',
    contactEmail: p.contact?.email ?? '',
    publicPhone: p.publicContact?.phone ?? '',
    website: p.publicContact?.website ?? '',
  };
}

export const PRODUCER_KIND_LIST = PRODUCER_KINDS;

export const PRODUCT_FIELDS = ['nameVi', 'nameEn', 'group', 'gtin', 'description', 'standards'] as const;
export type ProductValues = Record<(typeof PRODUCT_FIELDS)[number], string>;

export const PRODUCT_PATHS: Readonly<Record<string, string>> = {
  'name.vi': 'nameVi',
  'name.en': 'nameEn',
  group: 'group',
  gtin: 'gtin',
  description: 'description',
  standards: 'standards',
};

export const blankProduct = (): ProductValues => ({ nameVi: '', nameEn: '', group: '', gtin: '', description: '', standards: '' });

const standardsOf = (text: string) => text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);

/** The form as the API's product body (POST /products). */
export function productCreateInput(producerId: string, v: ProductValues) {
  return { producerId, name: { vi: v.nameVi, en: v.nameEn }, group: v.group, gtin: orNull(v.gtin), description: v.description, standards: standardsOf(v.standards) };
}

/**
 * The form as a PATCH /products/:id body. A product rated under the former group list
 * keeps its group while the form sends it back unchanged (the API takes only groups of
 * the current list).
 */
export function productPatchInput(current: ProductRecord, v: ProductValues) {
  const keepsOldGroup = v.group === current.group && current.groupListVersion !== CURRENT_GROUP_LIST_VERSION;
  return {
    name: { vi: v.nameVi, en: v.nameEn },
    ...(keepsOldGroup ? {} : { group: v.group }),
    gtin: orNull(v.gtin),
    description: v.description,
    standards: standardsOf(v.standards),
  };
}

export function productValues(p: ProductRecord): ProductValues {
  return {
    nameVi: p.name.vi,
    nameEn: p.name.en ?? '',
    group: p.group,
    gtin: p.gtin ?? '',
    description: p.description ?? '',
    standards: (p.standards ?? []).join('\n'),
  };
}

/** The groups a form offers: the current list. */
export const CURRENT_GROUPS = PRODUCT_GROUP_LISTS[CURRENT_GROUP_LIST_VERSION];
