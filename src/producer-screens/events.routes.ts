import { Router, type Request, type Response } from 'express';
import type { AccountWeb } from '../accounts/login.routes.js';
import { loginInsteadOf401, showScreen } from '../accounts/login.routes.js';
import { AppError } from '../errors/app-error.js';
import { communeUri } from '../events/places.js';
import { pickLang } from '../http/language.js';
import { translator, type Lang } from '../i18n.js';
import { ID_PATTERN } from '../ids.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import type { Principal } from '../policy/principal.js';
import { placeName } from '../reference/admin-units.js';
import { quantityText, unitWord } from '../batches/unit-words.js';
import { localIso } from '../events/timeline/timeline.js';
import { STEPS, VIETNAM_OFFSET, WITH_PARTY, type Step } from './events-epcis.js';
import { COMMUNE_PLACE, isStep, readStepForm, stepValues, type FieldProblem, type StepValues } from './events-form.js';
import { eventsMessages } from './events.messages.js';
import { batchJourney, eventForms, ownBatch, ownLocation, recordStep, type BatchJourney } from './events.service.js';

/**
 * /producer/events: a form per common step of a batch's journey (harvest, processing,
 * packing, shipping, receiving, retail). A recorded step comes back (303) to the
 * batch's journey with the step's form ready for the next one; a form with problems
 * is shown again (400) with what was typed and a message beside each field.
 */

const translators = { vi: translator(eventsMessages, 'vi'), en: translator(eventsMessages, 'en') };

export function producerEventsRouter(web: AccountWeb): Router {
  const router = Router();

  router.get('/producer/events', allow('producer_events.record'), async (req, res) => {
    const actor = actorOf(req);
    const q = req.query as Record<string, unknown>;
    const step: Step = typeof q.step === 'string' && isStep(q.step) ? q.step : 'harvest';
    const batchId = typeof q.batch === 'string' && ID_PATTERN.test(q.batch) ? q.batch : '';
    const journey = batchId ? await batchJourney(actor, batchId) : null;
    const recorded = typeof q.recorded === 'string' && isStep(q.recorded) ? q.recorded : null;
    const producer = journey?.batch.producerId ?? namedProducer(req);
    await showForms(web, req, res, actor, { step, values: null, problems: [], journey, recorded, producer });
  });

  router.post('/producer/events', allow('producer_events.record'), async (req, res) => {
    const actor = actorOf(req);
    const t = translators[pickLang(req)];
    const values = stepValues(req.body);
    const step: Step = isStep(values.step) ? values.step : 'harvest';
    const problems: FieldProblem[] = [];
    // The batch first: another producer's batch is refused (403) whatever else the form holds.
    let batchKnown = false;
    let producer = namedProducer(req);
    if (ID_PATTERN.test(values.batchId)) {
      try {
        producer = (await ownBatch(actor, values.batchId)).producerId;
        batchKnown = true;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'batch/not_found')) throw err;
      }
    }
    const read = readStepForm(values);
    problems.push(...read.problems);
    if (!batchKnown && !problems.some((p) => p.field === 'batchId')) problems.push({ field: 'batchId', key: 'problem.batch' });
    let place: string | null = null;
    if (read.form?.locationId) {
      const location = producer ? await ownLocation(producer, read.form.locationId) : null;
      if (location) place = location.uri;
      else problems.push({ field: 'place', key: 'problem.place' });
    } else if (read.form?.commune) {
      place = communeUri(read.form.commune);
    }
    if (problems.length || !read.form || !place) {
      return showForms(web, req, res, actor, { step, values, problems, journey: null, recorded: null, producer }, 400);
    }
    try {
      await recordStep(actor, read.form, place);
    } catch (err) {
      // The capture checks more than the form can (its vocabulary, the batch's lot): its refusal stored nothing.
      if (!(err instanceof AppError && (err.status === 400 || err.status === 409))) throw err;
      const refused: FieldProblem = { field: 'step', key: 'problem.refused' };
      return showForms(web, req, res, actor, { step, values, problems: [refused], refusal: t('problem.refused', { detail: err.message }), journey: null, recorded: null, producer }, 400);
    }
    const lang = pickLang(req);
    res.redirect(303, `/producer/events?batch=${read.form.batchId}&step=${step}&recorded=${step}&lang=${lang}#journey`);
  });

  router.use(loginInsteadOf401(web));
  return router;
}

type FormState = {
  step: Step;
  values: StepValues | null;
  problems: FieldProblem[];
  refusal?: string;
  journey: BatchJourney | null;
  recorded: Step | null;
  /** The producer the forms are for (an admin's choice; a producer account's own is implied). */
  producer: string | null;
};

/** The producer an admin names with ?producer= (a producer account's own needs no name). */
function namedProducer(req: Request): string | null {
  const p = (req.query as Record<string, unknown>).producer;
  return typeof p === 'string' && ID_PATTERN.test(p) ? p : null;
}

/** Now in Vietnam, as a datetime-local field shows it (to the minute). */
const nowLocal = () => localIso(new Date(), VIETNAM_OFFSET).slice(0, 16);

async function showForms(web: AccountWeb, req: Request, res: Response, actor: Principal, state: FormState, status = 200): Promise<void> {
  const lang: Lang = pickLang(req);
  const t = translators[lang];
  const forms = await eventForms(actor, state.producer);
  const values: StepValues = state.values ?? {
    step: state.step,
    batchId: state.journey?.batch._id ?? forms.batches[0]?.id ?? '',
    when: nowLocal(),
    place: COMMUNE_PLACE,
    commune: forms.homeCommune,
    quantity: '',
    party: '',
    document: '',
  };
  const chosen = forms.batches.find((b) => b.id === values.batchId);
  const problemOf = (field: keyof StepValues) => state.problems.filter((p) => p.field === field && p.key !== 'problem.refused').map((p) => t(p.key));
  const journey = state.journey;
  showScreen(
    web,
    req,
    res,
    'producer/events',
    {
      title: `${t('title')}: ${t(`step.${state.step}`)}`,
      // The other language keeps the step and the batch (and the producer an admin named).
      switchHref: `/producer/events?${new URLSearchParams({ step: state.step, ...(values.batchId ? { batch: values.batchId } : {}), ...(state.producer && actor.role !== 'producer' ? { producer: state.producer } : {}), lang: lang === 'vi' ? 'en' : 'vi' }).toString()}`,
      t,
      steps: STEPS,
      step: state.step,
      withParty: WITH_PARTY.has(state.step),
      values,
      batches: forms.batches.map((b) => ({ ...b, label: `${b.lotCode} – ${b.productName}` })),
      locations: forms.locations.map((l) => ({ ...l, label: `${l.name} (${placeName(l.communeCode) ?? l.communeCode})` })),
      communeName: /^\d{5}$/.test(values.commune) ? placeName(values.commune) : null,
      unitName: chosen ? unitWord(chosen.unit, lang, 2) : '',
      problems: state.problems.map((p) => (p.key === 'problem.refused' ? (state.refusal ?? t(p.key, { detail: '' })) : t(p.key))),
      problemOf,
      journey: journey
        ? {
            batchId: journey.batch._id,
            heading: t('journeyOf', { lot: journey.batch.lotCode, product: journey.productName }),
            timeline: journey.timeline,
            labelPath: journey.labelPath,
            amount: (detail: string) => detail,
            quantity: quantityText(journey.batch.quantity, journey.batch.unit, lang),
          }
        : null,
      recorded: state.recorded && journey ? t('recorded', { step: t(`step.${state.recorded}`), lot: journey.batch.lotCode }) : null,
    },
    status,
  );
}
