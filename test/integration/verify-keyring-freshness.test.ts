import { expect } from 'chai';
import { shortKid } from '../../src/labels/signing/key-crypto.js';
import { Keyring, UNKNOWN_KID_RELOAD_MS } from '../../src/labels/signing/keyring.js';
import { SigningKeyModel } from '../../src/labels/signing/signing-key.model.js';
import { testConfig } from '../support/app.js';
import { registerKey } from '../support/kit.js';

/**
 * The keyring as the verification page asks it: answers from memory without a promise
 * whenever it can, and decides alone when key statuses are read again.
 */
describe('keyring freshness for verification', () => {
  const config = testConfig({ CACHE_TTL_MS: '30000' });
  let clock = 1_000_000_000;
  let up = true;
  const keyring = () => Keyring.open(config, { clock: () => clock, available: () => up });

  beforeEach(() => {
    up = true;
  });

  it('when a key id is unknown, then statuses are read again at most once per throttle period, and a key added elsewhere is then found', async () => {
    const keys = keyring();
    await keys.refresh();
    const added = await registerKey('active'); // as another instance rotating would
    const kid = shortKid(added.kid);

    const throttled = keys.keyForLabel(kid);
    expect(throttled, 'just read: no new read, a plain answer').to.equal(undefined);

    clock += UNKNOWN_KID_RELOAD_MS;
    const reloading = keys.keyForLabel(kid);
    expect(reloading).to.be.instanceOf(Promise);
    expect((await reloading)?.status).to.equal('active');
    expect(keys.keyForLabel('ZZZZZZZZ'), 'another unknown id right after that read').to.equal(undefined);
    expect(keys.keyForLabel(kid), 'the key now known').to.include({ shortKid: kid, status: 'active' });
  });

  it('when statuses are older than the cache period, then a known key is still answered at once, and a revocation shows once they are read again', async () => {
    const keys = keyring();
    const key = await registerKey('active');
    const kid = shortKid(key.kid);
    await keys.refresh();
    expect(keys.keyForLabel(kid)).to.include({ status: 'active' });

    await SigningKeyModel.updateOne({ _id: key.kid }, { $set: { status: 'revoked', revokedAt: new Date(), revokedReason: 'test' } });
    clock += config.cacheTtlMs + 1;
    expect(keys.keyForLabel(kid), 'a scan does not wait for the read it starts').to.include({ status: 'active' });
    expect((await keys.findByShortKid(kid))?.status).to.equal('revoked');
    expect(keys.keyForLabel(kid)).to.include({ status: 'revoked' });
  });

  it('when the database is unreachable, then keys read before still answer from memory, and a keyring that never read them rejects', async () => {
    const key = await registerKey('active');
    const kid = shortKid(key.kid);
    const warm = keyring();
    await warm.refresh();
    up = false;
    clock += UNKNOWN_KID_RELOAD_MS + config.cacheTtlMs;
    expect(warm.keyForLabel(kid)).to.include({ status: 'active' });
    expect(warm.keyForLabel('ZZZZZZZZ'), 'an unknown id is not ours: no read is tried').to.equal(undefined);

    const cold = keyring().keyForLabel(kid);
    expect(cold).to.be.instanceOf(Promise);
    const err = await (cold as Promise<unknown>).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(Error);
  });
});
