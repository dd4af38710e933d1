import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { AppError } from '../../errors/app-error.js';
import { translator, type Lang } from '../../i18n.js';
import { pickLang } from '../../http/language.js';
import { actorOf, allow } from '../../policy/principal-of-request.js';
import { loginInsteadOf401, showScreen, type AccountWeb } from '../../accounts/login.routes.js';
import { decisionMessages } from './decisions.messages.js';
import { MAX_ROWS, type ReadRow, type RowProblem } from './decision-csv.js';
import {
  commitDraft,
  getDecisionImport,
  listDecisionImports,
  previewDecision,
  resumeDecisionImport,
  type DecisionImport,
} from './decision-import.service.js';

/**
 * /office/decisions: the programme office imports a certification decision from a CSV
 * file (docs/decision-import.md). Upload → preview (every row and its problems) → commit
 * (all or nothing) → the decision's page (its figures, or its progress while a large
 * import is written; it can be left and opened again, and refreshes itself with a small
 * script where JavaScript runs).
 */

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** A commit of more steps than this runs on after the answer; its page shows the progress. */
const WAIT_FOR_STEPS = 300;
/** Valid rows listed on a preview (every row with a problem is). */
const SHOW_VALID_ROWS = 200;

const translators = { vi: translator(decisionMessages, 'vi'), en: translator(decisionMessages, 'en') };
type T = (typeof translators)['vi'];

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 4, fieldSize: 200, parts: 5 } }).single('file');

const decisionHref = (id: string, lang: Lang) => `/office/decisions/${encodeURIComponent(id)}?lang=${lang}`;

export function decisionPagesRouter(web: AccountWeb): Router {
  const router = Router();

  router.get('/office/decisions', allow('decision.read'), async (req, res) => {
    await showUpload(web, req, res, null, 200);
  });

  router.post('/office/decisions/preview', allow('decision.import'), async (req, res) => {
    const failure = await new Promise<unknown>((resolve) => upload(req, res, resolve));
    if (failure instanceof multer.MulterError && failure.code === 'LIMIT_FILE_SIZE') return showUpload(web, req, res, 'file.too_large', 413);
    if (failure) throw failure;
    if (!req.file || req.file.size === 0) return showUpload(web, req, res, 'file.missing', 400);
    const lang = pickLang(req);
    const t = translators[lang];
    const preview = await previewDecision(actorOf(req), req.file.buffer, req.file.originalname.slice(0, 200) || null);
    if (preview.kind === 'unreadable') {
      const key = `file.${preview.problem.problem}` as const;
      return showUpload(web, req, res, key, 400, preview.problem.params);
    }
    if (preview.kind === 'imported') return res.redirect(303, `${decisionHref(preview.existing._id, lang)}&earlier=1`);
    // A file of thousands of rows: every row with a problem, and the first valid ones.
    let validShown = 0;
    const shown = preview.rows.filter((r) => r.problems.length > 0 || validShown++ < SHOW_VALID_ROWS);
    const rows = shown.map((r) => rowView(r, t));
    showScreen(web, req, res, 'office/decisions/preview', {
      title: t('previewTitle'),
      t,
      decision: preview.decision,
      rows,
      rowCount: preview.rows.length,
      hiddenRows: preview.rows.length - shown.length,
      problemRows: preview.problemRows,
      figures: preview.figures,
      draftId: preview.draftId,
      switchHref: `/office/decisions?lang=${lang === 'vi' ? 'en' : 'vi'}`,
    }, preview.problemRows > 0 ? 422 : 200);
  });

  router.post('/office/decisions/commit', allow('decision.import'), async (req, res) => {
    const lang = pickLang(req);
    const draft = typeof (req.body as Record<string, unknown>)?.draft === 'string' ? String((req.body as Record<string, unknown>).draft) : '';
    let outcome;
    try {
      outcome = await commitDraft(actorOf(req), draft, { waitUpTo: WAIT_FOR_STEPS });
    } catch (err) {
      if (err instanceof AppError && err.code === 'decision/invalid_rows') return showUpload(web, req, res, 'invalidNow', 422);
      if (err instanceof AppError && err.code === 'decision/draft_not_found') return showUpload(web, req, res, 'draftGone', 404);
      throw err;
    }
    res.redirect(303, `${decisionHref(outcome.importId, lang)}${outcome.earlier ? '&earlier=1' : ''}`);
  });

  router.get('/office/decisions/:id', allow('decision.read'), async (req, res) => {
    const lang = pickLang(req);
    const t = translators[lang];
    const found = await getDecisionImport(String(req.params.id));
    showDecision(web, req, res, found, t, req.query.earlier === '1');
  });

  router.post('/office/decisions/:id/resume', allow('decision.import'), async (req, res) => {
    const lang = pickLang(req);
    const found = await getDecisionImport(String(req.params.id));
    try {
      await resumeDecisionImport(actorOf(req), found._id, { waitUpTo: WAIT_FOR_STEPS });
    } catch (err) {
      // The failure is stored on the import and shown on its page, which offers the next retry.
      if (!(err instanceof AppError) || err.status >= 500) throw err;
    }
    res.redirect(303, decisionHref(found._id, lang));
  });

  router.use(loginInsteadOf401(web));
  return router;
}

