import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { parseInput } from '../../src/errors/validate.js';
import { systemPrincipal } from '../../src/policy/principal.js';
import { CertificationModel } from '../../src/registry/certifications/certification.model.js';
import { CertificationSlotModel } from '../../src/registry/certifications/certification-slot.model.js';
import { certificationCreateSchema } from '../../src/registry/certifications/certification.schema.js';
import { backfillCertificationSlots, createCertification } from '../../src/registry/certifications/certification.service.js';
import { certificationsOfProduct, currentCertificationFor } from '../../src/registry/certifications/certification.reads.js';
import { validUntilFor } from '../../src/registry/certifications/certification-status.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { RunKeyModel, runKeyId } from '../../src/labels/runs/run-key.model.js';
import { LabelRunPageModel, RunVoidModel } from '../../src/labels/runs/label-run-page.model.js';
import { StatusChangeModel } from '../../src/labels/runs/status-change.model.js';
import { backfillRunKeys } from '../../src/labels/runs/issue-run.service.js';
import { backfillRunPages, revocationDuringIssue } from '../../src/labels/runs/labels.service.js';
import { OpenCaptureModel } from '../../src/events/capture/capture.model.js';
import { backfillOpenCaptures, unfinishedCaptureIds } from '../../src/events/capture/capture.service.js';
import { UpgradeModel } from '../../src/upgrades/upgrade.model.js';
import { runUpgrades } from '../../src/upgrades/upgrades.service.js';
import { ProductModel } from '../../src/registry/products/product.model.js';
import { ProductGtinModel } from '../../src/registry/products/product-gtin.model.js';
import { productCreateSchema, productPatchSchema } from '../../src/registry/products/product.schema.js';
import { backfillProductGtins, createProduct, findProductByGtin, updateProduct } from '../../src/registry/products/product.service.js';
import { BatchModel } from '../../src/batches/batch.model.js';
import { BatchLotModel, batchLotKey } from '../../src/batches/batch-lot.model.js';
import { backfillBatchLots, findBatchByLot } from '../../src/batches/batch.service.js';
import { apiKeyFor, bearer, buildTestApp } from '../support/app.js';
import {
  buildBatch,
  buildEventBatch,
  buildLabelledBatch,
  buildProducer,
  buildProduct,
  buildStalledCapture,
  monthsAgo,
  scoreFor,
  storeRun,
  uniqueDecisionNumber,
  uniqueGtin13,
  uniqueLot,
} from '../support/kit.js';

/**
 * The lookups by `_id` that stand in for queries on fields (docs/operations.md, "Queries
 * and their indexes"): their lists and key documents stay complete under concurrent
 * writes, and data stored before they existed is found once the start-up upgrades ran.
 */
