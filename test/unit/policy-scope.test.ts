import { expect } from 'chai';
import { AppError } from '../../src/errors/app-error.js';
import { assertMay, inScope, listProvinces, may, needsProvince, provincesOf, readScope } from '../../src/policy/policy.js';
import { ACTIONS, NATIONAL_STARS, POLICY, SCOPES } from '../../src/policy/policy-table.js';
import type { Principal } from '../../src/policy/principal.js';

const national: Principal = { keyId: 'n', role: 'admin', producerId: null, scope: { province: null } };
const unscopedAdmin: Principal = { keyId: 'a', role: 'admin', producerId: null };
const hanoi: Principal = { keyId: 'h', role: 'admin', producerId: null, scope: { province: '01' } };
const inspector: Principal = { keyId: 'i', role: 'inspector', producerId: null, scope: { provinces: ['01', '79'] } };
const unassigned: Principal = { keyId: 'u', role: 'inspector', producerId: null, scope: { provinces: [] } };
const nationwideInspector: Principal = { keyId: 'w', role: 'inspector', producerId: null };
const producer: Principal = { keyId: 'p', role: 'producer', producerId: 'prod000001', scope: {} };

const inHanoi = { producerId: 'prod000001', province: '01' };
const inHue = { producerId: 'prod000002', province: '46' };

