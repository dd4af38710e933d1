import type { Request, Response, Router } from 'express';
import { AppError } from '../errors/app-error.js';
import { errorCatalogue } from '../errors/catalogue.js';
import { pickLang } from '../http/language.js';
import type { Logger } from '../logger.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import type { AccountWeb } from '../accounts/login.routes.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { SERIAL_PATTERN } from '../labels/format/label-url.js';
import { existingLabel, revokeRun, voidLabel } from '../labels/runs/labels.service.js';
import { LABEL_LANGS } from '../labels/print/label-face.js';
import { ROLL, rollLayout } from '../labels/print/label-layout.js';
import { faceFits } from '../labels/print/label-sheet.js';
import { sheetQuery, ZPL_DPMM, zplQuery } from '../labels/print/print.schema.js';
import { assertOwnLabel, ownRun, ownRunPage } from './producer-screens.service.js';
import { idParam, noticeOf, reasonOf, show, tOf } from './producer-screen-pages.routes.js';
import { isBeingWritten, issueFromScreen } from './run-issuing.js';

/**
 * A producer's label runs on its screens (producer-screens.routes.ts mounts them): a
 * run's page (a large one followed while it is written), its roll PDF and ZPL forms,
 * resuming a run that stopped, revoking a run, and voiding one label.
 */
export function producerRunRoutes(router: Router, web: AccountWeb, deps: { keyring: Keyring; logger?: Logger }): void {
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
