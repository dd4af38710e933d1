import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { AppError, notFound } from '../errors/app-error.js';
import { errorCatalogue } from '../errors/catalogue.js';
import { pickLang } from '../http/language.js';
import { formatDay, formatInstant } from '../display-dates.js';
import { ID_PATTERN } from '../ids.js';
import type { Logger } from '../logger.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { loginInsteadOf401, showScreen, type AccountWeb } from '../accounts/login.routes.js';
import { BATCH_UNITS } from '../batches/batch.schema.js';
import { createBatch, updateBatch } from '../batches/batch.service.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { SERIAL_PATTERN } from '../labels/format/label-url.js';
import { existingLabel, revokeRun, voidLabel } from '../labels/runs/labels.service.js';
import { LABEL_LANGS } from '../labels/print/label-face.js';
import { ROLL, rollLayout } from '../labels/print/label-layout.js';
import { faceFits } from '../labels/print/label-sheet.js';
import { sheetQuery, ZPL_DPMM, zplQuery } from '../labels/print/print.schema.js';
import { batchFormOf, batchInputOf, blankBatchForm, readBatchForm, type BatchFormValues } from './batch-form.js';
import { producerT } from './producer-screens.messages.js';
import {
  assertOwnLabel,
  batchesOfOwnProduct,
  ownBatch,
  ownProduct,
  ownRun,
  ownRunPage,
  producerHome,
  runsOfOwnBatch,
} from './producer-screens.service.js';
import { isBeingWritten, issueFromScreen } from './run-issuing.js';

/**
 * The producer's own screens, for a logged-in user of a producer (policy
 * 'producer_screen.*'): home (products and their certificates), batches (list, new,
 * edit until labelled), label runs (issue, follow a large one, download, revoke) and
 * voiding a label. /producer/events and /producer/scans are their own routers. Every
 * write calls the batch or label service (which asks the policy with the record and
 * audits), then 303 to the page that shows it; bad input shows the form again (400)
 * with what to correct, and nothing is written.
 */
