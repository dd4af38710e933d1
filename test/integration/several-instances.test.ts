import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { testDatabaseUri } from '../hooks.js';
import { apiKeyFor, bearer } from '../support/app.js';
import { buildEventBatch, epcisDoc, issueRunThroughApi, objectEvent } from '../support/kit.js';
import { buildService, freePort, startServiceOn, type Service } from '../support/service.js';
import { generateSigningJwk } from '../../src/labels/signing/key-crypto.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';
import { EventModel } from '../../src/events/chain/event.model.js';

/**
 * Two processes of the compiled service on one database are one service
 * (docs/operations.md, "Several instances"). The bounds are polled for with deadlines
 * well above them; the times measured are reported, never asserted.
 */
describe('several instances of the service on one database', function () {
  this.timeout(120_000);
  let a: Service;
  let b: Service;
  let metricsPort: number;
  const jwk = JSON.stringify(generateSigningJwk());
  const base = (s: Service) => `http://127.0.0.1:${s.port}`;

  before(async () => {
    buildService();
    metricsPort = await freePort();
    const env = { SIGNING_KEY_JWK: jwk, RATE_LIMIT_PAGE: '0', RATE_LIMIT_STORE: 'database', RATE_LIMIT_KEY_READS: '30' };
    [a, b] = await Promise.all([
      startServiceOn(testDatabaseUri(), { ...env, METRICS_PORT: String(metricsPort) }),
      startServiceOn(testDatabaseUri(), env),
    ]);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  /** The label URLs of a run, from its CSV export. */
  async function labelPaths(s: Service, key: string, runId: string): Promise<string[]> {
    const csv = await request(base(s)).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(key)).expect(200);
    return csv.text
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => {
        const url = new URL(line.split(',')[2]!);
        return `${url.pathname}${url.search}`;
      });
  }

  const verdictOn = async (s: Service, path: string) => (await request(base(s)).get(path).set('Accept', 'application/json').expect(200)).body;

  /** Asks until `done` holds; rejects after `withinMs`. Returns how long it took. */
  async function pollUntil(withinMs: number, done: () => Promise<boolean>): Promise<number> {
    const start = Date.now();
    while (!(await done())) {
      if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Date.now() - start;
  }

  it('when a run is revoked through one instance, then the other reads its labels revoked within the change-poll bound', async () => {
    const { key, runId } = await issueRunThroughApi(base(a), 2);
    const [path] = await labelPaths(a, key, runId);
    // Both instances have the run in their caches as genuine.
    expect((await verdictOn(a, path!)).verdict).to.equal('genuine');
    expect((await verdictOn(b, path!)).verdict).to.equal('genuine');

    const admin = await apiKeyFor('admin');
    await request(base(a)).post(`/api/v1/label-runs/${runId}/revoke`).set(bearer(admin)).send({ reason: 'roll stolen' }).expect(200);
    // The instance that revoked it shows it at once.
    expect((await verdictOn(a, path!)).verdict).to.equal('revoked');
    const took = await pollUntil(20_000, async () => (await verdictOn(b, path!)).verdict === 'revoked');
    console.warn(`      (the other instance read the run revoked ${took} ms after the revocation answered; CACHE_TTL_MS is 30 s)`);
  });

  it('when one label is scanned through both instances, then each shows the combined count', async () => {
    const { key, runId } = await issueRunThroughApi(base(a), 1);
    const [path] = await labelPaths(a, key, runId);
    for (let i = 0; i < 3; i += 1) await verdictOn(a, path!);
    for (let i = 0; i < 2; i += 1) await verdictOn(b, path!);
    // Every scan counts itself: an instance shows every scan made so far once it has the other's.
    let made = 5;
    const countOn = async (s: Service) => {
      made += 1;
      return (await verdictOn(s, path!)).scans.count as number;
    };
    const took = await pollUntil(20_000, async () => (await countOn(b)) === made);
    await pollUntil(20_000, async () => (await countOn(a)) === made);
    console.warn(`      (scans from the other instance were counted within ${took} ms)`);
  });

  it('when a label is scanned in two places through each instance, then the other instance weighs all four and suspects a clone', async () => {
    const { key, runId } = await issueRunThroughApi(base(a), 1);
    const [path] = await labelPaths(a, key, runId);
    // Four phones on four networks in four communes: two through each instance (three places are allowed).
    const scanFrom = async (s: Service, i: number) =>
      (
        await request(base(s))
          .get(`${path!}&place=${['00004', '00008', '00025', '00070'][i]}`)
          .set('Accept', 'application/json')
          .set('X-Forwarded-For', `203.0.113.${10 + i}`)
          .set('User-Agent', `phone-${i}`)
          .expect(200)
      ).body as { warnings: Array<{ code: string }> };
    const suspected = (body: { warnings: Array<{ code: string }> }) => body.warnings.some((w) => w.code === 'clone_suspected');
    expect(suspected(await scanFrom(a, 0))).to.equal(false);
    expect(suspected(await scanFrom(a, 1))).to.equal(false);
    expect(suspected(await scanFrom(b, 2))).to.equal(false);
    // B may have read the label before A's scans were written: then it suspects once their announcement arrives.
    const took = await pollUntil(20_000, async () => suspected(await scanFrom(b, 3)));
    console.warn(`      (the other instance's places were weighed within ${took} ms)`);
  });

  it('when events of a batch are captured through one instance, then the other instance’s verification page shows them in the timeline within the change-poll bound', async () => {
    const { key, runId, product, batch, producer } = await issueRunThroughApi(base(a), 1);
    const [path] = await labelPaths(a, key, runId);
    const steps = async (s: Service) => ((await request(base(s)).get(path!).set('Accept', 'text/html').expect(200)).text.match(/<li class="timeline-step/g) ?? []).length;
    // Both pages have the batch's timeline in their caches, with no step yet.
    expect(await steps(a)).to.equal(0);
    expect(await steps(b)).to.equal(0);
    const w = { producerId: producer._id, productId: product._id, gtin: product.gtin ?? null, batchId: batch._id, lot: batch.lotCode, expiry: batch.expiryDate! };
    await request(base(a)).post('/api/v1/epcis/capture').set(bearer(await apiKeyFor('admin'))).send(epcisDoc([objectEvent(w)])).expect(201);
    expect(await steps(a), 'the instance that captured them shows them at once').to.equal(1);
    // CACHE_TTL_MS (30 s) is the bound without the change feed: the deadline is below it.
    const took = await pollUntil(20_000, async () => (await steps(b)) === 1);
    console.warn(`      (the other instance showed the new event ${took} ms after the capture answered)`);
  });

  it('when the same Idempotency-Key is sent to both instances at once, then one run is made and both answer it', async () => {
    const { key, batch } = await issueRunThroughApi(base(a), 1);
    const idempotencyKey = randomUUID();
    const send = (s: Service) =>
      request(base(s)).post(`/api/v1/batches/${batch._id}/label-runs`).set(bearer(key)).set('Idempotency-Key', idempotencyKey).send({ count: 3 });
    const [fromA, fromB] = await Promise.all([send(a), send(b)]);
    expect([fromA.status, fromB.status].every((s) => s === 200 || s === 201)).to.equal(true);
    expect(fromA.body.id).to.equal(fromB.body.id);
    const runs = await request(base(b)).get(`/api/v1/batches/${batch._id}/label-runs`).set(bearer(key)).expect(200);
    expect((runs.body.items as Array<{ count: number }>).filter((r) => r.count === 3)).to.have.length(1);
  });

  it('when events of one batch are captured through both instances at once, then one chain without gaps holds them all', async () => {
    const w = await buildEventBatch();
    const admin = await apiKeyFor('admin');
    const capture = (s: Service, i: number) =>
      request(base(s)).post('/api/v1/epcis/capture').set(bearer(admin)).send(epcisDoc([objectEvent(w, { eventTime: `2025-06-0${(i % 9) + 1}T09:00:00+07:00` }), objectEvent(w)]));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => capture(i % 2 ? a : b, i)));
    expect(results.map((r) => r.status)).to.deep.equal(Array(8).fill(201));
    const seqs = (await EventModel.find({ batchId: w.batchId }, { seq: 1 }).sort({ seq: 1 }).lean()).map((e) => e.seq);
    expect(seqs).to.deep.equal(Array.from({ length: 16 }, (_, i) => i));
    const check = await request(base(b)).get(`/api/v1/batches/${w.batchId}/events/verify`).set(bearer(admin)).expect(200);
    expect(check.body).to.include({ ok: true, count: 16 });
  });

  it('when one key reads through both instances, then its rate limit counts both', async () => {
    const key = await apiKeyFor('admin');
    const statuses: number[] = [];
    for (let i = 0; i < 34; i += 1) statuses.push((await request(base(i % 2 ? a : b)).get('/api/v1/products?limit=1').set(bearer(key))).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).to.equal(true);
    expect(statuses.slice(30)).to.include(429);
  });

  it('when actions happen, then the metrics endpoint series for them move', async () => {
    const scrape = async () => (await request(`http://127.0.0.1:${metricsPort}`).get('/metrics').expect(200)).text;
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    };
    const before = await scrape();
    const { key, runId } = await issueRunThroughApi(base(a), 2);
    const [path] = await labelPaths(a, key, runId);
    await verdictOn(a, path!);
    await verdictOn(a, path!);
    const after = await scrape();
    expect(value(after, 'ocop_verdicts_total{verdict="genuine"}')).to.be.greaterThan(value(before, 'ocop_verdicts_total{verdict="genuine"}'));
    expect(value(after, 'ocop_labels_written_total')).to.be.at.least(value(before, 'ocop_labels_written_total') + 2);
    expect(value(after, 'ocop_label_runs_total{outcome="issued"}')).to.be.greaterThan(value(before, 'ocop_label_runs_total{outcome="issued"}'));
    expect(value(after, 'ocop_http_requests_total{class="label",status="2xx"}')).to.be.greaterThan(value(before, 'ocop_http_requests_total{class="label",status="2xx"}'));
    expect(value(after, 'ocop_http_requests_total{class="api_write",status="2xx"}')).to.be.greaterThan(value(before, 'ocop_http_requests_total{class="api_write",status="2xx"}'));
    expect(after).to.match(/ocop_cache_lookups_total\{cache="labels",result="hit"\} \d+/);
    expect(after).to.contain('ocop_scans_buffered ').and.contain('ocop_scan_tallies_unwritten_labels ');
    // The two scans reach the label's figures at the next flush: a version written.
    const written = (text: string) => value(text, 'ocop_scan_tallies_total{event="version_written"}');
    await pollUntil(30_000, async () => written(await scrape()) > written(before));
    expect(after).to.contain('ocop_change_feed_lag_seconds ');
    // The public port does not serve them.
    await request(base(a)).get('/metrics').expect(404);
  });

  it('when one instance is killed during a scan flood, then the other keeps answering and the killed one loses at most its flush window', async () => {
    const c = await startServiceOn(testDatabaseUri(), { SIGNING_KEY_JWK: jwk, RATE_LIMIT_PAGE: '0', SCAN_FLUSH_MS: '200' });
    const { key, runId } = await issueRunThroughApi(base(a), 2);
    const [throughC, throughA] = await labelPaths(a, key, runId);
    // One scan of each through A first (their serials); written long before the kill.
    const serialC = (await verdictOn(a, throughC!)).label.serial as string;
    const serialA = (await verdictOn(a, throughA!)).label.serial as string;
    const answeredByC: number[] = [];
    const statusesOfA: number[] = [];
    let killedAt = 0;
    const floodC = async () => {
      for (;;) {
        const ok = await fetch(`${base(c)}${throughC}`, { headers: { Accept: 'application/json' } }).then((r) => r.ok, () => false);
        if (!ok) return;
        answeredByC.push(Date.now());
      }
    };
    const floodA = async () => {
      while (killedAt === 0 || Date.now() - killedAt < 1_000) {
        statusesOfA.push((await fetch(`${base(a)}${throughA}`, { headers: { Accept: 'application/json' } })).status);
      }
    };
    const killer = (async () => {
      await pollUntil(30_000, async () => answeredByC.length >= 150);
      killedAt = Date.now();
      await c.kill();
    })();
    await Promise.all([floodC(), floodA(), floodA(), killer]);

    expect(statusesOfA.length).to.be.greaterThan(0);
    expect(statusesOfA.every((s) => s === 200)).to.equal(true);
    // Everything A answered is written (it flushes every SCAN_FLUSH_MS).
    await pollUntil(20_000, async () => (await ScanModel.countDocuments({ serial: serialA })) === statusesOfA.length + 1);
    // The killed one: what it answered before its last flush window (200 ms, plus a second of slack for a busy machine) is stored.
    await pollUntil(20_000, async () => (await ScanModel.countDocuments({ serial: serialC })) > 0);
    const storedFromC = (await ScanModel.countDocuments({ serial: serialC })) - 1;
    const beforeWindow = answeredByC.filter((t) => t < killedAt - 1_200).length;
    expect(storedFromC).to.be.at.least(beforeWindow);
    console.warn(`      (${answeredByC.length} scans answered by the killed instance, ${storedFromC} stored; the other answered ${statusesOfA.length})`);
  });
});

