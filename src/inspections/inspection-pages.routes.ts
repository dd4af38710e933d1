import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { loginInsteadOf401, showScreen, type AccountWeb } from '../accounts/login.routes.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { pickLang } from '../http/language.js';
import { formatInstant } from '../display-dates.js';
import { translator, type Lang } from '../i18n.js';
import { pagingOf } from '../paging.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import type { Action } from '../policy/policy-table.js';
import { FINDINGS, FUTURE_TOLERANCE_MS } from './inspection-findings.js';
import { inspectionMessages } from './inspection.messages.js';
import { inspectionCreateSchema, inspectionListSchema } from './inspection.schema.js';
import { listInspections, recordInspection } from './inspection.service.js';

/**
 * The findings log's screens, server-rendered, working without JavaScript:
 * /inspect/findings (inspectors: theirs and their provinces'), /office/findings (the
 * programme office: all), /producer/findings (a producer: about its own products,
 * without the inspector), and /inspect/findings/new, the form for an inspection
 * without a label. The form carries an id made when it is shown, so sending it twice
 * (a double tap, a reload) records one inspection.
 */

const translators = { vi: translator(inspectionMessages, 'vi'), en: translator(inspectionMessages, 'en') };
const tOf = (lang: Lang) => translators[lang];

type Screen = { path: string; title: 'findingsTitle' | 'officeFindingsTitle' | 'producerFindingsTitle'; action: Action; producerFilter: boolean };
const SCREENS: Record<'inspect' | 'office' | 'producer', Screen> = {
  inspect: { path: '/inspect/findings', title: 'findingsTitle', action: 'inspection.read', producerFilter: true },
  office: { path: '/office/findings', title: 'officeFindingsTitle', action: 'office.read_queues', producerFilter: true },
  producer: { path: '/producer/findings', title: 'producerFindingsTitle', action: 'inspection.read', producerFilter: false },
};
const FILTER_FIELDS = ['from', 'to', 'commune', 'finding', 'producerId'] as const;

/** The query as the filter form sends it: empty fields and the page language left out. */
function filterQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (k !== 'lang' && k !== 'saved' && typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  return out;
}

async function showFindings(web: AccountWeb, req: Request, res: Response, screen: Screen): Promise<void> {
  const lang = pickLang(req);
  const t = tOf(lang);
  const actor = actorOf(req);
  const raw = filterQuery(req);
  let problems: string[] = [];
  let page = null;
  let query: ReturnType<typeof inspectionListSchema.parse> | null = null;
  try {
    query = parseInput(inspectionListSchema, { limit: '50', ...raw });
    page = await listInspections(actor, query, pagingOf(query));
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'request/invalid')) throw err;
    const details = (err.details as { problems: { path: string; message: string }[] }).problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    problems = [t('problem.filters', { details })];
  }
  const values = Object.fromEntries(FILTER_FIELDS.map((f) => [f, raw[f] ?? '']));
  const kept = new URLSearchParams(Object.entries(raw).filter(([k]) => (FILTER_FIELDS as readonly string[]).includes(k)));
  const pageNumber = query ? Math.floor(pagingOf(query).offset / query.limit) + 1 : 1;
  const pageHref = (n: number) => {
    const q = new URLSearchParams(kept);
    q.set('page', String(n));
    q.set('lang', lang);
    return `${screen.path}?${q.toString()}`;
  };
  const rows = (page?.items ?? []).map((i) => ({ ...i, atText: formatInstant(new Date(i.at), lang) }));
  showScreen(web, req, res, 'inspect/findings', {
    title: t(screen.title),
    t,
    screen: screen.path,
    isProducer: actor.role === 'producer',
    inspectorShown: actor.role !== 'producer',
    producerFilter: screen.producerFilter,
    canRecord: actor.role !== 'producer' && screen.path === '/inspect/findings',
    values,
    findings: FINDINGS,
    problems,
    rows,
    total: page?.page.total ?? 0,
    pageNumber,
    previousHref: page && page.page.offset > 0 ? pageHref(pageNumber - 1) : null,
    nextHref: page && page.page.offset + page.page.limit < page.page.total ? pageHref(pageNumber + 1) : null,
    csvHref: `/api/v1/inspections.csv${kept.size ? `?${kept.toString()}` : ''}`,
    saved: typeof req.query.saved === 'string' ? req.query.saved : null,
  }, problems.length ? 400 : 200);
}

