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

/** A code as people send it (7, "7", "07") → padded, or null if it is not a code at all. */
export function normalizeUnitCode(input: unknown, width: 2 | 5): string | null {
  if (typeof input === 'number' && Number.isInteger(input) && input >= 0) {
    const s = String(input);
    return s.length <= width ? s.padStart(width, '0') : null;
  }
  if (typeof input === 'string' && new RegExp(`^\\d{1,${width}}$`).test(input.trim())) {
    return input.trim().padStart(width, '0');
  }
  return null;
}

/**
 * Problems with a province/commune pair (empty when the pair is valid): both must be
 * 2025 units and the commune must lie in the province.
 */
export function addressProblems(provinceCode: string, communeCode: string): { path: string; message: string }[] {
  const province = findProvince(provinceCode);
  if (!province) return [{ path: 'provinceCode', message: `no province with code ${provinceCode} among the 34 units of 2025` }];
  const commune = findCommune(communeCode);
  if (!commune) return [{ path: 'communeCode', message: `no commune with code ${communeCode} among the 2025 units` }];
  if (commune.provinceCode !== provinceCode) {
    return [
      {
        path: 'communeCode',
        message: `${commune.name} (${communeCode}) lies in ${findProvince(commune.provinceCode)?.name ?? commune.provinceCode}, not in ${province.name}`,
      },
    ];
  }
  return [];
}
