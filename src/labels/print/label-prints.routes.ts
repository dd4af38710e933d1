import { Router, type Response } from 'express';
import type { Config } from '../../config.js';
import { AppError } from '../../errors/app-error.js';
import { may } from '../../policy/policy.js';
import { actorOf, allow } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import { writeLabelCsv, type CsvRow } from './label-csv.js';
import { activeLabelsOfRun, getLabel, voidLabel, type PrintedLabel } from '../runs/labels.service.js';
import { printableLabel, printContext, type PrintContext } from './print-context.js';
import { optionalReasonBody, pngQuery, recordIdParam, serialParam } from '../runs/label-run.schema.js';
import { labelUrlOf, presentLabel, productKeyOf } from '../runs/label.presenter.js';
import { labelQrPng, labelQrSvg } from './qr.js';
import { writeLabelSheet, type SheetLabel } from './label-sheet.js';

/** One label's QR (SVG, PNG), a run's print sheet (PDF) and printer file (CSV), voiding. */
export function labelOutputsRouter(deps: { config: Config }): Router {
  const router = Router();
  const base = deps.config.publicBaseUrl;

  const urlOf = (ctx: PrintContext, label: PrintedLabel) => labelUrlOf(base, label, ctx.batch.lotCode, productKeyOf(ctx.product));
  const privateFile = (res: Response, type: string, filename: string) => {
    res.type(type);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `inline; filename="${filename}"`);
  };

  router.get('/labels/:serial.svg', allow('label.print'), async (req, res) => {
    const serial = parseInput(serialParam, req.params.serial);
    const ctx = await printableLabel(actorOf(req), serial);
    privateFile(res, 'image/svg+xml', `${serial}.svg`);
    res.send(await labelQrSvg(urlOf(ctx, ctx.label)));
  });

  router.get('/labels/:serial.png', allow('label.print'), async (req, res) => {
    const serial = parseInput(serialParam, req.params.serial);
    const { size } = parseInput(pngQuery, req.query);
    const ctx = await printableLabel(actorOf(req), serial);
    privateFile(res, 'image/png', `${serial}.png`);
    res.send(await labelQrPng(urlOf(ctx, ctx.label), size));
  });

  router.get('/labels/:serial', allow('label.read'), async (req, res) => {
    const serial = parseInput(serialParam, req.params.serial);
    const label = await getLabel(actorOf(req), serial);
    // The printed URL exists only for a label of an issued run (see printContext), and is
    // shown only to who may print it: with the URL, anyone can make a working copy.
    const ctx = may(actorOf(req), 'label.print', label)
      ? await printContext(actorOf(req), label.runId).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'run/not_printable') return null;
          throw err;
        })
      : null;
    res.json(presentLabel(label, ctx ? urlOf(ctx, label) : null));
  });

  router.post('/labels/:serial/void', allow('label.void'), async (req, res) => {
    const serial = parseInput(serialParam, req.params.serial);
    const { reason } = parseInput(optionalReasonBody, req.body);
    res.json(presentLabel(await voidLabel(actorOf(req), serial, reason), null));
  });

  router.get('/label-runs/:id/sheet.pdf', allow('label.print'), async (req, res) => {
    const ctx = await printContext(actorOf(req), parseInput(recordIdParam, req.params.id));
    privateFile(res, 'application/pdf', `labels-${ctx.run._id}.pdf`);
    const header = { productName: ctx.product.name?.vi ?? '', lot: ctx.batch.lotCode, title: `OCOP labels ${ctx.run._id}` };
    await writeLabelSheet(res, header, sheetLabels(ctx, urlOf));
  });

  router.get('/label-runs/:id/labels.csv', allow('label.print'), async (req, res) => {
    const ctx = await printContext(actorOf(req), parseInput(recordIdParam, req.params.id));
    privateFile(res, 'text/csv; charset=utf-8', `labels-${ctx.run._id}.csv`);
    await writeLabelCsv(res, csvRows(ctx, urlOf));
  });

  return router;
}

async function* sheetLabels(ctx: PrintContext, urlOf: (ctx: PrintContext, l: PrintedLabel) => string): AsyncIterable<SheetLabel> {
  for await (const l of activeLabelsOfRun(ctx.run)) yield { serial: l._id, url: urlOf(ctx, l), stars: l.stars };
}

async function* csvRows(ctx: PrintContext, urlOf: (ctx: PrintContext, l: PrintedLabel) => string): AsyncIterable<CsvRow> {
  for await (const l of activeLabelsOfRun(ctx.run)) {
    yield { seq: l.seq, serial: l._id, url: urlOf(ctx, l), lot: ctx.batch.lotCode, stars: l.stars, valid_until: l.validUntil };
  }
}
