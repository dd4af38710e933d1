import { expect } from 'chai';
import { chainKeyOfEvent, chainOwnerOf, locationChainKey, productChainKey } from '../../src/events/epcis-context.js';
import { prepareEvent, documentContext } from '../../src/events/capture/epcis-event.js';

/** Which chain an event's body names (batch, product, location), and what a sender may not set. */
describe('events: chain keys', () => {
  it('when a chain key is written into an event and read back, then the same chain comes out for batches, products and locations', () => {
    for (const key of ['batch00001', productChainKey('abcdefghij'), locationChainKey('8930000000001'), locationChainKey('8930000000001:kho-lanh')]) {
      expect(chainKeyOfEvent({ type: 'ObjectEvent', ...chainOwnerOf(key) }), key).to.equal(key);
    }
    expect(chainOwnerOf(locationChainKey('8930000000001'))).to.deep.equal({ 'ocop:locationId': '8930000000001' });
  });

  it('when a sender sets ocop:locationId itself, then it is dropped: only the capture decides the chain', () => {
    const raw = {
      type: 'ObjectEvent', eventTime: '2025-03-02T08:30:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'inspecting',
      epcList: [], readPoint: { id: 'urn:epc:id:sgln:8930000.00001.0' }, 'ocop:locationId': '8930000000001',
    };
    const prepared = prepareEvent(raw, documentContext(undefined));
    expect(Array.isArray(prepared)).to.equal(false);
    if (Array.isArray(prepared)) return;
    expect(prepared.body).to.not.have.property('ocop:locationId');
    expect(prepared.namesNoGoods).to.equal(true);
  });
});