async function showUpload(web: AccountWeb, req: Request, res: Response, problem: Parameters<T>[0] | null, status: number, params?: Record<string, string | number>): Promise<void> {
  const t = translators[pickLang(req)];
  const imports = await listDecisionImports();
  showScreen(web, req, res, 'office/decisions/upload', {
    title: t('title'),
    t,
    problem: problem ? t(problem, { max: MAX_ROWS, ...params }) : null,
    imports: imports.map((i) => importRow(i, t)),
    switchHref: `/office/decisions?lang=${pickLang(req) === 'vi' ? 'en' : 'vi'}`,
  }, status);
}

function showDecision(web: AccountWeb, req: Request, res: Response, found: DecisionImport, t: T, earlier: boolean): void {
  const lang = pickLang(req);
  const inProgress = found.state === 'committing';
  showScreen(web, req, res, 'office/decisions/result', {
    title: t('resultTitle'),
    t,
    decision: importRow(found, t),
    // An import still being written is shown by its state and progress, not as done before.
    earlier: earlier && found.state === 'done',
    inProgress,
    // While it is written here, the page asks again every few seconds (where scripts run).
    scripts: inProgress && found.running ? ['/static/decision-progress.js'] : [],
    resumeAction: `/office/decisions/${encodeURIComponent(found._id)}/resume?lang=${lang}`,
    selfHref: decisionHref(found._id, lang),
    switchHref: decisionHref(found._id, lang === 'vi' ? 'en' : 'vi'),
  });
}

function importRow(i: DecisionImport, t: T) {
  const state = i.state === 'done' ? 'state.done' : i.running ? 'state.committing' : 'state.interrupted';
  return {
    id: i._id,
    href: `/office/decisions/${encodeURIComponent(i._id)}`,
    number: i.decisionNumber,
    date: i.decisionDate,
    province: i.province,
    state: i.state,
    stateText: t(state),
    rows: i.rows,
    steps: i.steps,
    stepsDone: i.stepsDone,
    figures: i.figures,
    figuresText: t('figures', i.figures),
    lastError: i.lastError,
    running: i.running,
  };
}

function rowView(r: ReadRow, t: T) {
  const v = r.values;
  return {
    line: r.line,
    product: v.product_id || v.product_name || '',
    productIsNew: !v.product_id,
    gtin: v.gtin ?? '',
    producer: v.producer_id || v.producer_name || '',
    producerIsNew: !v.producer_id,
    stars: v.stars ?? '',
    problems: r.problems.map((p) => problemText(p, t)),
  };
}

const problemText = (p: RowProblem, t: T) => t(`problem.${p.code}`, { column: p.column ?? '', ...p.params });
