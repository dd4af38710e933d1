import { expect } from 'chai';
import request from 'supertest';
import { bearer, buildTestApp } from '../support/app.js';
import { buildLabelledBatch, buildIssuedRun, issueRunThroughApi, registerKey, signLabel } from '../support/kit.js';
import { applyDelta, decideLabel, verifyRevocationList } from '../../public/revocation-check.js';
import type { RevocationList } from '../../src/verify/revocations/revocation-list.js';

const LIST = '/.well-known/ocop-revocations.json';

/**
 * The signed revocation list as an inspector's phone fetches it: revoking a run and
 * voiding a label show in it, it verifies against the published JWKS, a delta since
 * an old list brings that list up to date, and labels read as the online page reads
 * them. CACHE_TTL_MS=0: every request rebuilds the list, so what a test just did shows.
 */
describe('revocation list route', function () {
  this.timeout(60_000);
  const app = buildTestApp({ CACHE_TTL_MS: '0' });
  let revoked: Awaited<ReturnType<typeof issueRunThroughApi>>;
  let kept: Awaited<ReturnType<typeof issueRunThroughApi>>;
  let revokedUrls: string[];
  let keptUrls: string[];

  const urlsOf = async (run: typeof revoked) => {
    const csv = await request(app).get(`/api/v1/label-runs/${run.runId}/labels.csv`).set(bearer(run.key)).expect(200);
    return csv.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[2]!);
  };
  const fetchList = async (query = '') => (await request(app).get(`${LIST}${query}`).expect(200)).body as RevocationList;
  const jwks = async () => (await request(app).get('/.well-known/jwks.json').expect(200)).body as { keys: [] };

  before(async () => {
    revoked = await issueRunThroughApi(app, 4, { gtin: true });
    kept = await issueRunThroughApi(app, 3);
    [revokedUrls, keptUrls] = [await urlsOf(revoked), await urlsOf(kept)];
    await request(app).post(`/api/v1/label-runs/${revoked.runId}/revoke`).set(bearer(revoked.key)).send({ reason: 'stolen roll' }).expect(200);
  });

  it('when a run is revoked, then the list names it by product, lot and serials, it verifies with the JWKS, and its labels read revoked offline while others read genuine', async () => {
    const res = await request(app).get(LIST).expect(200);
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    expect(res.headers['cache-control']).to.equal('public, max-age=60');
    expect(res.type).to.equal('application/json');
    const list = res.body as RevocationList;
    expect(list.kind).to.equal('full');
    expect(await verifyRevocationList(list, await jwks())).to.equal(true);
    const run = list.runs.find((r) => r.id === revoked.runId);
    expect(run).to.include({ product: `01/${revoked.product.gtin}`, lot: revoked.batch.lotCode, count: 4 });
    for (const url of revokedUrls) expect((await decideLabel(url, { jwks: await jwks(), list })).verdict, url).to.equal('revoked');
    for (const url of keptUrls) expect((await decideLabel(url, { jwks: await jwks(), list })).verdict, url).to.equal('genuine');
    // The same answer under the API.
    const api = (await request(app).get('/api/v1/revocations').expect(200)).body as RevocationList;
    expect(api.runs.find((r) => r.id === revoked.runId)).to.deep.equal(run);
  });

  it('when a label is voided after a list was fetched, then the delta since that list names it, and applied to the old list gives the full list of now', async () => {
    const old = await fetchList();
    const serial = new URL(keptUrls[0]!).pathname.split('/').at(-1)!;
    await request(app).post(`/api/v1/labels/${serial}/void`).set(bearer(kept.key)).send({ reason: 'spoiled' }).expect(200);
    const delta = await fetchList(`?since=${encodeURIComponent(old.asOf)}`);
    expect(delta.kind).to.equal('delta');
    expect(delta.since).to.equal(old.asOf);
    expect(await verifyRevocationList(delta, await jwks())).to.equal(true);
    expect(delta.voided.map((v) => v.serial)).to.include(serial);
    const now = await fetchList();
    const merged = applyDelta(old, delta);
    // Other tests of the run may revoke things meanwhile: compare what both lists know of this test's records.
    const ours = (l: RevocationList) => ({ runs: l.runs.filter((r) => r.id === revoked.runId), voided: l.voided.filter((v) => v.serial === serial) });
    expect(ours(merged)).to.deep.equal(ours(now));
    expect((await decideLabel(keptUrls[0]!, { jwks: await jwks(), list: merged })).reason).to.equal('label_voided');
    expect((await decideLabel(keptUrls[1]!, { jwks: await jwks(), list: merged })).verdict).to.equal('genuine');
  });

  it('when a certification is revoked, or expires, then the list names it by product and the valid-until its labels print', async () => {
    const fixture = await buildLabelledBatch({ certification: 'revoked' });
    const list = await fetchList();
    const entry = list.certifications.find((c) => c.id === fixture.certification!._id);
    expect(entry).to.include({ status: 'revoked', product: `p/${fixture.product._id}` });
    const expired = await buildLabelledBatch({ certification: 'expired', gtin: true });
    const listed = (await fetchList()).certifications.find((c) => c.id === expired.certification!._id);
    expect(listed).to.include({ status: 'expired', product: `01/${expired.product.gtin}` });
    expect(listed!.validUntil).to.match(/^\d{6}$/);
  });

  it('when a signing key is revoked, then the list names it, and a label it signed reads revoked offline though the JWKS no longer holds the key', async () => {
    const key = await registerKey('revoked');
    const list = await fetchList();
    expect(list.keys.map((k) => k.kid)).to.include(key.kid);
    const keys = await jwks();
    expect(keys.keys.map((k: { kid: string }) => k.kid)).not.to.include(key.kid);
    const label = signLabel(await buildIssuedRun(), key);
    expect(await decideLabel(label.url, { jwks: keys, list })).to.include({ verdict: 'revoked', reason: 'key_revoked' });
  });

  it('when `since` is older than the delta horizon, then the full list is the answer; when it is not a time, then 400', async () => {
    expect((await fetchList('?since=2000-01-01T00:00:00Z')).kind).to.equal('full');
    expect((await fetchList(`?since=${Date.now() - 40 * 86_400_000}`)).kind).to.equal('full');
    expect((await fetchList(`?since=${Date.now() - 60_000}`)).kind).to.equal('delta');
    await request(app).get(`${LIST}?since=yesterday`).expect(400);
    const bad = await request(app).get('/api/v1/revocations?since=yesterday').expect(400);
    expect(bad.body.error.code).to.equal('request/invalid');
  });
});
