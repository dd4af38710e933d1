import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { toVerifyingKey, verifyCanonical, type SigningKey } from '../../src/labels/signing/key-crypto.js';
import { buildLabelUrl, canonicalLabelString, type SignedLabel } from '../../src/labels/format/label-url.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { LabelRunModel } from '../../src/labels/runs/label-run.model.js';
import { testConfig, verificationApp } from '../support/app.js';
import { buildCertification, buildIssuedRun, daysAgo, issueLabel, registerKey, signLabel, strangerKey, type IssuedLabel } from '../support/kit.js';

describe('verification resolver: verdicts', () => {
  const { keyring, scans, app } = verificationApp();
  let key: SigningKey;
  let revokedKey: SigningKey;

  before(async () => {
    key = await registerKey('active');
    revokedKey = await registerKey('revoked');
    await keyring.refresh();
  });

  const verdictOf = async (path: string) => {
    const res = await request(app).get(path).set('Accept', 'application/json').expect(200);
    return res.body as { verdict: string; reason: string; warnings: Array<{ code: string }> };
  };

  it('when a genuine label is scanned, then the JSON verdict is genuine with product, producer, certificate and batch', async () => {
    const world = await buildIssuedRun({ gtin: true });
    const label = await issueLabel(world, key);
    const res = await request(app).get(label.path).set('Accept', 'application/json').expect(200);
    expect(res.body.verdict).to.equal('genuine');
    expect(res.body.warnings).to.deep.equal([]);
    expect(res.body.product.name.vi).to.equal(world.product.name?.vi);
    expect(res.body.producer.locality).to.be.a('string').and.not.empty;
    expect(res.body.certification).to.include({ stars: 4, mayUseOcopMark: true, decisionNumber: world.certification.decisionNumber, status: 'active' });
    expect(res.body.batch.lot).to.equal(world.batch.lotCode);
    expect(res.headers['cache-control']).to.equal('no-store');
  });

  it('when a label without a GTIN (/p/ path) is scanned, then it is genuine too', async () => {
    const world = await buildIssuedRun({ gtin: false });
    const label = await issueLabel(world, key);
    expect(label.path).to.match(/^\/p\//);
    expect((await verdictOf(label.path)).verdict).to.equal('genuine');
  });

  describe('when one field of a genuine label is altered, then it reads as forged', () => {
    let label: IssuedLabel;
    before(async () => {
      const world = await buildIssuedRun({ gtin: true });
      label = await issueLabel(world, key);
    });
    const swap = (path: string, from: string, to: string) => {
      expect(path).to.contain(from);
      return path.replace(from, to);
    };
    const alterations: Array<[string, (l: IssuedLabel) => string]> = [
      ['lot', (l) => swap(l.path, `/10/${l.fields.lot}/`, `/10/${l.fields.lot}X/`)],
      ['serial', (l) => swap(l.path, `/21/${l.serial}`, `/21/${l.serial.slice(0, -1)}${l.serial.endsWith('A') ? 'B' : 'A'}`)],
      ['stars (s)', (l) => swap(l.path, `s=${l.fields.stars}`, `s=${l.fields.stars + 1}`)],
      ['valid-until (v)', (l) => swap(l.path, `v=${l.fields.validUntil}`, `v=${Number(l.fields.validUntil.slice(0, 2)) + 1}${l.fields.validUntil.slice(2)}`)],
      ['key id (k)', (l) => swap(l.path, `k=${l.fields.kid}`, `k=${l.fields.kid.slice(0, -1)}${l.fields.kid.endsWith('Q') ? 'R' : 'Q'}`)],
      ['one signature character', (l) => swap(l.path, `sig=${l.sig}`, `sig=${l.sig.slice(0, 20)}${l.sig[20] === 'A' ? 'B' : 'A'}${l.sig.slice(21)}`)],
    ];
    for (const [field, alter] of alterations) {
      it(`${field}`, async () => {
        const before = await verdictOf(label.path);
        expect(before.verdict).to.equal('genuine');
        const after = await verdictOf(alter(label));
        expect(after.verdict).to.equal('forged');
        expect(after.warnings).to.deep.equal([]);
      });
    }
  });

  it('when a well-formed label is signed by a key that is not ours, then it is forged (unknown key)', async () => {
    const world = await buildIssuedRun();
    const label = signLabel(world, strangerKey());
    const body = await verdictOf(label.path);
    expect(body).to.include({ verdict: 'forged', reason: 'unknown_key' });
  });

  it('when a label is validly signed by our key but was never issued, then it is unknown', async () => {
    const world = await buildIssuedRun();
    const label = signLabel(world, key);
    expect(await verdictOf(label.path)).to.include({ verdict: 'unknown', reason: 'no_such_label' });
  });

  it('when a GTIN label is presented under its /p/{productId} spelling with the printed signature, then it is forged online, as the offline check finds', async () => {
    const world = await buildIssuedRun({ gtin: true });
    const label = await issueLabel(world, key);
    const respelled: SignedLabel = { ...label.fields, product: { kind: 'product', productId: world.product._id }, sig: label.sig };
    // What docs/label-format.md §4 has an offline verifier do: verify the presented canonical string.
    expect(verifyCanonical(toVerifyingKey(key.publicJwk), canonicalLabelString(respelled), respelled.sig)).to.equal(false);
    expect(await verdictOf(buildLabelUrl('', respelled))).to.include({ verdict: 'forged' });
    expect(await verdictOf(label.path)).to.include({ verdict: 'genuine' });
  });

  it('when a label belongs to a run that is still pending, then it is unknown', async () => {
    const world = await buildIssuedRun({ runState: 'pending' });
    const label = await issueLabel(world, key);
    expect(await verdictOf(label.path)).to.include({ verdict: 'unknown', reason: 'run_not_issued' });
  });

  it('when a run that was pending at the first scan completes, then its label reads genuine at the next scan, not a cache period later', async () => {
    const world = await buildIssuedRun({ runState: 'pending' });
    const label = await issueLabel(world, key);
    expect(await verdictOf(label.path)).to.include({ verdict: 'unknown', reason: 'run_not_issued' });
    // What the run service does last when it has written every label.
    await LabelRunModel.updateOne({ _id: world.run._id }, { $set: { state: 'issued', issuedAt: new Date() } });
    expect(await verdictOf(label.path)).to.include({ verdict: 'genuine' });
  });

  it('when a label was revoked or voided, then it reads as revoked', async () => {
    const world = await buildIssuedRun();
    const revoked = await issueLabel(world, key, { status: 'revoked' });
    const voided = await issueLabel(world, key, { status: 'void' });
    expect(await verdictOf(revoked.path)).to.include({ verdict: 'revoked', reason: 'label_revoked' });
    expect(await verdictOf(voided.path)).to.include({ verdict: 'revoked', reason: 'label_revoked' });
  });

  it('when the whole run was revoked, then its labels read as revoked', async () => {
    const world = await buildIssuedRun({ runState: 'revoked' });
    const label = await issueLabel(world, key);
    expect(await verdictOf(label.path)).to.include({ verdict: 'revoked', reason: 'run_revoked' });
  });

  it('when the certification is past its valid-until date, then the label reads as expired', async () => {
    const world = await buildIssuedRun({ certification: 'expired' });
    const label = await issueLabel(world, key);
    const body = await verdictOf(label.path);
    expect(body).to.include({ verdict: 'expired', reason: 'certification_expired' });
  });

  it('when the certification was revoked, then the label reads as revoked', async () => {
    const world = await buildIssuedRun({ certification: 'revoked' });
    const label = await issueLabel(world, key);
    expect(await verdictOf(label.path)).to.include({ verdict: 'revoked', reason: 'certification_revoked' });
  });

  it('when the signing key was revoked, then its labels read as revoked', async () => {
    const world = await buildIssuedRun();
    const label = await issueLabel(world, revokedKey);
    expect(await verdictOf(label.path)).to.include({ verdict: 'revoked', reason: 'key_revoked' });
  });

  it('when the batch is past its expiry date, then a genuine label carries a batch-expired warning', async () => {
    const world = await buildIssuedRun({ batch: { expiryDate: daysAgo(1) } });
    const label = await issueLabel(world, key);
    const body = await verdictOf(label.path);
    expect(body.verdict).to.equal('genuine');
    expect(body.warnings.map((w) => w.code)).to.deep.equal(['batch_expired']);
  });

  it('when the product was re-rated down after printing, then the label warns of higher printed stars and a superseded certificate', async () => {
    const world = await buildIssuedRun({ stars: 4 });
    const label = await issueLabel(world, key);
    // Re-rated 3★ yesterday: the new decision supersedes the one the label was printed under.
    await buildCertification({ productId: world.product._id, stars: 3, decisionDate: daysAgo(1) });
    const res = await request(app).get(label.path).set('Accept', 'application/json').expect(200);
    expect(res.body.verdict).to.equal('genuine');
    expect(res.body.warnings.map((w: { code: string }) => w.code)).to.have.members(['stars_above_certified', 'certification_superseded']);
    expect(res.body.certification.stars).to.equal(3);
  });

  it('when the label is revoked after a scan, then the change shows once the cache period is over', async () => {
    const fresh = createApp({ config: testConfig({ CACHE_TTL_MS: '0' }), logger: createLogger('silent'), keyring, scans });
    const world = await buildIssuedRun();
    const label = await issueLabel(world, key);
    const first = await request(fresh).get(label.path).set('Accept', 'application/json').expect(200);
    expect(first.body.verdict).to.equal('genuine');
    await LabelModel.updateOne({ _id: label.serial }, { $set: { status: 'revoked' } });
    const second = await request(fresh).get(label.path).set('Accept', 'application/json').expect(200);
    expect(second.body.verdict).to.equal('revoked');
  });
});
