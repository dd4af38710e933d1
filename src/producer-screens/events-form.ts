import { ID_PATTERN } from '../ids.js';
import { findCommune } from '../reference/admin-units.js';
import { STEPS, WITH_PARTY, type Step } from './events-epcis.js';
import type { StepForm } from './events.service.js';
import type { EventsMessageKey } from './events.messages.js';

/**
 * A step form as the browser sends it, read field by field (pure, no I/O): what the
 * person typed, to show again, and the problems to show beside the fields, each a
 * message key (events.messages.ts) so it reads in the page's language.
 */
export type StepValues = { step: string; batchId: string; when: string; place: string; commune: string; quantity: string; party: string; document: string };
export type FieldProblem = { field: keyof StepValues; key: EventsMessageKey };

/** `place` is 'commune' (then the commune code) or a registered location's id. */
export const COMMUNE_PLACE = 'commune';

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
/** Vietnam time, UTC+7: a form's time is read in it. */
const VIETNAM_MS = 7 * 3_600_000;
/** The capture refuses events more than ten minutes ahead; a clock a little fast is not a mistake. */
const FUTURE_SLACK_MS = 10 * 60_000;
const OLDEST = Date.UTC(2000, 0, 1);
export const QUANTITY_MAX = 1_000_000_000;
export const TEXT_MAX = 200;

export function stepValues(body: unknown): StepValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  return { step: text('step'), batchId: text('batchId'), when: text('when'), place: text('place'), commune: text('commune'), quantity: text('quantity'), party: text('party'), document: text('document') };
}

export const isStep = (s: string): s is Step => (STEPS as readonly string[]).includes(s);

/** The instant a datetime-local value names in Vietnam time, or null when it names none. */
export function vietnamInstant(local: string): Date | null {
  const m = LOCAL_TIME.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - VIETNAM_MS;
  const back = new Date(ms + VIETNAM_MS);
  // 2026-02-30 rolls over to March: not a date anyone meant.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(ms);
}

/** The form checked: the step form to record, or the problems (nothing is recorded then). */
export function readStepForm(v: StepValues, now = new Date()): { form: StepForm; problems: [] } | { form: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!isStep(v.step)) problems.push({ field: 'step', key: 'problem.step' });
  if (!ID_PATTERN.test(v.batchId)) problems.push({ field: 'batchId', key: 'problem.batch' });
  const at = vietnamInstant(v.when);
  if (!at) problems.push({ field: 'when', key: 'problem.when' });
  else if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) problems.push({ field: 'when', key: 'problem.whenFuture' });
  else if (at.getTime() < OLDEST) problems.push({ field: 'when', key: 'problem.whenOld' });
  let locationId: string | null = null;
  let commune: string | null = null;
  if (v.place === COMMUNE_PLACE || v.place === '') {
    const code = /^\d{1,5}$/.test(v.commune) ? v.commune.padStart(5, '0') : '';
    if (!code || !findCommune(code)) problems.push({ field: 'commune', key: 'problem.commune' });
    else commune = code;
  } else if (/^\d{13}(:\S{1,20})?$/.test(v.place)) {
    locationId = v.place;
  } else {
    problems.push({ field: 'place', key: 'problem.place' });
  }
  let quantity: number | null = null;
  if (v.quantity !== '') {
    const n = Number(v.quantity.replace(',', '.'));
    if (!/^\d+([.,]\d{1,3})?$/.test(v.quantity) || !Number.isFinite(n) || n <= 0 || n > QUANTITY_MAX) problems.push({ field: 'quantity', key: 'problem.quantity' });
    else quantity = n;
  }
  const withParty = isStep(v.step) && WITH_PARTY.has(v.step);
  if (withParty && (v.party === '' || v.party.length > TEXT_MAX)) problems.push({ field: 'party', key: 'problem.party' });
  if (withParty && v.document.length > TEXT_MAX) problems.push({ field: 'document', key: 'problem.document' });
  if (problems.length) return { form: null, problems };
  return {
    form: {
      step: v.step as Step,
      batchId: v.batchId,
      localTime: v.when,
      locationId,
      commune,
      quantity,
      party: withParty ? v.party : null,
      document: withParty && v.document ? v.document : null,
    },
    problems: [],
  };
}
