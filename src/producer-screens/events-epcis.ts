import { BATCH_FIELD, ILMD_EXPIRY, ILMD_LOT } from '../events/epcis-context.js';

/**
 * The producer's step forms as EPCIS 2.0 events (pure, no I/O). Each common step of a
 * batch's journey is one event shape, with CBV 2.0 business step and disposition:
 *
 * | step       | type                | action | bizStep        | disposition              | goods / extra                                      |
 * | ---------- | ------------------- | ------ | -------------- | ------------------------ | -------------------------------------------------- |
 * | harvest    | ObjectEvent         | ADD    | commissioning  | active                   | quantityList of the lot; ilmd lot (+ expiry)       |
 * | processing | TransformationEvent | —      | commissioning  | active                   | outputQuantityList of the lot; transformationID; ilmd |
 * | packing    | AggregationEvent    | ADD    | packing        | in_progress              | parentID (the packing unit), childQuantityList     |
 * | shipping   | ObjectEvent         | OBSERVE| shipping       | in_transit               | destinationList (owning party), bizTransaction desadv |
 * | receiving  | ObjectEvent         | OBSERVE| receiving      | sellable_not_accessible  | sourceList (owning party), bizTransaction recadv   |
 * | retail     | ObjectEvent         | OBSERVE| retail_selling | retail_sold              | quantityList                                       |
 *
 * Every event names its batch explicitly (`ocop:batchId`) and by its goods (the lot's
 * Digital Link class), so it joins the batch's hash chain (docs/epcis.md §2). The place
 * is the business location (and the read point): a commune as `urn:ocop:commune:{code}`
 * or a registered location by its SGLN / GLN Digital Link. Parties and document
 * references typed as words become URNs under our namespace, percent-encoded so the
 * words survive; a URI typed as such is kept as it is.
 */
export const STEPS = ['harvest', 'processing', 'packing', 'shipping', 'receiving', 'retail'] as const;
export type Step = (typeof STEPS)[number];

/** The steps that hand the goods to or take them from another party, with a document. */
export const WITH_PARTY: ReadonlySet<Step> = new Set(['shipping', 'receiving']);

export type StepInput = {
  step: Step;
  batch: { _id: string; lotCode: string; expiryDate: Date | null; unit: string };
  /** The lot's class URI (a Digital Link /01/{gtin}/10/{lot} or /p/{product}/10/{lot}). */
  lotClass: string;
  /** Local time in Vietnam, as a datetime-local field gives it: 2026-03-10T08:30. */
  localTime: string;
  /** urn:ocop:commune:{code}, or a registered location's SGLN / GLN Digital Link. */
  place: string;
  quantity: number | null;
  party: string | null;
  document: string | null;
  /** A fresh urn:uuid: for the event (and the packing unit / transformation of its step). */
  eventId: string;
};

/** Vietnam keeps UTC+7 all year: every form's time is read in it. */
export const VIETNAM_OFFSET = '+07:00';

/** UN/CEFACT codes of the batch units (batch.schema.ts); counted units are pieces (H87). */
const UOM: Record<string, string> = { kg: 'KGM', g: 'GRM', l: 'LTR', ml: 'MLT' };
export const uomOf = (unit: string) => UOM[unit] ?? 'H87';

const STEP_SHAPE: Record<Step, { bizStep: string; disposition: string }> = {
  harvest: { bizStep: 'commissioning', disposition: 'active' },
  processing: { bizStep: 'commissioning', disposition: 'active' },
  packing: { bizStep: 'packing', disposition: 'in_progress' },
  shipping: { bizStep: 'shipping', disposition: 'in_transit' },
  receiving: { bizStep: 'receiving', disposition: 'sellable_not_accessible' },
  retail: { bizStep: 'retail_selling', disposition: 'retail_sold' },
};

export const bizStepOf = (step: Step) => STEP_SHAPE[step].bizStep;
export const dispositionOf = (step: Step) => STEP_SHAPE[step].disposition;

/** A word typed in a form as a URI: kept when it already is one, else a URN of ours. */
export function asUri(kind: 'party' | 'doc', text: string): string {
  const t = text.trim();
  if (/^(https?:\/\/[^\s]+|urn:[a-z0-9][a-z0-9-]{0,31}:[^\s]+)$/i.test(t)) return t;
  return `urn:ocop:${kind}:${encodeURIComponent(t)}`;
}

/** A URN of asUri read back as the words typed (other URIs as they are). */
export function uriText(uri: string): string {
  const m = /^urn:ocop:(?:party|doc):(.*)$/.exec(uri);
  if (!m) return uri;
  try {
    return decodeURIComponent(m[1] as string);
  } catch {
    return uri;
  }
}

export function stepEvent(input: StepInput): Record<string, unknown> {
  const { step, batch, lotClass } = input;
  const shape = STEP_SHAPE[step];
  const quantity = input.quantity === null ? undefined : [{ epcClass: lotClass, quantity: input.quantity, uom: uomOf(batch.unit) }];
  const ilmd: Record<string, string> = { [ILMD_LOT]: batch.lotCode, ...(batch.expiryDate ? { [ILMD_EXPIRY]: batch.expiryDate.toISOString().slice(0, 10) } : {}) };
  const base: Record<string, unknown> = {
    eventID: input.eventId,
    eventTime: `${input.localTime.length === 16 ? `${input.localTime}:00` : input.localTime}${VIETNAM_OFFSET}`,
    eventTimeZoneOffset: VIETNAM_OFFSET,
    bizStep: shape.bizStep,
    disposition: shape.disposition,
    readPoint: { id: input.place },
    bizLocation: { id: input.place },
    [BATCH_FIELD]: batch._id,
  };
  // The goods name the lot even without a quantity: a class-level quantity of its unit with no amount.
  const goods = quantity ?? [{ epcClass: lotClass }];
  const uuid = input.eventId.replace(/^urn:uuid:/, '');
  switch (step) {
    case 'harvest':
      return { type: 'ObjectEvent', ...base, action: 'ADD', quantityList: goods, ilmd };
    case 'processing':
      return { type: 'TransformationEvent', ...base, transformationID: `urn:ocop:transformation:${uuid}`, outputQuantityList: goods, ilmd };
    case 'packing':
      return { type: 'AggregationEvent', ...base, action: 'ADD', parentID: `urn:ocop:pack:${uuid}`, childQuantityList: goods };
    case 'shipping':
      return {
        type: 'ObjectEvent',
        ...base,
        action: 'OBSERVE',
        quantityList: goods,
        ...(input.party ? { destinationList: [{ type: 'owning_party', destination: asUri('party', input.party) }] } : {}),
        ...(input.document ? { bizTransactionList: [{ type: 'desadv', bizTransaction: asUri('doc', input.document) }] } : {}),
      };
    case 'receiving':
      return {
        type: 'ObjectEvent',
        ...base,
        action: 'OBSERVE',
        quantityList: goods,
        ...(input.party ? { sourceList: [{ type: 'owning_party', source: asUri('party', input.party) }] } : {}),
        ...(input.document ? { bizTransactionList: [{ type: 'recadv', bizTransaction: asUri('doc', input.document) }] } : {}),
      };
    case 'retail':
      return { type: 'ObjectEvent', ...base, action: 'OBSERVE', quantityList: goods };
  }
}
