import { createRequire } from 'node:module';

/**
 * Vietnam's administrative units in force since 1 July 2025 (34 provinces, 3,321
 * communes), with General Statistics Office codes. Codes are kept as zero-padded
 * strings: provinces 2 digits ("01" Hà Nội), communes 5 digits ("00004").
 */
type RawUnits = { provinces: { code: number; name: string; type: string; communes: { code: number; name: string; type: string }[] }[] };

const raw = createRequire(import.meta.url)('./vn-admin-units-2025.json') as RawUnits;

export type Commune = { code: string; name: string; type: string; provinceCode: string };
export type Province = { code: string; name: string; type: string; communes: Commune[] };

export const padProvince = (code: string | number) => String(code).padStart(2, '0');
export const padCommune = (code: string | number) => String(code).padStart(5, '0');

export const provinces: readonly Province[] = raw.provinces.map((p) => {
  const code = padProvince(p.code);
  return {
    code,
    name: p.name,
    type: p.type,
    communes: p.communes.map((c) => ({ code: padCommune(c.code), name: c.name, type: c.type, provinceCode: code })),
  };
});

const provinceByCode = new Map(provinces.map((p) => [p.code, p]));
const communeByCode = new Map(provinces.flatMap((p) => p.communes.map((c) => [c.code, c] as const)));

export const findProvince = (code: string) => provinceByCode.get(code);
export const findCommune = (code: string) => communeByCode.get(code);

/** A readable place: "Xã Bát Tràng, Thành phố Hà Nội". */
export function placeName(communeCode: string): string | null {
  const c = communeByCode.get(communeCode);
  if (!c) return null;
  return `${c.name}, ${provinceByCode.get(c.provinceCode)?.name ?? ''}`;
}