type FormValues = { id: string; at: string; commune: string; place: string; starsSeen: string; finding: string; notes: string };
const blankForm = (): FormValues => ({ id: `web-${randomBytes(18).toString('base64url')}`, at: '', commune: '', place: '', starsSeen: '', finding: '', notes: '' });

function showForm(web: AccountWeb, req: Request, res: Response, values: FormValues, problems: string[], status = 200): void {
  const t = tOf(pickLang(req));
  showScreen(web, req, res, 'inspect/finding-new', { title: t('newTitle'), t, values, problems, findings: FINDINGS }, status);
}

const PROBLEM_OF_FIELD: Record<string, Parameters<(typeof translators)['vi']>[0]> = {
  commune: 'problem.commune',
  place: 'problem.shop',
  finding: 'problem.finding',
  notes: 'problem.notes',
  starsSeen: 'problem.stars',
};

/** A datetime-local value (Vietnam time, no offset) as an ISO instant; empty is now. */
function instantOf(local: string): string | null {
  if (!local) return new Date().toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const d = new Date(`${local.length === 16 ? `${local}:00` : local}+07:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function inspectionPagesRouter(web: AccountWeb): Router {
  const router = Router();
  router.get('/inspect/findings', allow(SCREENS.inspect.action), async (req, res) => {
    // A producer opening the inspectors' list gets its own screen's view of it.
    await showFindings(web, req, res, actorOf(req).role === 'producer' ? SCREENS.producer : SCREENS.inspect);
  });
  router.get('/office/findings', allow(SCREENS.office.action), (req, res) => showFindings(web, req, res, SCREENS.office));
  router.get('/producer/findings', allow(SCREENS.producer.action), (req, res) => showFindings(web, req, res, SCREENS.producer));

  router.get('/inspect/findings/new', allow('inspection.create'), (req, res) => {
    showForm(web, req, res, blankForm(), []);
  });

  router.post('/inspect/findings', allow('inspection.create'), async (req, res) => {
    const t = tOf(pickLang(req));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: keyof FormValues) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    const values: FormValues = { id: text('id'), at: text('at'), commune: text('commune'), place: text('place'), starsSeen: text('starsSeen'), finding: text('finding'), notes: text('notes') };
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(values.id)) values.id = blankForm().id;
    const at = instantOf(values.at);
    const problems = new Set<string>();
    if (at === null) problems.add(t('problem.when'));
    else if (Date.parse(at) > Date.now() + FUTURE_TOLERANCE_MS) problems.add(t('problem.future'));
    const stars = values.starsSeen === '' ? null : Number(values.starsSeen);
    const parsed = inspectionCreateSchema.safeParse({
      id: values.id,
      at: at ?? new Date().toISOString(),
      commune: values.commune,
      place: values.place,
      starsSeen: stars,
      finding: values.finding,
      notes: values.notes,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = PROBLEM_OF_FIELD[String(issue.path[0])];
        if (key) problems.add(t(key));
      }
    }
    if (problems.size || !parsed.success) return showForm(web, req, res, values, [...problems], 400);
    try {
      await recordInspection(actorOf(req), parsed.data);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'inspection/id_reused')) throw err;
      return showForm(web, req, res, { ...values, id: blankForm().id }, [t('problem.reused')], 409);
    }
    res.redirect(303, `/inspect/findings?saved=${encodeURIComponent(values.id)}&lang=${pickLang(req)}`);
  });

  router.use(loginInsteadOf401(web));
  return router;
}