export function producerScreensRouter(web: AccountWeb, deps: { keyring: Keyring; logger?: Logger }): Router {
  const router = Router();

  router.get('/producer', allow('producer_screen.home'), async (req, res) => {
    const t = tOf(req);
    const home = await producerHome(actorOf(req));
    show(web, req, res, 'home', { title: t('homeTitle'), ...home });
  });

  router.get('/producer/products/:productId', allow('producer_screen.read'), async (req, res) => {
    const actor = actorOf(req);
    const overview = await ownProduct(actor, idParam(req, 'productId', 'product/not_found'));
    const batches = await batchesOfOwnProduct(actor, overview.product);
    show(web, req, res, 'product', { title: productName(overview.product, pickLang(req)), overview, batches });
  });

  router.get('/producer/products/:productId/batches/new', allow('producer_screen.read'), async (req, res) => {
    const overview = await ownProduct(actorOf(req), idParam(req, 'productId', 'product/not_found'));
    showBatchForm(web, req, res, { overview, values: blankBatchForm(), problems: [], batchId: null });
  });

  router.post('/producer/products/:productId/batches', allow('producer_screen.write'), async (req, res) => {
    const actor = actorOf(req);
    const t = tOf(req);
    const overview = await ownProduct(actor, idParam(req, 'productId', 'product/not_found'), 'producer_screen.write');
    const values = readBatchForm(req.body);
    const parsed = batchInputOf(values, t);
    if ('problems' in parsed) return showBatchForm(web, req, res, { overview, values, problems: parsed.problems, batchId: null }, 400);
    try {
      const batch = await createBatch(actor, overview.product._id, parsed.input);
      res.redirect(303, `/producer/batches/${batch._id}?notice=created`);
    } catch (err) {
      if (err instanceof AppError && err.code === 'batch/duplicate_lot') return showBatchForm(web, req, res, { overview, values, problems: [t('problem.duplicateLot')], batchId: null }, 409);
      throw err;
    }
  });

  router.get('/producer/batches/:batchId', allow('producer_screen.read'), async (req, res) => {
    await showBatch(web, req, res, idParam(req, 'batchId', 'batch/not_found'), {});
  });

  router.get('/producer/batches/:batchId/edit', allow('producer_screen.read'), async (req, res) => {
    const actor = actorOf(req);
    const batch = await ownBatch(actor, idParam(req, 'batchId', 'batch/not_found'));
    const overview = await ownProduct(actor, batch.productId);
    if (batch.labelledSince) return showBatchForm(web, req, res, { overview, values: batchFormOf(batch), problems: [], batchId: batch._id, locked: true }, 409);
    showBatchForm(web, req, res, { overview, values: batchFormOf(batch), problems: [], batchId: batch._id });
  });

  router.post('/producer/batches/:batchId', allow('producer_screen.write'), async (req, res) => {
    const actor = actorOf(req);
    const t = tOf(req);
    const batch = await ownBatch(actor, idParam(req, 'batchId', 'batch/not_found'), 'producer_screen.write');
    const overview = await ownProduct(actor, batch.productId);
    const values = readBatchForm(req.body);
    const form = { overview, values, batchId: batch._id };
    if (batch.labelledSince) return showBatchForm(web, req, res, { ...form, problems: [], locked: true }, 409);
    const parsed = batchInputOf(values, t);
    if ('problems' in parsed) return showBatchForm(web, req, res, { ...form, problems: parsed.problems }, 400);
    try {
      await updateBatch(actor, batch._id, parsed.input);
    } catch (err) {
      if (err instanceof AppError && err.code === 'batch/labels_printed') return showBatchForm(web, req, res, { ...form, problems: [], locked: true }, 409);
      if (err instanceof AppError && err.code === 'batch/duplicate_lot') return showBatchForm(web, req, res, { ...form, problems: [t('problem.duplicateLot')] }, 409);
      throw err;
    }
    res.redirect(303, `/producer/batches/${batch._id}?notice=saved`);
  });

  router.post('/producer/batches/:batchId/runs', allow('producer_screen.write'), async (req, res) => {
    const actor = actorOf(req);
    const t = tOf(req);
    const batchId = idParam(req, 'batchId', 'batch/not_found');
    const batch = await ownBatch(actor, batchId, 'producer_screen.write');
    const { allowance } = await runsOfOwnBatch(actor, batch);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const countText = typeof body.count === 'string' ? body.count.trim() : '';
    const runKey = typeof body.runKey === 'string' ? body.runKey : '';
    const count = /^\d{1,6}$/.test(countText) ? Number(countText) : Number.NaN;
    if (!/^[0-9a-f-]{36}$/.test(runKey)) return showBatch(web, req, res, batchId, { problems: [t('problem.runKey')], count: countText }, 400);
    if (!(count >= 1 && count <= allowance.available)) {
      return showBatch(web, req, res, batchId, { problems: [t('problem.count', { max: Math.max(1, allowance.available) })], count: countText }, 400);
    }
    let runId: string;
    try {
      runId = (await issueFromScreen(actor, { batchId, count, idempotencyKey: runKey }, deps)).run._id;
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.code !== 'auth/forbidden' && err.code !== 'auth/unauthorized') {
        return showBatch(web, req, res, batchId, { problems: [errorCatalogue[err.code][pickLang(req)]], count: countText }, err.status);
      }
      throw err;
    }
    res.redirect(303, `/producer/runs/${runId}`);
  });

  router.get('/producer/runs/:runId', allow('producer_screen.read'), async (req, res) => {
    await showRun(web, req, res, idParam(req, 'runId', 'run/not_found'), {});
  });

  // The roll PDF and ZPL forms: the size and language checked here, where a problem can be
  // shown on the page, then on to the label-runs API's file (the session carries over).
  router.get('/producer/runs/:runId/print', allow('producer_screen.read'), async (req, res) => {
    const t = tOf(req);
    const runId = idParam(req, 'runId', 'run/not_found');
    const page = await ownRunPage(actorOf(req), runId);
    // The label's language is `labelLang` here: `lang` is the page's own.
    const { kind, labelLang, lang: _pageLang, ...size } = req.query as Record<string, unknown>;
    const rest = { ...size, ...(labelLang === undefined ? {} : { lang: labelLang }) };
    const zpl = kind === 'zpl';
    const parsed = zpl ? zplQuery.safeParse(rest) : sheetQuery.safeParse({ ...rest, format: 'roll' });
    if (!parsed.success) {
      const sizes = { minWidth: ROLL.minWidthMm, maxWidth: ROLL.maxWidthMm, minHeight: ROLL.minHeightMm, maxHeight: ROLL.maxHeightMm };
      return showRun(web, req, res, runId, { printProblem: t('problem.printSize', sizes) }, 400);
    }
    if (page.run.state !== 'issued') return showRun(web, req, res, runId, { problems: [t('notPrintable')] }, 409);
    const q = parsed.data as { width: number; height: number; lang: (typeof LABEL_LANGS)[number]; dpmm?: number };
    const header = { title: '', lang: q.lang, productName: { vi: page.product.name.vi, en: page.product.name.en ?? null }, producerName: page.producer.name, lot: page.batch.lotCode };
    if (!faceFits(rollLayout(q.width, q.height).label, header)) {
      return showRun(web, req, res, runId, { printProblem: t('problem.textDoesNotFit', { width: q.width, height: q.height }) }, 400);
    }
    const params = new URLSearchParams({ ...(zpl ? {} : { format: 'roll' }), width: String(q.width), height: String(q.height), ...(zpl ? { dpmm: String(q.dpmm) } : {}), lang: q.lang });
    res.redirect(303, `/api/v1/label-runs/${runId}/${zpl ? 'labels.zpl' : 'sheet.pdf'}?${params.toString()}`);
  });

  router.post('/producer/runs/:runId/resume', allow('producer_screen.write'), async (req, res) => {
    const actor = actorOf(req);
    const run = await ownRun(actor, idParam(req, 'runId', 'run/not_found'), 'producer_screen.write');
    if (run.state === 'pending' && !isBeingWritten(run._id)) {
      try {
        await issueFromScreen(actor, { batchId: run.batchId, count: run.count, idempotencyKey: run.idempotencyKey }, deps);
      } catch (err) {
        if (err instanceof AppError && err.status < 500 && err.code !== 'auth/forbidden') {
          return showRun(web, req, res, run._id, { problems: [errorCatalogue[err.code][pickLang(req)]] }, err.status);
        }
        throw err;
      }
    }
    res.redirect(303, `/producer/runs/${run._id}`);
  });

  router.post('/producer/runs/:runId/revoke', allow('producer_screen.write'), async (req, res) => {
    const actor = actorOf(req);
    const t = tOf(req);
    const run = await ownRun(actor, idParam(req, 'runId', 'run/not_found'), 'producer_screen.write');
    const reason = reasonOf(req.body);
    if (!reason) return showRun(web, req, res, run._id, { revokeProblem: t('problem.reason') }, 400);
    try {
      await revokeRun(actor, run._id, reason);
    } catch (err) {
      if (err instanceof AppError && err.code === 'run/already_revoked') return showRun(web, req, res, run._id, { problems: [t('problem.alreadyRevoked')] }, 409);
      throw err;
    }
    res.redirect(303, `/producer/runs/${run._id}?notice=revoked`);
  });

  router.get('/producer/labels/void', allow('producer_screen.home'), (req, res) => {
    const serial = typeof req.query.serial === 'string' && SERIAL_PATTERN.test(req.query.serial) ? req.query.serial : '';
    showVoid(web, req, res, { serial, reason: '', problems: [] });
  });

  router.post('/producer/labels/void', allow('producer_screen.write'), async (req, res) => {
    const actor = actorOf(req);
    const t = tOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const serial = typeof body.serial === 'string' ? body.serial.trim() : '';
    const reason = reasonOf(body);
    const typed = { serial: serial.slice(0, 40), reason: typeof body.reason === 'string' ? body.reason.slice(0, 1000) : '' };
    const problems = [...(SERIAL_PATTERN.test(serial) ? [] : [t('problem.serial')]), ...(reason ? [] : [t('problem.reason')])];
    if (problems.length) return showVoid(web, req, res, { ...typed, problems }, 400);
    let label;
    try {
      label = await existingLabel(serial);
    } catch (err) {
      if (err instanceof AppError && err.code === 'label/not_found') return showVoid(web, req, res, { ...typed, problems: [t('problem.labelNotFound')] }, 404);
      throw err;
    }
    assertOwnLabel(actor, label);
    try {
      await voidLabel(actor, serial, reason!);
    } catch (err) {
      if (err instanceof AppError && err.code === 'label/not_active') return showVoid(web, req, res, { ...typed, problems: [t('problem.labelNotActive')] }, 409);
      throw err;
    }
    res.redirect(303, `/producer/runs/${label.runId}?notice=voided&serial=${encodeURIComponent(serial)}`);
  });

  router.use(loginInsteadOf401(web));
  return router;
}

