/**
 * How long the statistics snapshot (src/dashboard/) takes to compute on a registry of
 * province size ×34, against a fresh PostgreSQL-backed FerretDB (as the tests use), and
 * what a page request costs once it is held. Prints figures only.
 *   npm run bench:statistics   (PRODUCTS=20000 SCANS=200000 to change the size)
 * The scan log is filled too, to show that its size does not enter the computation.
 */
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../../src/db.js';
import { createLogger } from '../../src/logger.js';
import { computeSnapshot, DashboardSnapshots } from '../../src/dashboard/dashboard.service.js';
import { ProducerModel } from '../../src/registry/producers/producer.model.js';
import { ProductModel } from '../../src/registry/products/product.model.js';
import { CertificationModel } from '../../src/registry/certifications/certification.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { ScanMonthModel } from '../../src/verify/scans/scan-month.model.js';
import { provinces } from '../../src/reference/admin-units.js';
import { lastMonths } from '../../src/dashboard/dashboard-figures.js';
import { createTestDatabase } from '../../test/support/database.js';

const PRODUCTS = Number(process.env.PRODUCTS ?? 20_000);
const SCANS = Number(process.env.SCANS ?? 200_000);
const PRODUCERS = Math.ceil(PRODUCTS / 8);
const RUNS = Math.ceil(PRODUCTS / 4);
const KINDS = ['enterprise', 'cooperative', 'household', 'cooperative_group'];
const GROUPS = ['food', 'beverage', 'herbal', 'handicraft', 'ornamental', 'tourism'];
const DAY = 86_400_000;
const now = Date.now();

async function inChunks<T>(docs: T[], insert: (chunk: T[]) => Promise<unknown>, size = 5_000): Promise<void> {
  for (let i = 0; i < docs.length; i += size) await insert(docs.slice(i, i + size));
}
const raw = (model: { collection: unknown }) => model.collection as { insertMany(docs: object[], o: object): Promise<unknown> };

