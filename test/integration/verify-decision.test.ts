import { expect } from 'chai';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { parseLabel, type SignedLabel } from '../../src/labels/format/label-url.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import { LabelVerifier } from '../../src/verify/verify.service.js';
import { testConfig } from '../support/app.js';
import { buildIssuedRun, issueLabel, registerKey, signLabel, strangerKey } from '../support/kit.js';

/** The one decision path: synchronous when every record is in memory, loading otherwise. */
describe('verification decision', () => {
  const config = testConfig();
  const keyring = Keyring.open(config);
  const scans = new ScanRecorder({ flushMs: 60_000 });
  const verifier = new LabelVerifier({ config, keyring, scans });

  const labelOf = (url: string): SignedLabel => {
    const u = new URL(url);
    const parsed = parseLabel(u.pathname, Object.fromEntries(u.searchParams));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.label;
  };

  it('when a label is scanned again while its records are fresh, then the verdict is answered without a promise and the scan is still recorded', async () => {
    const key = await registerKey('active');
    await keyring.refresh();
    const label = labelOf((await issueLabel(await buildIssuedRun({ gtin: true }), key)).url);
    const scan = { clientHash: 'phone-1@net-1', browser: 'phone-1', network: 'net-1', place: null };

    const first = verifier.verify(label, scan);
    expect(first, 'a first scan loads its records').to.be.instanceOf(Promise);
    expect((await first).verdict).to.equal('genuine');
    const recorded = scans.stats.recorded;

    const again = verifier.verify(label, scan);
    expect(again).not.to.be.instanceOf(Promise);
    expect(again).to.include({ verdict: 'genuine', fromCacheOnly: false });
    expect((again as Awaited<typeof again>).found?.scans?.total).to.equal(2);
    expect(scans.stats.recorded).to.equal(recorded + 1);
  });

  it('when a forged or never-issued label is scanned with keys in memory, then it is answered as the loading path would', async () => {
    const key = await registerKey('active');
    await keyring.refresh();
    const world = await buildIssuedRun();
    const forged = labelOf(signLabel(world, strangerKey()).url);
    expect(await verifier.verify(forged, null)).to.include({ verdict: 'forged', reason: 'unknown_key' });
    const neverIssued = labelOf(signLabel(world, key).url);
    expect(await verifier.verify(neverIssued, null)).to.include({ verdict: 'unknown', reason: 'no_such_label' });
    const again = verifier.verify(neverIssued, null);
    expect(again, 'a serial known not to exist is an answer too').not.to.be.instanceOf(Promise);
    expect(again).to.include({ verdict: 'unknown', reason: 'no_such_label' });
  });
});
