import { systemPrincipal } from '../policy/principal.js';
import { parseInput } from '../errors/validate.js';
import { monthsBefore, todayInVietnam } from './certifications/certification-rules.js';
import { certificationCreateSchema } from './certifications/certification.schema.js';
import { createCertification, revokeCertification, type CertificationRecord } from './certifications/certification.service.js';
import { withCheckDigit } from '../reference/gs1.js';
import { producerCreateSchema } from './producers/producer.schema.js';
import { createProducer, type ProducerRecord } from './producers/producer.service.js';
import { productCreateSchema } from './products/product.schema.js';
import { createProduct, type ProductRecord } from './products/product.service.js';
import { setProductPhoto } from './products/product-photo.service.js';
import { demoPhoto } from './products/product-photo.demo.js';

/**
 * Demo registry: OCOP producers of Hà Nội's craft villages and two other provinces,
 * their products and rating decisions — 3★, 4★ and 5★, one expired, one revoked, one
 * re-rated. Decision dates are relative to today so that the demo keeps showing each
 * case as time passes. Everything goes through the services, so every rule holds and
 * every write is audited as "system". Fictional registration numbers, people and contacts.
 */
const producers = {
  batTrang: {
    name: 'Hợp tác xã Gốm sứ Bát Tràng',
    kind: 'cooperative',
    registrationNumber: '0101987654',
    address: { provinceCode: '01', communeCode: '00577', street: 'Thôn Bát Tràng', legacyDistrict: 'Gia Lâm' },
    contact: { person: 'Nguyễn Văn Minh', phone: '024 3874 1234', email: 'htx@gom-battrang.example.vn' },
    publicContact: { phone: '024 3874 1234', website: 'https://gom-battrang.example.vn' },
  },
  thanhTri: {
    name: 'Hộ kinh doanh Bánh cuốn Thanh Trì Bà Lan',
    kind: 'household',
    registrationNumber: '01H8012345',
    address: { provinceCode: '01', communeCode: '00640', street: 'Số 12, ngõ 2, thôn Thanh Trì', legacyDistrict: 'Thanh Trì' },
    contact: { person: 'Trần Thị Lan', phone: '0988 123 456', email: null },
  },
  phuVinh: {
    name: 'Hợp tác xã Mây tre đan Phú Vinh',
    kind: 'cooperative',
    registrationNumber: '0108765432',
    address: { provinceCode: '01', communeCode: '10015', street: 'Thôn Phú Vinh', legacyDistrict: 'Chương Mỹ' },
    contact: { person: 'Đỗ Văn Hùng', phone: '0912 456 789', email: 'maytre@phuvinh.example.vn' },
  },
  chuyenMy: {
    name: 'Công ty TNHH Khảm trai Chuyên Mỹ',
    kind: 'enterprise',
    registrationNumber: '0106543210',
    address: { provinceCode: '01', communeCode: '10330', street: 'Thôn Chuyên Mỹ', legacyDistrict: 'Phú Xuyên' },
    contact: { person: 'Lê Quang Tuấn', phone: '0903 222 333', email: 'lienhe@khamtrai.example.vn' },
  },
  tanCuong: {
    name: 'Hợp tác xã Chè Tân Cương',
    kind: 'cooperative',
    registrationNumber: '4600123456',
    address: { provinceCode: '19', communeCode: '05503', street: 'Xóm Hồng Thái', legacyDistrict: 'Thành phố Thái Nguyên' },
    contact: { person: 'Hoàng Thị Thu', phone: '0208 3855 123', email: 'che@tancuong.example.vn' },
    publicContact: { phone: '0208 3855 123' },
  },
  phoHien: {
    name: 'Hợp tác xã Nhãn lồng Phố Hiến',
    kind: 'cooperative',
    registrationNumber: '0900234567',
    address: { provinceCode: '33', communeCode: '11953', street: 'Phố Nguyễn Thiện Thuật', legacyDistrict: 'Thành phố Hưng Yên' },
    contact: { person: 'Phạm Văn Long', phone: '0221 3862 456', email: null },
  },
} as const;
type ProducerKey = keyof typeof producers;

/** GTINs under the Vietnam prefix 893 (fictional company prefix 6045120), check digit computed. */
const gtin = (item: string) => withCheckDigit(`8936045120${item}`);

const products = {
  crackleVase: { producer: 'batTrang', name: { vi: 'Bình gốm men rạn vẽ tay', en: 'Hand-painted crackle-glaze vase' }, group: 'handicraft', gtin: gtin('01'), standards: ['TCCS 01:2024/GBT'] },
  blueTeaSet: { producer: 'batTrang', name: { vi: 'Bộ ấm chén men lam Bát Tràng', en: 'Bát Tràng blue-glaze tea set' }, group: 'handicraft', gtin: gtin('02') },
  riceRolls: { producer: 'thanhTri', name: { vi: 'Bánh cuốn Thanh Trì', en: 'Thanh Trì steamed rice rolls' }, group: 'food', gtin: null },
  rattanTray: { producer: 'phuVinh', name: { vi: 'Khay mây đan Phú Vinh', en: 'Phú Vinh woven rattan tray' }, group: 'handicraft', gtin: gtin('03') },
  rattanLamp: { producer: 'phuVinh', name: { vi: 'Đèn mây tre đan', en: 'Rattan and bamboo lamp' }, group: 'handicraft', gtin: null },
  pearlPainting: { producer: 'chuyenMy', name: { vi: 'Tranh khảm trai Chuyên Mỹ', en: 'Chuyên Mỹ mother-of-pearl inlay painting' }, group: 'handicraft', gtin: gtin('04') },
  pearlBox: { producer: 'chuyenMy', name: { vi: 'Hộp gỗ khảm trai', en: 'Mother-of-pearl inlaid wooden box' }, group: 'handicraft', gtin: null },
  budTea: { producer: 'tanCuong', name: { vi: 'Chè búp Tân Cương', en: 'Tân Cương bud tea' }, group: 'beverage', gtin: gtin('05'), standards: ['TCCS 02:2024/CTC', 'QCVN 8-2:2011/BYT'] },
  driedLongan: { producer: 'phoHien', name: { vi: 'Long nhãn sấy Phố Hiến', en: 'Phố Hiến dried longan' }, group: 'food', gtin: null },
} as const satisfies Record<string, { producer: ProducerKey; name: { vi: string; en: string }; group: string; gtin: string | null; standards?: readonly string[] }>;
type ProductKey = keyof typeof products;

