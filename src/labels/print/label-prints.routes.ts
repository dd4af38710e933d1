import { Router, type Response } from 'express';
import type { Config } from '../../config.js';
import { AppError, badRequest } from '../../errors/app-error.js';
import { may } from '../../policy/policy.js';
import { producerResource } from '../../registry/producers/producer.service.js';
import { actorOf, allow } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import { writeLabelCsv, type CsvRow } from './label-csv.js';
import { activeLabelsOfRun, getLabel, voidLabel, type PrintedLabel } from '../runs/labels.service.js';
import { printableLabel, printContext, type PrintContext } from './print-context.js';
import { optionalReasonBody, pngQuery, recordIdParam, serialParam } from '../runs/label-run.schema.js';
import { labelUrlOf, presentLabel, productKeyOf } from '../runs/label.presenter.js';
import { labelQrSvg, QR_QUIET_ZONE } from './qr.js';
import { labelQrPng, MIN_PNG_MODULE_PX, minPngSize } from './qr-png.js';
import { faceFits, writeLabelPdf, type SheetHeader, type SheetLabel } from './label-sheet.js';
import { ROLL, rollLayout, sheetLayout } from './label-layout.js';
import { LABEL_LANGS, MIN_TYPE, type LabelLang } from './label-face.js';
import { sheetQuery, zplQuery } from './print.schema.js';
import { writeLabelZpl } from './label-zpl.js';

/** One label's QR (SVG, PNG); a run's print outputs (A4 sheet or roll labels as PDF, ZPL) and printer file (CSV); voiding. */
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
    const url = urlOf(ctx, ctx.label);
    const { minSize, modules } = minPngSize(url);
    if (size < minSize) {
      throw badRequest(
        'label/png_too_small',
        `Label ${serial}'s QR code has ${modules} × ${modules} modules and a quiet zone of ${2 * QR_QUIET_ZONE}: at ${size} px it would not scan. Ask for size=${minSize} or more (${MIN_PNG_MODULE_PX} px per module), or use the SVG.`,
        { minSize, modules },
      );
    }
    privateFile(res, 'image/png', `${serial}.png`);
    res.send(labelQrPng(url, size));
  });

  router.get('/labels/:serial', allow('label.read'), async (req, res) => {
    const serial = parseInput(serialParam, req.params.serial);
    const label = await getLabel(actorOf(req), serial);
    // The printed URL exists only for a label of an issued run (see printContext), and is
    // shown only to who may print it: with the URL, anyone can make a working copy.
    const ctx = may(actorOf(req), 'label.print', await producerResource(actorOf(req), label.producerId))
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
    const id = parseInput(recordIdParam, req.params.id);
    const query = parseInput(sheetQuery, req.query);
    const ctx = await printContext(actorOf(req), id);
    const header = headerOf(ctx, query.lang);
    const layout = query.format === 'roll' ? rollLayout(query.width, query.height) : sheetLayout();
    if (!faceFits(layout.label, header)) throw labelTooSmall(header, query.format === 'roll' ? query : null);
    privateFile(res, 'application/pdf', `labels-${ctx.run._id}${query.format === 'roll' ? `-${query.width}x${query.height}mm` : ''}.pdf`);
    await writeLabelPdf(res, header, sheetLabels(ctx, urlOf), layout);
  });

  router.get('/label-runs/:id/labels.zpl', allow('label.print'), async (req, res) => {
    const id = parseInput(recordIdParam, req.params.id);
    const query = parseInput(zplQuery, req.query);
    const ctx = await printContext(actorOf(req), id);
    const header = headerOf(ctx, query.lang);
    const layout = rollLayout(query.width, query.height);
    if (!faceFits(layout.label, header)) throw labelTooSmall(header, query);
    privateFile(res, 'text/plain; charset=utf-8', `labels-${ctx.run._id}-${query.width}x${query.height}mm-${query.dpmm}dpmm.zpl`);
    await writeLabelZpl(res, header, sheetLabels(ctx, urlOf), { layout, dpmm: query.dpmm, graphicPrefix: `OCOP${ctx.run._id.slice(0, 3).toUpperCase()}` });
  });

  router.get('/label-runs/:id/labels.csv', allow('label.print'), async (req, res) => {
    const ctx = await printContext(actorOf(req), parseInput(recordIdParam, req.params.id));
    privateFile(res, 'text/csv; charset=utf-8', `labels-${ctx.run._id}.csv`);
    await writeLabelCsv(res, csvRows(ctx, urlOf));
  });

  return router;
}

async function* sheetLabels(ctx: PrintContext, urlOf: (ctx: PrintContext, l: PrintedLabel) => string): AsyncIterable<SheetLabel> {
  for await (const l of activeLabelsOfRun(ctx.run)) yield { serial: l._id, url: urlOf(ctx, l), stars: l.stars, validUntil: l.validUntil };
}

function headerOf(ctx: PrintContext, lang: LabelLang): SheetHeader {
  return {
    title: `OCOP labels ${ctx.run._id}`,
    lang,
    productName: { vi: ctx.product.name?.vi ?? '', en: ctx.product.name?.en ?? null },
    producerName: ctx.producer.name,
    lot: ctx.batch.lotCode,
  };
}

/** 400 label/size_too_small, saying what would fit: another language, or a wider label of the same height. */
function labelTooSmall(header: SheetHeader, size: { width: number; height: number } | null): AppError {
  const fitsAt = (width: number, height: number, lang: LabelLang) => faceFits(rollLayout(width, height).label, { ...header, lang });
  if (!size) return badRequest('label/size_too_small', `The labels' text (lang=${header.lang}) does not fit the A4 sheet's 64 × 34 mm labels: use lang=vi or lang=en.`, { lang: header.lang });
  const langs = LABEL_LANGS.filter((l) => l !== header.lang && fitsAt(size.width, size.height, l));
  let width: number | null = null;
  for (let w = Math.ceil(size.width); w <= ROLL.maxWidthMm && width === null; w++) if (fitsAt(w, size.height, header.lang)) width = w;
  const options = [...langs.map((l) => `lang=${l}`), ...(width ? [`width=${width} (or more) at this height`] : [])];
  return badRequest(
    'label/size_too_small',
    `At ${size.width} × ${size.height} mm the labels' text (lang=${header.lang}) does not fit even in the smallest type (${MIN_TYPE} pt)${options.length ? `: use ${options.join(', or ')}` : ': use a larger label'}.`,
    { width: size.width, height: size.height, lang: header.lang, fitsWithLang: langs, minWidth: width },
  );
}

async function* csvRows(ctx: PrintContext, urlOf: (ctx: PrintContext, l: PrintedLabel) => string): AsyncIterable<CsvRow> {
  for await (const l of activeLabelsOfRun(ctx.run)) {
    yield { seq: l.seq, serial: l._id, url: urlOf(ctx, l), lot: ctx.batch.lotCode, stars: l.stars, valid_until: l.validUntil };
  }
}
