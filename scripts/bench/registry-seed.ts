/**
 * A registry of national size for the registry benchmarks, written in bulk through the
 * models (insertMany, 1,000 at a time): producers, products, their certifications, the
 * claims and lists that lookups by _id read (GTIN claims, certification slots), scans,
 * and the start-up upgrades marked done (they would otherwise walk every record again).
 */
import { newId } from '../../src/ids.js';

const PLACE_WORDS = ['Bát Tràng', 'Thái Nguyên', 'Ba Vì', 'Phú Quốc', 'Mộc Châu', 'Đà Lạt', 'Hưng Yên', 'Bến Tre', 'Sơn La', 'Hà Giang', 'Đồng Tháp', 'Cao Bằng'];
const THINGS: Array<[string, string]> = [
  ['Gốm', 'handicraft'],
  ['Mật ong', 'food'],
  ['Chè', 'beverage'],
  ['Trà hoa vàng', 'beverage'],
  ['Nước mắm', 'food'],
  ['Mứt sen', 'food'],
  ['Cao dược liệu', 'herbal'],
  ['Nón lá', 'handicraft'],
  ['Rượu cần', 'beverage'],
  ['Lan hồ điệp', 'ornamental'],
];
const KINDS = ['cooperative', 'enterprise', 'household', 'cooperative_group'] as const;

async function insertAll<T>(model: { insertMany(docs: T[], opts: { ordered: boolean }): Promise<unknown> }, docs: T[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1000) await model.insertMany(docs.slice(i, i + 1000), { ordered: false });
}

export async function seedRegistry(productCount: number, scanCount: number): Promise<void> {
  const { provinces } = await import('../../src/reference/admin-units.js');
  const { withCheckDigit } = await import('../../src/reference/gs1.js');
  const { foldForSearch } = await import('../../src/registry/text-search.js');
  const { validUntilFor } = await import('../../src/registry/certifications/certification-status.js');
  const { ProducerModel } = await import('../../src/registry/producers/producer.model.js');
  const { ProductModel } = await import('../../src/registry/products/product.model.js');
  const { ProductGtinModel } = await import('../../src/registry/products/product-gtin.model.js');
  const { CertificationModel } = await import('../../src/registry/certifications/certification.model.js');
  const { CertificationSlotModel } = await import('../../src/registry/certifications/certification-slot.model.js');
  const { ScanModel } = await import('../../src/verify/scans/scan.model.js');
  const { UpgradeModel } = await import('../../src/upgrades/upgrade.model.js');

  const now = Date.now();
  const producers = Array.from({ length: Math.ceil(productCount / 4) }, (_, i) => {
    const province = provinces[i % provinces.length]!;
    const commune = province.communes[Math.floor(i / provinces.length) % province.communes.length]!;
    const kind = KINDS[i % KINDS.length]!;
    const name = `${kind === 'household' ? 'Hộ kinh doanh' : kind === 'enterprise' ? 'Công ty' : 'HTX'} ${PLACE_WORDS[i % PLACE_WORDS.length]} ${i}`;
    return {
      _id: newId(),
      name,
      searchName: foldForSearch(name),
      kind,
      registrationNumber: `BENCH${String(i).padStart(8, '0')}`,
      address: { provinceCode: province.code, communeCode: commune.code, street: null, legacyDistrict: null },
      contact: { person: null, phone: null, email: null },
      publicContact: { phone: null, website: null },
    };
  });
  await insertAll(ProducerModel, producers);

  const products = Array.from({ length: productCount }, (_, i) => {
    const [thing, group] = THINGS[i % THINGS.length]!;
    const vi = i === 0 ? 'Gốm Bát Tràng' : `${thing} ${PLACE_WORDS[Math.floor(i / THINGS.length) % PLACE_WORDS.length]} ${i}`;
    const producer = producers[i % producers.length]!;
    const gtin = withCheckDigit(`0893${String(i).padStart(9, '0')}`);
    return { _id: newId(), producerId: producer._id, name: { vi, en: null }, searchName: foldForSearch(vi), group, groupListVersion: '2023', gtin, gtinKey: gtin, createdAt: new Date(now - (productCount - i) * 60_000) };
  });
  await insertAll(ProductModel, products);
  await insertAll(ProductGtinModel, products.map((p) => ({ _id: p.gtin, value: p._id })));

  // Nine in ten certified; of those a tenth decided over 36 months ago (expired).
  const certs = products
    .filter((_, i) => i % 10 !== 9)
    .map((p, i) => {
      const decisionDate = new Date(now - (i % 10 === 0 ? 40 : 1 + (i % 30)) * 30 * 86_400_000);
      const stars = 1 + (i % 5);
      return {
        _id: newId(),
        productId: p._id,
        producerId: p.producerId,
        stars,
        score: [0, 40, 55, 70, 85, 95][stars]!,
        decisionNumber: `${1000 + i}/QĐ-UBND`,
        authority: { level: 'province', name: 'Ủy ban nhân dân tỉnh' },
        decisionDate,
        validUntil: validUntilFor(decisionDate),
        status: 'active',
      };
    });
  await insertAll(CertificationModel, certs);
  await insertAll(CertificationSlotModel, certs.map((c) => ({ _id: `${c.productId}:0`, value: c._id })));

  const scans = Array.from({ length: scanCount }, (_, i) => ({
    _id: `${newId()}${newId()}`,
    serial: `BENCH${String(i % (scanCount / 4)).padStart(11, '0')}`,
    time: new Date(now - (i % 90) * 86_400_000 - i * 1000),
    place: null,
    clientHash: `c${i % 5000}`,
    verdict: i % 50 === 0 ? 'forged' : 'genuine',
  }));
  await insertAll(ScanModel, scans);

  const upgrades = ['product-key-locks', 'label-run-keys', 'label-run-pages', 'certification-slots', 'open-captures', 'product-gtins', 'batch-lots', 'scan-tallies'];
  await insertAll(UpgradeModel, upgrades.map((name) => ({ _id: name, at: new Date(), changed: 0 })));
}