type Rating = { product: ProductKey; stars: number; score: number; decisionNumber: string; monthsAgo: number };

/** First ratings; `lampFirst` is re-rated and `pearlBox` revoked afterwards. */
const ratings = {
  crackleVase: { product: 'crackleVase', stars: 5, score: 92, decisionNumber: '1562/QĐ-BNN-VPĐP', monthsAgo: 14 },
  blueTeaSet: { product: 'blueTeaSet', stars: 4, score: 78, decisionNumber: '4521/QĐ-UBND', monthsAgo: 10 },
  riceRolls: { product: 'riceRolls', stars: 3, score: 62, decisionNumber: '2103/QĐ-UBND', monthsAgo: 40 }, // expired
  rattanTray: { product: 'rattanTray', stars: 4, score: 71, decisionNumber: '4521/QĐ-UBND', monthsAgo: 10 },
  lampFirst: { product: 'rattanLamp', stars: 3, score: 58, decisionNumber: '3390/QĐ-UBND', monthsAgo: 28 },
  pearlPainting: { product: 'pearlPainting', stars: 4, score: 80, decisionNumber: '5807/QĐ-UBND', monthsAgo: 6 },
  pearlBox: { product: 'pearlBox', stars: 3, score: 55, decisionNumber: '1277/QĐ-UBND', monthsAgo: 18 },
  budTea: { product: 'budTea', stars: 4, score: 85, decisionNumber: '968/QĐ-UBND', monthsAgo: 8 },
  driedLongan: { product: 'driedLongan', stars: 3, score: 66, decisionNumber: '1845/QĐ-UBND', monthsAgo: 2 },
} as const satisfies Record<string, Rating>;
const reRatings = {
  lampRerated: { product: 'rattanLamp', stars: 4, score: 74, decisionNumber: '702/QĐ-UBND', monthsAgo: 3 },
} as const satisfies Record<string, Rating>;

type CertKey = keyof typeof ratings | keyof typeof reRatings;

export type DemoRegistry = {
  producers: Record<ProducerKey, ProducerRecord>;
  products: Record<ProductKey, ProductRecord>;
  certifications: Record<CertKey, CertificationRecord>;
  counts: { producers: number; products: number; certifications: number };
};

/** Runs `make` on every entry at once (independent writes overlap their round trips). */
async function createAll<K extends string, In, Out>(entries: Record<K, In>, make: (value: In) => Promise<Out>): Promise<Record<K, Out>> {
  const keys = Object.keys(entries) as K[];
  const made = await Promise.all(keys.map((k) => make(entries[k])));
  return Object.fromEntries(keys.map((k, i) => [k, made[i]])) as Record<K, Out>;
}

export async function seedRegistry(today: string = todayInVietnam()): Promise<DemoRegistry> {
  const actor = systemPrincipal;
  const madeProducers = await createAll(producers, (p) => createProducer(parseInput(producerCreateSchema, p), actor));
  const madeProducts = await createAll(products, ({ producer, ...p }) =>
    createProduct(parseInput(productCreateSchema, { ...p, producerId: madeProducers[producer]._id }), actor),
  );
  // Each product gets a drawn photo, and a few what their dossiers list as applied standards.
  const keys = Object.keys(madeProducts) as ProductKey[];
  await Promise.all(
    keys.map(async (k, i) => {
      madeProducts[k] = await setProductPhoto(madeProducts[k]._id, await demoPhoto((i * 47) % 360), actor);
    }),
  );
  const rate = (r: Rating) => {
    const decisionDate = monthsBefore(today, r.monthsAgo);
    // The ministry's documents carry BNNMT since it became the Ministry of Agriculture and Environment.
    const decisionNumber = decisionDate >= '2025-03-01' ? r.decisionNumber.replace('-BNN-', '-BNNMT-') : r.decisionNumber;
    const input = { stars: r.stars, score: r.score, decisionNumber, decisionDate };
    return createCertification(madeProducts[r.product]._id, parseInput(certificationCreateSchema, input), actor);
  };
  const first = await createAll(ratings, rate);
  const [second] = await Promise.all([
    createAll(reRatings, rate),
    revokeCertification(first.pearlBox._id, 'Kiểm tra định kỳ: sản phẩm không duy trì được tiêu chuẩn chất lượng đã công nhận.', actor),
  ]);
  const certifications = { ...first, ...second };
  return {
    producers: madeProducers,
    products: madeProducts,
    certifications,
    counts: {
      producers: Object.keys(madeProducers).length,
      products: Object.keys(madeProducts).length,
      certifications: Object.keys(certifications).length,
    },
  };
}
