/**
 * OCOP product groups. The list changed: the 2018–2020 programme (Decision 490/QĐ-TTg)
 * had six groups including textiles and souvenirs; Decision 148/QĐ-TTg of 2023 regrouped
 * them. Each product stores the list version its group came from, so products rated
 * under the old list stay readable; new products use CURRENT_GROUP_LIST_VERSION.
 */
export type ProductGroup = { code: string; vi: string; en: string };

export const PRODUCT_GROUP_LISTS = {
  '2023': [
    { code: 'food', vi: 'Thực phẩm', en: 'Food' },
    { code: 'beverage', vi: 'Đồ uống', en: 'Beverages' },
    { code: 'herbal', vi: 'Thảo dược', en: 'Herbal products' },
    { code: 'handicraft', vi: 'Thủ công mỹ nghệ', en: 'Handicrafts' },
    { code: 'ornamental', vi: 'Sinh vật cảnh', en: 'Ornamental plants and animals' },
    {
      code: 'tourism',
      vi: 'Dịch vụ du lịch cộng đồng, du lịch nông thôn và điểm du lịch',
      en: 'Community and rural tourism services, tourist sites',
    },
  ],
  '2018': [
    { code: 'food', vi: 'Thực phẩm', en: 'Food' },
    { code: 'beverage', vi: 'Đồ uống', en: 'Beverages' },
    { code: 'herbal', vi: 'Thảo dược', en: 'Herbal products' },
    { code: 'textile', vi: 'Vải và may mặc', en: 'Textiles and garments' },
    { code: 'souvenir', vi: 'Lưu niệm – nội thất – trang trí', en: 'Souvenirs, furniture and decoration' },
    { code: 'rural_tourism', vi: 'Dịch vụ du lịch nông thôn, bán hàng', en: 'Rural tourism and sales services' },
  ],
} as const satisfies Record<string, readonly ProductGroup[]>;

export type GroupListVersion = keyof typeof PRODUCT_GROUP_LISTS;
export const GROUP_LIST_VERSIONS = Object.keys(PRODUCT_GROUP_LISTS) as GroupListVersion[];
export const CURRENT_GROUP_LIST_VERSION: GroupListVersion = '2023';

export const currentGroupCodes: readonly string[] = PRODUCT_GROUP_LISTS[CURRENT_GROUP_LIST_VERSION].map((g) => g.code);
/** Every code of every version: what a list filter may ask for. */
export const allGroupCodes: readonly string[] = [...new Set(GROUP_LIST_VERSIONS.flatMap((v) => PRODUCT_GROUP_LISTS[v].map((g) => g.code)))];

export function findProductGroup(version: string, code: string): ProductGroup | undefined {
  const list: readonly ProductGroup[] | undefined = PRODUCT_GROUP_LISTS[version as GroupListVersion];
  return list?.find((g) => g.code === code);
}