describe('npm run start:cluster (one worker per core, or WORKERS)', function () {
  this.timeout(120_000);

  it('when it runs two workers, then both answer, the metrics name each worker, and SIGTERM drains them with every scan written', async () => {
    buildService();
    const metricsPort = await freePort();
    const cluster = await startServiceOn(
      testDatabaseUri(),
      { SIGNING_KEY_JWK: JSON.stringify(generateSigningJwk()), RATE_LIMIT_PAGE: '0', WORKERS: '2', METRICS_PORT: String(metricsPort), SCAN_FLUSH_MS: '5000' },
      { entry: 'cluster' },
    );
    const base = `http://127.0.0.1:${cluster.port}`;
    try {
      const { key, runId } = await issueRunThroughApi(base, 1);
      const csv = await request(base).get(`/api/v1/label-runs/${runId}/labels.csv`).set(bearer(key)).expect(200);
      const url = new URL(csv.text.split('\r\n')[1]!.split(',')[2]!);
      // New connections are shared out between the workers: scan until both have answered.
      const scans = [];
      let metrics = '';
      const bothAnswered = (text: string) => ['1', '2'].every((w) => new RegExp(`ocop_verdicts_total\\{verdict="genuine",worker="${w}"\\} \\d+`).test(text));
      for (let i = 0; i < 200 && !bothAnswered(metrics); i += 1) {
        scans.push(await fetch(`${base}${url.pathname}${url.search}`, { headers: { Accept: 'application/json', Connection: 'close' } }).then((r) => r.json() as Promise<{ verdict: string; label: { serial: string } }>));
        if (i % 5 === 4) metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      }
      expect(scans.every((s) => s.verdict === 'genuine')).to.equal(true);
      expect(metrics).to.match(/ocop_verdicts_total\{verdict="genuine",worker="1"\} \d+/);
      expect(metrics).to.match(/ocop_verdicts_total\{verdict="genuine",worker="2"\} \d+/);
      // With a 5 s flush interval the scans are still buffered: the drain writes them.
      await cluster.stop();
      expect(cluster.exitCode()).to.equal(0);
      expect(await ScanModel.countDocuments({ serial: scans[0]!.label.serial })).to.equal(scans.length);
    } finally {
      await cluster.stop();
    }
  });
});