function refusal(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('policy: the province scope (pure)', () => {
  it('when the scope is read, then a provincial admin has its province, an inspector its provinces, and the rest every province', () => {
    expect(provincesOf(hanoi)).to.deep.equal(['01']);
    expect(provincesOf(inspector)).to.deep.equal(['01', '79']);
    expect(provincesOf(unassigned)).to.deep.equal([]);
    for (const p of [national, unscopedAdmin, nationwideInspector, producer, null]) expect(provincesOf(p), p?.keyId ?? 'anonymous').to.equal(null);
    expect([hanoi, inspector, unassigned].map(needsProvince)).to.deep.equal([true, true, true]);
    expect([national, nationwideInspector, producer].map(needsProvince)).to.deep.equal([false, false, false]);
  });

  it('when inScope is asked, then a record is in scope only in one of the caller\'s provinces; a record of no province only for callers without a scope', () => {
    expect(inScope(hanoi, inHanoi)).to.equal(true);
    expect(inScope(hanoi, inHue)).to.equal(false);
    expect(inScope(hanoi, { province: null })).to.equal(false);
    expect(inScope(hanoi, {})).to.equal(false);
    expect(inScope(inspector, { province: '79' })).to.equal(true);
    expect(inScope(inspector, inHue)).to.equal(false);
    expect(inScope(unassigned, inHanoi)).to.equal(false);
    for (const p of [national, unscopedAdmin, nationwideInspector, producer]) {
      expect([inScope(p, inHanoi), inScope(p, inHue), inScope(p, { province: null })], p.keyId).to.deep.equal([true, true, true]);
    }
  });

  it('when a provincial admin writes, then its province is allowed and another province is refused with both provinces named', () => {
    expect(may(hanoi, 'producer.create', { province: '01' })).to.equal(true);
    expect(may(hanoi, 'batch.create', inHanoi)).to.equal(true);
    const err = refusal(() => assertMay(hanoi, 'producer.create', { province: '46' }));
    expect([err.status, err.code]).to.deep.equal([403, 'auth/forbidden']);
    expect(err.message).to.equal('Only an admin of its province or the national office may create a producer; this admin acts for province 01, and the record is in province 46.');
    expect(may(national, 'producer.create', { province: '46' })).to.equal(true);
  });

  it('when a route asks before the record is loaded, then a scoped caller is let through (the service asks again), except for national actions', () => {
    expect(may(hanoi, 'producer.create')).to.equal(true);
    expect(may(inspector, 'batch.read')).to.equal(true);
    expect(may(hanoi, 'signing_key.rotate')).to.equal(false);
    expect(refusal(() => assertMay(hanoi, 'event.query_all')).message).to.equal('Only the national office may query across all events; this admin acts for province 01.');
    expect(may(national, 'signing_key.rotate')).to.equal(true);
  });

  it(`when a certification is of ${NATIONAL_STARS}★, then only the national office records or revokes it; 1–4★ is the province's`, () => {
    for (const stars of [1, 2, 3, 4]) expect(may(hanoi, 'certification.create', { ...inHanoi, stars }), `${stars}★`).to.equal(true);
    expect(may(hanoi, 'certification.create', { ...inHue, stars: 4 })).to.equal(false);
    const err = refusal(() => assertMay(hanoi, 'certification.create', { ...inHanoi, stars: 5 }));
    expect(err.message).to.equal('Only the national office may record a certification of 5★: 5★ is decided by the ministry, 1–4★ by the province; this admin acts for province 01.');
    expect(may(hanoi, 'certification.revoke', { ...inHanoi, stars: 5 })).to.equal(false);
    expect(may(national, 'certification.create', { ...inHue, stars: 5 })).to.equal(true);
    expect(may(unscopedAdmin, 'certification.revoke', { ...inHue, stars: 5 })).to.equal(true);
  });

  it('when an inspector reads private producer data, then in its provinces only; the table\'s own/other logic is unchanged for producers', () => {
    expect(may(inspector, 'label.read', inHanoi)).to.equal(true);
    expect(may(inspector, 'label.read', inHue)).to.equal(false);
    expect(refusal(() => assertMay(inspector, 'batch.read', inHue)).message).to.equal(
      "Only an admin or inspector of its province, or the national office, may read this producer's batches; this inspector works in province 01, 79, and the record is in province 46.",
    );
    expect(may(unassigned, 'batch.read', inHanoi)).to.equal(false);
    expect(may(nationwideInspector, 'batch.read', inHue)).to.equal(true);
    expect(may(inspector, 'label.print', inHanoi)).to.equal(false); // the column still forbids
    expect(may(producer, 'batch.read', inHue)).to.equal(false);
    expect(may(producer, 'batch.read', inHanoi)).to.equal(true);
    expect(may(producer, 'batch.read', { producerId: 'prod000001' })).to.equal(true);
  });

  it('when a scoped caller lists, then the list is kept to its provinces, and naming another province is refused', () => {
    expect(readScope(hanoi, 'batch.read')).to.deep.equal({ provinces: ['01'] });
    expect(readScope(inspector, 'batch.read')).to.deep.equal({ provinces: ['01', '79'] });
    expect(readScope(national, 'batch.read')).to.deep.equal({ all: true });
    expect(readScope(producer, 'batch.read')).to.deep.equal({ producerId: 'prod000001' });
    expect(listProvinces(hanoi, 'producer.read')).to.deep.equal(['01']);
    expect(listProvinces(hanoi, 'producer.read', '01')).to.deep.equal(['01']);
    expect(listProvinces(inspector, 'report.read', '79')).to.deep.equal(['79']);
    expect(listProvinces(national, 'producer.read')).to.equal(null);
    expect(listProvinces(null, 'producer.read', '46')).to.deep.equal(['46']);
    const err = refusal(() => listProvinces(hanoi, 'producer.read', '46'));
    expect([err.status, err.message]).to.deep.equal([403, 'Only an admin of province 46 or the national office may read producers of province 46; this admin acts for province 01.']);
  });

  it('when the table is walked, then every scoped marker is a known one and only actions with a key cell carry one', () => {
    for (const action of ACTIONS) {
      const rule = POLICY[action];
      if (!rule.scoped) continue;
      expect(SCOPES, action).to.include(rule.scoped);
      expect([rule.admin, rule.inspector], action).to.include('allow');
      expect(rule.inline, action).to.equal(undefined);
    }
  });
});