const tOf = (req: Request) => producerT(pickLang(req));

/** A record id from the path; one that cannot be an id names nothing (404, as an unknown id). */
function idParam(req: Request, name: string, code: 'product/not_found' | 'batch/not_found' | 'run/not_found'): string {
  const value = String(req.params[name] ?? '');
  if (!ID_PATTERN.test(value)) throw notFound(code, `No record ${value.slice(0, 40)}.`);
  return value;
}

function reasonOf(body: unknown): string | null {
  const raw = (body as Record<string, unknown> | undefined)?.reason;
  const reason = typeof raw === 'string' ? raw.trim() : '';
  return reason.length >= 3 && reason.length <= 1000 ? reason : null;
}

const productName = (p: { name: { vi: string; en?: string | null } }, lang: 'vi' | 'en') => (lang === 'en' && p.name.en ? p.name.en : p.name.vi);

function show(web: AccountWeb, req: Request, res: Response, view: string, data: { title: string } & Record<string, unknown>, status = 200): void {
  const lang = pickLang(req);
  showScreen(web, req, res, `producer/${view}`, {
    t: producerT(lang),
    productName: (p: Parameters<typeof productName>[0]) => productName(p, lang),
    day: (d: Date) => formatDay(d, lang),
    instant: (d: Date) => formatInstant(d, lang),
    ...data,
  }, status);
}