describe('lookups by _id: lists and key documents', function () {
  this.timeout(120_000);
  const app = buildTestApp();

  const decision = (stars: number, monthsBack: number) =>
    parseInput(certificationCreateSchema, { stars, score: scoreFor(stars), decisionNumber: uniqueDecisionNumber(), decisionDate: monthsAgo(monthsBack) });

  it('when ten decisions for one product are recorded at once, then its list holds each one once and the latest is current', async () => {
    const product = await buildProduct();
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => createCertification(product._id, decision(4, 20 - i), systemPrincipal)));
    const listed = await certificationsOfProduct(product._id);
    expect(listed.map((c) => c._id).sort()).to.deep.equal(made.map((c) => c._id).sort());
    expect(await CertificationSlotModel.countDocuments({ value: { $in: made.map((c) => c._id) } })).to.equal(10);
    expect((await currentCertificationFor(product._id))?._id).to.equal(made[9]!._id);
  });

  it('when a certification was stored before the lists existed, then the product has none in force until the upgrade lists it', async () => {
    const product = await buildProduct();
    const decisionDate = new Date(Date.now() - 30 * 86_400_000);
    const legacy = await CertificationModel.create({
      productId: product._id,
      producerId: product.producerId,
      stars: 3,
      score: 60,
      decisionNumber: uniqueDecisionNumber(),
      authority: { level: 'province', name: 'UBND tỉnh' },
      decisionDate,
      validUntil: validUntilFor(decisionDate),
    });
    expect(await currentCertificationFor(product._id)).to.equal(null);
    expect(await backfillCertificationSlots()).to.be.at.least(1);
    expect((await currentCertificationFor(product._id))?._id).to.equal(legacy._id);
    expect(await backfillCertificationSlots()).to.equal(0);
  });

  it('when a run was stored before key documents existed, then a retry with its Idempotency-Key gets that run, and the upgrade writes the missing keys', async () => {
    const fixture = await buildLabelledBatch();
    const key = await apiKeyFor('producer', fixture.producer._id);
    const idempotencyKey = randomUUID();
    const old = await storeRun(fixture, { state: 'issued', count: 2, idempotencyKey });
    const res = await request(app).post(`/api/v1/batches/${fixture.batch._id}/label-runs`).set(bearer(key)).set('Idempotency-Key', idempotencyKey).send({ count: 2 }).expect(200);
    expect(res.body.id).to.equal(old._id);
    expect(await RunKeyModel.findById(runKeyId(old.producerId, idempotencyKey)).lean()).to.deep.include({ runId: old._id });

    const another = await storeRun(fixture, { state: 'issued', count: 1 });
    expect(await backfillRunKeys()).to.be.at.least(1);
    expect(await RunKeyModel.findById(runKeyId(another.producerId, another.idempotencyKey)).lean()).to.deep.include({ runId: another._id });
  });

  it('when a run is revoked while it is being issued and the issuer then marks it issued, then the revocation is put back', async () => {
    const fixture = await buildLabelledBatch();
    const run = await storeRun(fixture, { state: 'pending', count: 1 });
    // The revocation's claim is in; the issuer's write replaced the revoked state.
    await StatusChangeModel.create({ _id: `label_run.revoke:${run._id}`, at: new Date(), by: 'test', reason: 'roll stolen' });
    await LabelRunModel.updateOne({ _id: run._id }, { $set: { state: 'issued', issuedAt: new Date() } });
    const after = await revocationDuringIssue(run._id);
    expect(after).to.deep.include({ state: 'revoked', revokedReason: 'roll stolen' });
    expect((await LabelRunModel.findById(run._id).lean())?.state).to.equal('revoked');
  });

  it('when a label is voided, then the run’s CSV leaves it out; when the run’s print pages are missing, then the CSV is the same and the pages come back', async () => {
    const { producer, batch } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const run = await request(app).post(`/api/v1/batches/${batch._id}/label-runs`).set(bearer(key)).set('Idempotency-Key', randomUUID()).send({ count: 3 }).expect(201);
    const labels = await LabelModel.find({ runId: run.body.id }).sort({ seq: 1 }).lean();
    await request(app).post(`/api/v1/labels/${labels[1]!._id}/void`).set(bearer(key)).send({ reason: 'torn' }).expect(200);
    const csv = async () => (await request(app).get(`/api/v1/label-runs/${run.body.id}/labels.csv`).set(bearer(key)).expect(200)).text;
    const serialsOf = (text: string) => text.trim().split('\r\n').slice(1).map((line) => line.split(',')[1]);
    const printed = await csv();
    expect(serialsOf(printed)).to.deep.equal([labels[0]!._id, labels[2]!._id]);

    // As a run issued before print pages and void lists existed.
    await LabelRunPageModel.deleteMany({ _id: { $regex: `^${run.body.id}:` } });
    await RunVoidModel.deleteMany({ _id: { $regex: `^${run.body.id}:` } });
    expect(await csv()).to.equal(printed);
    expect(await LabelRunPageModel.countDocuments({ _id: { $regex: `^${run.body.id}:` } })).to.equal(1);
    expect(await csv()).to.equal(printed);
  });

  it('when a run was issued before print pages existed, then the upgrade writes them, leaving out the labels it finds void', async () => {
    const { producer, batch } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const run = await request(app).post(`/api/v1/batches/${batch._id}/label-runs`).set(bearer(key)).set('Idempotency-Key', randomUUID()).send({ count: 4 }).expect(201);
    const labels = await LabelModel.find({ runId: run.body.id }).sort({ seq: 1 }).lean();
    // As an older version left it: no pages, no void list, a label voided on the label alone.
    await LabelRunPageModel.deleteMany({ _id: { $regex: `^${run.body.id}:` } });
    await LabelModel.updateOne({ _id: labels[2]!._id }, { $set: { status: 'void' } });
    expect(await backfillRunPages()).to.be.at.least(1);
    expect(await LabelRunPageModel.countDocuments({ _id: { $regex: `^${run.body.id}:` } })).to.equal(1);
    const csv = (await request(app).get(`/api/v1/label-runs/${run.body.id}/labels.csv`).set(bearer(key)).expect(200)).text;
    expect(csv.trim().split('\r\n').slice(1).map((line) => line.split(',')[1])).to.deep.equal([labels[0]!._id, labels[1]!._id, labels[3]!._id]);
  });

  it('when a run lacks a label at one of its positions, then no print page is written for it and the upgrade does not fail', async () => {
    const { producer, batch } = await buildLabelledBatch();
    const key = await apiKeyFor('producer', producer._id);
    const run = await request(app).post(`/api/v1/batches/${batch._id}/label-runs`).set(bearer(key)).set('Idempotency-Key', randomUUID()).send({ count: 3 }).expect(201);
    // As a damaged database might hold it: three labels, none at position 2.
    await LabelRunPageModel.deleteMany({ _id: { $regex: `^${run.body.id}:` } });
    await LabelModel.updateOne({ runId: run.body.id, seq: 2 }, { $set: { seq: 4 } });
    await backfillRunPages();
    expect(await LabelRunPageModel.countDocuments({ _id: { $regex: `^${run.body.id}:` } })).to.equal(0);
  });

  it('when a run spans several print pages, then its CSV lists every label once, in order', async () => {
    const { producer, batch } = await buildLabelledBatch({ batch: { quantity: 2_001 } });
    const key = await apiKeyFor('producer', producer._id);
    const run = await request(app).post(`/api/v1/batches/${batch._id}/label-runs`).set(bearer(key)).set('Idempotency-Key', randomUUID()).send({ count: 2_001 }).expect(201);
    expect(await LabelRunPageModel.countDocuments({ _id: { $regex: `^${run.body.id}:` } })).to.equal(2); // written by the run itself
    const csv = (await request(app).get(`/api/v1/label-runs/${run.body.id}/labels.csv`).set(bearer(key)).expect(200)).text;
    const seqs = csv.trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[0]));
    expect(seqs).to.deep.equal(Array.from({ length: 2_001 }, (_, i) => i + 1));
  });

  it('when a capture was left pending before open marks existed, then the upgrade marks it, so readers keep hiding its events', async () => {
    const w = await buildEventBatch();
    const { captureId } = await buildStalledCapture(w, { events: 2, written: 1 });
    await OpenCaptureModel.deleteOne({ _id: captureId }); // as an older version left it
    expect(await unfinishedCaptureIds()).not.to.include(captureId);
    expect(await backfillOpenCaptures()).to.be.at.least(1);
    expect(await unfinishedCaptureIds()).to.include(captureId);
  });

  it('when twenty products with one GTIN are created at once, then one is made, the others get 409 naming it, and the GTIN finds it', async () => {
    const producer = await buildProducer();
    const gtin = uniqueGtin13();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => createProduct(parseInput(productCreateSchema, { producerId: producer._id, name: { vi: 'Trà thử' }, group: 'food', gtin }), systemPrincipal)),
    );
    const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(made).to.have.length(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).to.deep.include({ code: 'product/duplicate_gtin', details: { existingProductId: made[0]!._id } });
    expect((await findProductByGtin(`0${gtin}`))?._id).to.equal(made[0]!._id);
  });

  it("when a product's GTIN changes, then the new GTIN finds it, the old one finds nothing and another product may take it", async () => {
    const product = await buildProduct({ gtin: true });
    const old = product.gtin!;
    const next = uniqueGtin13();
    await updateProduct(product._id, parseInput(productPatchSchema, { gtin: next }), systemPrincipal);
    expect((await findProductByGtin(`0${next}`))?._id).to.equal(product._id);
    expect(await findProductByGtin(old)).to.equal(null);
    const other = await buildProduct({ gtin: old.slice(1) });
    expect((await findProductByGtin(old))?._id).to.equal(other._id);
  });

  it('when a claim outlived its record (a product or batch never made), then the GTIN or lot can be used again', async () => {
    const gtin = `0${uniqueGtin13()}`;
    await ProductGtinModel.create({ _id: gtin, value: 'nosuchprod' });
    expect(await findProductByGtin(gtin)).to.equal(null);
    const product = await buildProduct({ gtin: gtin.slice(1) });
    expect((await findProductByGtin(gtin))?._id).to.equal(product._id);

    const lot = uniqueLot();
    await BatchLotModel.create({ _id: batchLotKey(product._id, lot), value: 'nosuchbtch' });
    const batch = await buildBatch(product, { lotCode: lot });
    expect((await findBatchByLot(product._id, lot))?._id).to.equal(batch._id);
  });

  it('when products and batches were stored before GTIN and lot claims existed, then the upgrades claim them and lookups find them', async () => {
    const producer = await buildProducer();
    const gtin = `0${uniqueGtin13()}`;
    const legacy = await ProductModel.create({ producerId: producer._id, name: { vi: 'Nước mắm cũ' }, group: 'food', groupListVersion: '2023', gtin });
    const batch = await BatchModel.create({ productId: legacy._id, producerId: producer._id, lotCode: 'OLD-1', productionDate: new Date(), quantity: 1, unit: 'chai', origin: { provinceCode: '01', communeCode: '00004' } });
    expect(await findProductByGtin(gtin)).to.equal(null);
    expect(await findBatchByLot(legacy._id, 'OLD-1')).to.equal(null);
    expect(await backfillProductGtins()).to.be.at.least(1);
    expect(await backfillBatchLots()).to.be.at.least(1);
    expect((await findProductByGtin(gtin))?._id).to.equal(legacy._id);
    expect((await findBatchByLot(legacy._id, 'OLD-1'))?._id).to.equal(batch._id);
    // A new product with that GTIN is refused, naming the product that carries it.
    const again = await request(app).post('/api/v1/products').set(bearer(await apiKeyFor('admin'))).send({ producerId: producer._id, name: { vi: 'Bản sao' }, group: 'food', gtin: gtin.slice(1) }).expect(409);
    expect(again.body.error.details).to.deep.equal({ existingProductId: legacy._id });
  });

  it('when a run was stored before batch lists existed, then the batch lists it once the upgrade ran', async () => {
    const fixture = await buildLabelledBatch();
    const key = await apiKeyFor('producer', fixture.producer._id);
    const listed = async () => (await request(app).get(`/api/v1/batches/${fixture.batch._id}/label-runs`).set(bearer(key)).expect(200)).body.items.map((r: { id: string }) => r.id);
    const legacy = await LabelRunModel.create({ _id: 'legacyrun1', batchId: fixture.batch._id, productId: fixture.product._id, producerId: fixture.product.producerId, certificationId: fixture.certification!._id, count: 1, requestedBy: 'test', idempotencyKey: randomUUID(), state: 'issued', issuedAt: new Date() });
    expect(await listed()).not.to.include(legacy._id);
    await backfillRunKeys();
    expect(await listed()).to.deep.equal([legacy._id]);
  });

  it('when the start-up upgrades have run, then running them again does nothing', async () => {
    await UpgradeModel.deleteMany({});
    await runUpgrades();
    expect(await UpgradeModel.countDocuments()).to.be.at.least(4);
    expect(await runUpgrades()).to.deep.equal([]);
  });
});
