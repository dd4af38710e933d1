import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../support/app.js';
import { buildCertification, buildProducer, buildProduct, buildUser, decisionCsv, decisionRow, monthsAgo, newDecision, newProducerColumns, type DecisionHead, type DecisionRow } from '../support/kit.js';
import { importKey } from '../../src/office/decisions/decision-csv.js';
import { parseDecisionNumber } from '../../src/registry/certifications/certification-rules.js';
import { findProducerByRegistration } from '../../src/registry/producers/producer.service.js';
import { findProductByGtin } from '../../src/registry/products/product.service.js';
import { currentCertificationFor } from '../../src/registry/certifications/certification.reads.js';
import { commitDraft, findDecisionImport, previewDecision, resumeDecisionImport, type CommitHooks } from '../../src/office/decisions/decision-import.service.js';
import type { Principal } from '../../src/policy/principal.js';

/**
 * An import's records stay out of every public read until its commit is done
 * (src/registry/import-visibility.ts): a commit stopped part way shows nothing in the
 * registry's lists, and resuming it shows everything.
 */
describe('decision import: nothing of an unfinished import is public', () => {
  const app = buildTestApp();
  let actor: Principal;

  before(async () => {
    const user = await buildUser('admin');
    actor = { keyId: `user:${user.id}`, role: 'admin', producerId: null, userId: user.id };
  });

  /** Previews the rows and commits them, stopped by `hooks`; returns the import's id. */
  async function stoppedCommit(head: DecisionHead, rows: DecisionRow[], hooks: CommitHooks): Promise<string> {
    const preview = await previewDecision(actor, decisionCsv(rows), 'qd.csv');
    expect(preview.kind).to.equal('rows');
    const failed = await commitDraft(actor, (preview as { draftId: string }).draftId, { hooks }).then(() => null, (err: unknown) => err);
    expect(failed, 'the commit was stopped').to.be.instanceOf(Error);
    const importId = importKey({ number: parseDecisionNumber(head.decision_number)!.canonical, level: 'province', province: head.province });
    expect((await findDecisionImport(importId))?.state, 'the import reads as unfinished').to.equal('committing');
    return importId;
  }

  const publicList = async (path: string, query: Record<string, string>) =>
    ((await request(app).get(path).query(query).expect(200)).body.items as { id: string }[]).map((r) => r.id);

  for (const [when, hooks] of [
    ['after its producers and products are written, before any certification', { afterStep: (n: number) => { if (n === 4) throw new Error('stop'); } }],
    ['after every record is written, before they are published', { beforePublish: () => { throw new Error('stop'); } }],
  ] as const) {
    it(`when a commit stops ${when}, then the public lists show none of its records; resuming shows all`, async () => {
      const shared = newProducerColumns();
      // 2 producers, 3 products, 3 certifications: 8 steps.
      const head = newDecision();
      const rows = [decisionRow(head, shared), decisionRow(head, shared), decisionRow(head)];
      const importId = await stoppedCommit(head, rows, hooks);
      const producer = await findProducerByRegistration(shared.registration_number!);
      expect(producer, 'the producer was written').not.to.equal(null);
      expect(producer!.importing, 'written hidden').to.equal(importId);

      const seen = async () => ({
        producers: await publicList('/api/v1/producers', { q: shared.producer_name! }),
        products: await publicList('/api/v1/products', { producer: producer!._id }),
        certifications: await publicList('/api/v1/certifications', { producer: producer!._id }),
      });
      expect(await seen()).to.deep.equal({ producers: [], products: [], certifications: [] });
      // Read by id, a held-back record answers as an unknown one.
      const product = await findProductByGtin(rows[0]!.gtin!.padStart(14, '0'));
      expect(product, 'the product was written').not.to.equal(null);
      const byId = await request(app).get(`/api/v1/products/${product!._id}`).expect(404);
      expect(byId.body.error).to.include({ code: 'product/not_found', message: `No product with id ${product!._id}.` });
      await request(app).get(`/api/v1/producers/${producer!._id}`).expect(404);
      // The public pages too: the same 404 page as an id nobody holds, and nothing of the record.
      for (const [path, code] of [[`/products/${product!._id}`, 'product/not_found'], [`/producers/${producer!._id}`, 'producer/not_found']] as const) {
        const held = await request(app).get(path).expect(404);
        expect(held.text, path).to.contain(code).and.not.contain(shared.producer_name!).and.not.contain(rows[0]!.product_name!);
        const unknownId = path.replace(/[^/]+$/, 'zzzzzzzzzz');
        const unknown = await request(app).get(unknownId).expect(404);
        expect(held.text.replaceAll(path.split('/')[2]!, 'ID'), path).to.equal(unknown.text.replaceAll('zzzzzzzzzz', 'ID'));
      }
      // A product the office adds meanwhile to a producer still held back: its page shows the producer, so it waits too.
      const added = await buildProduct({ producerId: producer!._id });
      expect((await request(app).get(`/products/${added._id}`).expect(404)).text).to.contain('product/not_found');
      // The Digital Link resolver: the product's GTIN reads as no product of the registry.
      const digitalLink = `/01/${product!.gtin}`;
      const unresolved = await request(app).get(digitalLink).set('Accept', 'application/json').expect(404);
      expect(unresolved.body.error.code).to.equal('resolver/gtin_not_found');
      const search = await request(app).get('/api/v1/registry/search').query({ q: rows[0]!.product_name! }).expect(200);
      expect(JSON.stringify(search.body)).not.to.contain(rows[0]!.product_name!);

      const done = await resumeDecisionImport(actor, importId);
      expect(done.state).to.equal('done');
      const after = await seen();
      expect([after.producers, after.products.filter((id) => id !== added._id).length, after.certifications.length]).to.deep.equal([[producer!._id], 2, 2]);
      expect((await findProducerByRegistration(shared.registration_number!))!.importing ?? null).to.equal(null);
      await request(app).get(`/api/v1/products/${product!._id}`).expect(200);
      await request(app).get(`/api/v1/producers/${producer!._id}`).expect(200);
      expect((await request(app).get(`/products/${product!._id}`).expect(200)).text).to.contain(shared.producer_name!);
      await request(app).get(`/producers/${producer!._id}`).expect(200);
      await request(app).get(`/products/${added._id}`).expect(200);
      expect((await request(app).get(digitalLink).expect(307)).headers.location).to.contain(`/products/${product!._id}`);
    });
  }

  it("when an import re-rates a certified product and stops before publishing, then the product's earlier decision stays current; once published the new one is, and the earlier reads superseded", async () => {
    const producer = await buildProducer();
    const product = await buildProduct({ producerId: producer._id });
    const earlier = await buildCertification({ productId: product._id, stars: 3, decisionDate: monthsAgo(6) });
    const head = newDecision();
    const row = decisionRow(head, { producer_name: '', producer_kind: '', registration_number: '', commune: '', producer_id: producer._id, product_name: '', product_id: product._id, gtin: '' });
    const importId = await stoppedCommit(head, [row], { beforePublish: () => { throw new Error('stop'); } });
    expect((await currentCertificationFor(product._id))?._id).to.equal(earlier._id);
    const certs = async () => ((await request(app).get('/api/v1/certifications').query({ product: product._id }).expect(200)).body.items as { id: string; status: string }[]).map((c) => [c.id, c.status]);
    expect(await certs()).to.deep.equal([[earlier._id, 'active']]);

    await resumeDecisionImport(actor, importId);
    const current = await currentCertificationFor(product._id);
    expect(current?._id).not.to.equal(earlier._id);
    expect(current?.stars).to.equal(4);
    expect(await certs()).to.deep.equal([[current!._id, 'active'], [earlier._id, 'superseded']]);
    expect((await findDecisionImport(importId))?.state).to.equal('done');
  });
});
