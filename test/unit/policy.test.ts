import { expect } from 'chai';
import { AppError } from '../../src/errors/app-error.js';
import { assertMay, callerKind, may, readScope } from '../../src/policy/policy.js';
import { ACTIONS, CALLER_KINDS, POLICY } from '../../src/policy/policy-table.js';
import type { Principal } from '../../src/policy/principal.js';

const admin: Principal = { keyId: 'a', role: 'admin', producerId: null };
const producer: Principal = { keyId: 'p', role: 'producer', producerId: 'prod000001' };
const unbound: Principal = { keyId: 'u', role: 'producer', producerId: null };
const inspector: Principal = { keyId: 'i', role: 'inspector', producerId: null };
const mine = { producerId: 'prod000001' };
const theirs = { producerId: 'prod000002' };

function refusal(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('policy table and its questions (pure)', () => {
  it("when a producer key asks about a record, then the record's producer decides own or other; without one it is own", () => {
    expect(callerKind(producer, mine)).to.equal('own');
    expect(callerKind(producer, theirs)).to.equal('other');
    expect(callerKind(producer)).to.equal('own');
    expect(callerKind(unbound, { producerId: '' })).to.equal('other');
    expect(callerKind(null, mine)).to.equal('anonymous');
    expect(callerKind(inspector, mine)).to.equal('inspector');
  });

  it('when a caller without a key asks for a keyed action, then 401 says how to send a key', () => {
    const err = refusal(() => assertMay(null, 'batch.create', mine));
    expect([err.status, err.code]).to.deep.equal([401, 'auth/unauthorized']);
    expect(err.message).to.contain('Authorization: Bearer ok_');
    expect(err.message).to.contain("create a batch of this producer's product");
  });

  it("when a producer key touches another producer's record, then 403 names who may and whose key this is", () => {
    const err = refusal(() => assertMay(producer, 'label.void', theirs));
    expect([err.status, err.code]).to.deep.equal([403, 'auth/forbidden']);
    expect(err.message).to.equal(
      "Only an admin key or the producer's own key may void this producer's label; this key acts for producer prod000001, and the record belongs to another producer.",
    );
  });

  it('when an inspector asks to print or to write, then 403 names the keys that may; reading is allowed', () => {
    expect(refusal(() => assertMay(inspector, 'label.print', mine)).message).to.match(/^Only an admin key or the producer's own key may print .*; this is an inspector key\.$/);
    expect(refusal(() => assertMay(inspector, 'producer.update')).message).to.match(/^Only an admin key may change a producer; this is an inspector key\.$/);
    expect(may(inspector, 'batch.read', theirs)).to.equal(true);
    expect(may(inspector, 'event.read_private', theirs)).to.equal(true);
    expect(may(inspector, 'producer.read_private', theirs)).to.equal(false);
  });

  it('when a refusal is about one event of a document, then the message starts with where and the details say which', () => {
    const err = refusal(() => assertMay(producer, 'event.capture', theirs, { where: 'eventList[2]: ', details: { eventIndex: 2 } }));
    expect(err.message.startsWith('eventList[2]: Only')).to.equal(true);
    expect(err.details).to.deep.equal({ eventIndex: 2 });
  });

  it('when a list is asked for, then a producer key is kept to its own records and admins and inspectors see all', () => {
    expect(readScope(producer, 'batch.read')).to.deep.equal({ producerId: 'prod000001' });
    expect(readScope(admin, 'batch.read')).to.deep.equal({ all: true });
    expect(readScope(inspector, 'batch.read')).to.deep.equal({ all: true });
    expect(refusal(() => readScope(unbound, 'batch.read')).status).to.equal(403);
    expect(refusal(() => readScope(inspector, 'batch.create')).status).to.equal(403);
  });

  it('when the table is read, then no row lets a caller do less with a key than without, or more for others than for itself', () => {
    for (const action of ACTIONS) {
      const rule = POLICY[action];
      if (rule.anonymous === 'allow') for (const kind of CALLER_KINDS) expect(rule[kind], `${action} ${kind}`).to.equal('allow');
      if (rule.other === 'allow') expect(rule.own, action).to.equal('allow');
      expect(rule.admin, `${action}: admins may do everything`).to.equal('allow');
    }
  });
});
