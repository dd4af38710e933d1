import { expect } from 'chai';
import { normalizeCbv } from '../../src/events/cbv.js';
import { parseEpc } from '../../src/events/epc.js';
import { documentContext, prepareEvent, type PreparedEvent, type EventProblem } from '../../src/events/capture/epcis-event.js';
import { parsePlaceUri } from '../../src/events/places.js';

const ctx = documentContext(['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { ocop: 'urn:ocop:epcis:' }]);
const base = {
  type: 'ObjectEvent',
  eventTime: '2025-03-02T08:30:00+07:00',
  eventTimeZoneOffset: '+07:00',
  action: 'OBSERVE',
  bizStep: 'inspecting',
  bizLocation: { id: 'urn:ocop:commune:00577' },
  quantityList: [{ epcClass: 'https://trace.example.vn/p/abcdefghij/10/L1', quantity: 5, uom: 'KGM' }],
};
const problemsOf = (raw: unknown, c = ctx) => {
  const r = prepareEvent(raw, c);
  return Array.isArray(r) ? (r as EventProblem[]).map((p) => `${p.path}: ${p.message}`) : [];
};
const prepared = (raw: unknown, c = ctx) => prepareEvent(raw, c) as PreparedEvent;

describe('events: vocabularies, identifiers and event rules (pure)', () => {
  it('when a business step comes bare, as a CBV URN or as a CBV web URI, then all store as the bare value', () => {
    for (const v of ['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'https://ref.gs1.org/cbv/BizStep-shipping', 'cbv:BizStep-shipping']) {
      expect(normalizeCbv('bizStep', v), v).to.equal('shipping');
    }
    expect(normalizeCbv('disposition', 'urn:epcglobal:cbv:disp:in_transit')).to.equal('in_transit');
    expect(normalizeCbv('bizStep', 'shiping')).to.equal(null);
    expect(normalizeCbv('bizStep', 'urn:epcglobal:cbv:disp:in_transit')).to.equal(null); // a disposition is no business step
  });

  it('when label Digital Links and EPC URNs are read, then product, lot and serial come out (GTIN check digit enforced)', () => {
    expect(parseEpc('https://trace.example.vn/01/08930000123459/10/L%2D1/21/ABC')).to.deep.equal({ product: { kind: 'gtin', gtin: '08930000123459' }, lot: 'L-1', serial: 'ABC' });
    expect(parseEpc('https://id.gs1.org/01/8930000123459/10/LOT7')).to.deep.equal({ product: { kind: 'gtin', gtin: '08930000123459' }, lot: 'LOT7', serial: null });
    expect(parseEpc('https://trace.example.vn/p/abcdefghij/10/L1/21/S1')).to.deep.equal({ product: { kind: 'product', productId: 'abcdefghij' }, lot: 'L1', serial: 'S1' });
    expect(parseEpc('urn:epc:class:lgtin:8930000.012345.LOT7')).to.deep.equal({ product: { kind: 'gtin', gtin: '08930000123459' }, lot: 'LOT7', serial: null });
    expect(parseEpc('https://trace.example.vn/01/08930000123457/10/L1')).to.equal(null);
    expect(parseEpc('urn:epc:id:sscc:8930000.0000000001')).to.equal(null);
  });

  it('when a place id is read, then only urn:ocop:commune:{5 digits}[:{site}] gives a commune code', () => {
    expect(parsePlaceUri('urn:ocop:commune:00577:lo-nung-2')).to.deep.equal({ communeCode: '00577', site: 'lo-nung-2' });
    expect(parsePlaceUri('urn:ocop:commune:577')).to.equal(null);
  });

  it('when an event is valid, then it gets an eventID, bare CBV values and no client recordTime', () => {
    const p = prepared({ ...base, bizStep: 'https://ref.gs1.org/cbv/BizStep-inspecting', recordTime: '2020-01-01T00:00:00Z' });
    expect(p.eventID).to.match(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(p.body).to.include({ bizStep: 'inspecting' }).and.not.have.property('recordTime');
    expect(p.refs).to.deep.equal([{ product: { kind: 'product', productId: 'abcdefghij' }, lot: 'L1', serial: null }]);
  });

  it('when the sender maps our namespace to its own prefix, then its batch field is understood', () => {
    const own = documentContext([{ tt: 'urn:ocop:epcis:', ex: 'https://partner.example/ns#' }]);
    const p = prepared({ ...base, 'tt:batchId': 'abcdefghij', 'ex:truck': '29C-123.45' }, own);
    expect(p.explicitBatchId).to.equal('abcdefghij');
    expect(p.body).to.have.property('ex:truck');
    expect(p.body['@context']).to.deep.equal([{ ex: 'https://partner.example/ns#' }]);
  });

  it('when type rules are broken, then each problem names its field', () => {
    expect(problemsOf({ ...base, ilmd: { 'cbvmda:lotNumber': 'L1' } })).to.deep.equal(['ilmd: ilmd belongs only to an ObjectEvent with action ADD']);
    expect(problemsOf({ ...base, type: 'AggregationEvent', action: 'ADD', quantityList: undefined, childEPCs: ['https://x.vn/p/abcdefghij/10/L1/21/S'] })).to.deep.equal(['parentID: is required for action ADD']);
    expect(problemsOf({ ...base, type: 'TransformationEvent', action: undefined, quantityList: undefined })).to.have.length(1);
    expect(problemsOf({ ...base, action: 'MOVE' })[0]).to.match(/^action: /);
    expect(problemsOf({ ...base, colour: 'red' })).to.deep.equal(['colour: is not a member of ObjectEvent; extension members are IRIs such as ocop:batchId']);
  });

  it('when the place or time is unusable, then the event is refused', () => {
    expect(problemsOf({ ...base, bizLocation: { id: 'urn:ocop:commune:99999' } })[0]).to.contain('99999 is not a commune code in force');
    // Without an OCOP place the commune must come from a registered location, looked up after this pure step (resolve-places.ts).
    const unplaced = prepareEvent({ ...base, readPoint: undefined, bizLocation: { id: 'urn:epc:id:sgln:8930000.00001.0' } }, ctx) as PreparedEvent;
    expect(unplaced.ocopPlaced).to.equal(false);
    expect(problemsOf({ ...base, eventTime: '2025-03-02T08:30:00' })[0]).to.match(/^eventTime: must be an ISO 8601 date-time with an offset/);
    expect(problemsOf({ ...base, eventTime: new Date(Date.now() + 86_400_000).toISOString() })).to.deep.equal(['eventTime: lies in the future']);
    expect(problemsOf({ ...base, eventTimeZoneOffset: '+7' })[0]).to.match(/^eventTimeZoneOffset: must be ±hh:mm/);
  });
});
