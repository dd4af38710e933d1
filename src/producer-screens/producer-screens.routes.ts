import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors/app-error.js';
import { errorCatalogue } from '../errors/catalogue.js';
import { pickLang } from '../http/language.js';
import type { Logger } from '../logger.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { loginInsteadOf401, type AccountWeb } from '../accounts/login.routes.js';
import { BATCH_UNITS } from '../batches/batch.schema.js';
import { createBatch, updateBatch } from '../batches/batch.service.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { batchFormOf, batchInputOf, blankBatchForm, readBatchForm, type BatchFormValues } from './batch-form.js';
import { batchesOfOwnProduct, ownBatch, ownProduct, producerHome, runsOfOwnBatch } from './producer-screens.service.js';
import { idParam, noticeOf, productName, show, tOf } from './producer-screen-pages.routes.js';
import { producerRunRoutes } from './run-screens.routes.js';
import { issueFromScreen } from './run-issuing.js';

/**
 * The producer's own screens, for a logged-in user of a producer (policy
 * 'producer_screen.*'): home (products and their certificates), batches (list, new,
 * edit until labelled) and issuing a label run; a run's pages and voiding a label are
 * run-screens.routes.ts. /producer/events and /producer/scans are their own routers. Every
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

  producerRunRoutes(router, web, deps);

  router.use(loginInsteadOf401(web));
  return router;
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