type BatchFormPage = { overview: Awaited<ReturnType<typeof ownProduct>>; values: BatchFormValues; problems: string[]; batchId: string | null; locked?: boolean };

function showBatchForm(web: AccountWeb, req: Request, res: Response, page: BatchFormPage, status = 200): void {
  const t = tOf(req);
  show(web, req, res, 'batch-form', { title: t(page.batchId ? 'batchEditTitle' : 'batchNewTitle'), units: BATCH_UNITS, locked: false, ...page }, status);
}

async function showBatch(web: AccountWeb, req: Request, res: Response, batchId: string, extras: { problems?: string[]; count?: string }, status = 200): Promise<void> {
  const actor = actorOf(req);
  const t = tOf(req);
  const batch = await ownBatch(actor, batchId);
  const [overview, { runs, allowance }] = await Promise.all([ownProduct(actor, batch.productId), runsOfOwnBatch(actor, batch)]);
  const notice = noticeOf(req, t);
  show(web, req, res, 'batch', {
    title: t('batchTitle', { lot: batch.lotCode }),
    batch, overview, runs, allowance, notice,
    problems: extras.problems ?? [],
    count: extras.count ?? '',
    // A new key for every form shown: sending the same form twice issues one run.
    runKey: randomUUID(),
    certified: overview.state === 'in_force' || overview.state === 'expiring',
    unitName: (code: string) => (pickLang(req) === 'vi' ? (BATCH_UNITS.find((u) => u.code === code)?.vi ?? code) : code),
  }, status);
}

async function showRun(web: AccountWeb, req: Request, res: Response, runId: string, extras: { problems?: string[]; revokeProblem?: string; printProblem?: string }, status = 200): Promise<void> {
  const t = tOf(req);
  const page = await ownRunPage(actorOf(req), runId);
  const beingWritten = isBeingWritten(runId);
  show(web, req, res, 'run', {
    title: t('runTitle', { id: runId }),
    ...page,
    beingWritten,
    notice: noticeOf(req, t),
    problems: extras.problems ?? [],
    revokeProblem: extras.revokeProblem ?? null,
    printProblem: extras.printProblem ?? null,
    labelLangs: LABEL_LANGS,
    dpmms: ZPL_DPMM,
    roll: ROLL,
    scripts: page.run.state === 'pending' ? ['/static/producer-run.js'] : [],
  }, status);
}

function showVoid(web: AccountWeb, req: Request, res: Response, data: { serial: string; reason: string; problems: string[] }, status = 200): void {
  show(web, req, res, 'void', { title: tOf(req)('voidTitle'), ...data }, status);
}

function noticeOf(req: Request, t: ReturnType<typeof tOf>): string | null {
  const notice = req.query.notice;
  const serial = typeof req.query.serial === 'string' && SERIAL_PATTERN.test(req.query.serial) ? req.query.serial : '';
  if (notice === 'created') return t('created');
  if (notice === 'saved') return t('saved');
  if (notice === 'revoked') return t('revoked');
  if (notice === 'voided' && serial) return t('voided', { serial });
  return null;
}