const db = await createTestDatabase('ocop_bench');
try {
  await connectDatabase(db.uri);
  await syncIndexes();
  const t0 = performance.now();
  const producers = Array.from({ length: PRODUCERS }, (_, i) => {
    const p = provinces[i % provinces.length]!;
    return { _id: `pr${i}`, name: `HTX ${i}`, searchName: `htx ${i}`, kind: KINDS[i % 4], registrationNumber: `R${i}`, address: { provinceCode: p.code, communeCode: p.communes[0]!.code }, createdAt: new Date(), updatedAt: new Date() };
  });
  await inChunks(producers, (c) => raw(ProducerModel).insertMany(c, { ordered: false }));
  const products = Array.from({ length: PRODUCTS }, (_, i) => ({ _id: `pd${i}`, producerId: `pr${i % PRODUCERS}`, name: { vi: `SP ${i}` }, group: GROUPS[i % 6], groupListVersion: '2023', gtinKey: `none:pd${i}`, searchName: `sp ${i}`, createdAt: new Date(), updatedAt: new Date() }));
  await inChunks(products, (c) => raw(ProductModel).insertMany(c, { ordered: false }));
  // Every product one decision in force (a third of them re-rated: the older one superseded).
  const certs = products.flatMap((p, i) => {
    const decided = new Date(now - ((i * 37) % 1000) * DAY);
    const cert = (id: string, at: Date, status: string) => ({ _id: id, productId: p._id, producerId: p.producerId, stars: 3 + (i % 3), score: 80, decisionNumber: `${i}/QĐ-UBND`, authority: { level: 'province', name: 'UBND' }, decisionDate: at, validUntil: new Date(at.getTime() + 1095 * DAY), status, createdAt: at, updatedAt: at });
    return i % 3 === 0 ? [cert(`c${i}`, decided, 'active'), cert(`o${i}`, new Date(decided.getTime() - 400 * DAY), 'superseded')] : [cert(`c${i}`, decided, 'active')];
  });
  await inChunks(certs, (c) => raw(CertificationModel).insertMany(c, { ordered: false }));
  const runs = Array.from({ length: RUNS }, (_, i) => ({ _id: `r${i}`, batchId: `b${i}`, productId: `pd${i % PRODUCTS}`, producerId: `pr${i % PRODUCERS}`, certificationId: `c${i % PRODUCTS}`, count: 100 + (i % 900), requestedBy: 'bench', idempotencyKey: `k${i}`, state: 'issued', createdAt: new Date(now - (i % 700) * DAY), issuedAt: new Date(now - (i % 700) * DAY) }));
  await inChunks(runs, (c) => raw(LabelRunModel).insertMany(c, { ordered: false }));
  const months = lastMonths(new Date(), 24);
  const monthDocs = months.flatMap((month) => Array.from({ length: 20 }, (_, n) => ({ _id: `${month}~i${n}`, month, instance: `i${n}`, updatedAt: new Date(), counts: JSON.stringify(provinces.map((p) => ({ p: p.code, scans: 300, forged: 2, unknown: 1, clones: 1 }))) })));
  await raw(ScanMonthModel).insertMany(monthDocs, { ordered: false });
  const scans = Array.from({ length: SCANS }, (_, i) => ({ _id: `s${i}`, serial: `L${i % 50_000}`, time: new Date(now - (i % 300) * DAY), place: null, clientHash: `h${i % 999}`, verdict: 'genuine' }));
  await inChunks(scans, (c) => raw(ScanModel).insertMany(c, { ordered: false }), 10_000);
  console.log(`filled: ${PRODUCERS} producers, ${PRODUCTS} products, ${certs.length} certifications, ${RUNS} label runs, ${monthDocs.length} monthly scan documents, ${SCANS} scans in the log (${Math.round(performance.now() - t0)} ms)`);

  // Each read alone, one after another: where the time goes.
  const alone = async (name: string, read: () => Promise<unknown[]>) => {
    const t = performance.now();
    const docs = await read();
    console.log(`  ${name}: ${docs.length} documents in ${Math.round(performance.now() - t)} ms`);
  };
  await alone('certifications', () => CertificationModel.find({}, { _id: 1, productId: 1, producerId: 1, stars: 1, status: 1, decisionDate: 1, createdAt: 1, validUntil: 1 }).lean());
  await alone('products', () => ProductModel.find({}, { _id: 1, group: 1, producerId: 1 }).lean());
  await alone('producers', () => ProducerModel.find({}, { _id: 1, kind: 1, 'address.provinceCode': 1 }).lean());
  await alone('label runs', () => LabelRunModel.find({ state: { $in: ['issued', 'revoked'] }, issuedAt: { $gte: new Date(now - 365 * DAY) } }, { producerId: 1, count: 1, issuedAt: 1 }).lean());
  await alone('scan months', () => ScanMonthModel.find({ month: { $in: months.slice(-12) } }, { month: 1, counts: 1 }).lean());
  for (let i = 1; i <= 3; i += 1) {
    const s = await computeSnapshot(new Date(), createLogger('info'));
    console.log(`snapshot ${i}: ${s.durationMs} ms (stars, whole country: ${JSON.stringify(Object.values(s.figures.stars.byProvince).reduce((a, c) => a + Object.values(c).reduce((x, y) => x + y, 0), 0))} products in force)`);
  }
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: '.data/bench', PUBLIC_BASE_URL: 'https://trace.example.vn', RATE_LIMIT_IP_READS: '0' });
  const statistics = new DashboardSnapshots({ refreshMs: config.statisticsRefreshMs });
  const app = createApp({ config, logger: createLogger('silent'), statistics });
  const t1 = performance.now();
  await statistics.refresh();
  console.log(`refresh (compute + store): ${Math.round(performance.now() - t1)} ms`);
  const t2 = performance.now();
  const fresh = new DashboardSnapshots({ refreshMs: config.statisticsRefreshMs });
  await fresh.current();
  console.log(`a fresh process takes the stored snapshot: ${Math.round(performance.now() - t2)} ms`);
  const pages = 50;
  const t3 = performance.now();
  for (let i = 0; i < pages; i += 1) await request(app).get(i % 2 ? '/statistics?province=01' : '/statistics').expect(200);
  console.log(`page from memory: ${((performance.now() - t3) / pages).toFixed(1)} ms per request (supertest, sequential, ${pages} requests)`);
} finally {
  await disconnectDatabase();
  await db.drop();
}
