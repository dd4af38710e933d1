import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { Config } from '../config.js';
import { AppError, notFound } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { translator, type Lang } from '../i18n.js';
import { pickLang } from '../http/language.js';
import { renderPage } from '../http/views.js';
import { rateLimit } from '../limits/rate-limit.js';
import { pagingOf } from '../paging.js';
import { allow, callerOf, openRoute } from '../policy/principal-of-request.js';
import { provinces } from '../reference/admin-units.js';
import { REPORT_KINDS } from './report-kinds.js';
import { reportListSchema } from './report.schema.js';
import { reportMessages } from './report.messages.js';
import { reencodePhoto, type ReportPhoto } from './report-photo.js';
import { createReport, findReport, findReportPhoto, listReports, RECEIPT_PATTERN, type NewReport } from './report.service.js';

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const LIMITS = { label: 2000, details: 1000, commune: 100, place: 200, contact: 200 } as const;
type Field = keyof typeof LIMITS | 'kind' | 'province';
type Values = Record<Field, string>;

const translators = { vi: translator(reportMessages, 'vi'), en: translator(reportMessages, 'en') };
const provinceList = provinces.map((p) => ({ code: p.code, name: p.name }));

// One photo and a few short fields; anything larger is refused while it streams in.
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 10, fieldSize: 4000, parts: 12 },
}).single('photo');

/**
 * "Report this product": the form every non-genuine verdict links to, for anyone, no
 * account. GET /report shows it (the label address prefilled from ?label=), POST /report
 * stores the report and shows its receipt number. Bad input re-renders the form with
 * what was typed and what to correct, in the page's language.
 */
export function reportPagesRouter(config: Config): Router {
  const router = Router();
  router.get('/report', openRoute('site.read', (req, res) => {
    const label = typeof req.query.label === 'string' ? req.query.label.slice(0, LIMITS.label) : '';
    showForm(req, res, { ...blank(), label }, [], 200);
  }));

  const limit =
    config.rateLimits.reports > 0
      ? [rateLimit(config, { name: 'report', points: config.rateLimits.reports, windowSec: 600, what: 'Too many reports from this address', code: 'report/rate_limited' })]
      : [];
  router.post('/report', ...limit, openRoute('report.create', (req, res, next) => {
    upload(req, res, (err: unknown) => {
      receive(req, res, err).catch(next);
    });
  }));
  return router;
}

async function receive(req: Request, res: Response, uploadError: unknown): Promise<void> {
  const lang = pickLang(req);
  const t = translators[lang];
  const body = (req.body ?? {}) as Record<string, unknown>;
  const text = (name: Field) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const values: Values = { label: text('label'), kind: text('kind'), details: text('details'), province: text('province'), commune: text('commune'), place: text('place'), contact: text('contact') };

  if (uploadError && !(uploadError instanceof multer.MulterError && uploadError.code === 'LIMIT_FILE_SIZE')) throw uploadError;
  const problems: string[] = [];
  if (uploadError) problems.push(t('problem.photoTooBig'));
  if (!(REPORT_KINDS as readonly string[]).includes(values.kind)) problems.push(t('problem.kind'));
  if (!provinceList.some((p) => p.code === values.province)) problems.push(t('problem.province'));
  if (values.label && !/^\/(01|p)\//.test(values.label)) problems.push(t('problem.label'));
  for (const [field, max] of Object.entries(LIMITS) as [keyof typeof LIMITS, number][]) {
    if (values[field].length > max) problems.push(t('problem.tooLong', { field: fieldName(field, lang), max }));
  }
  let photo: ReportPhoto | null = null;
  if (problems.length === 0 && req.file && req.file.size > 0) {
    try {
      photo = await reencodePhoto(req.file.buffer);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'report/photo_unreadable')) throw err;
      problems.push(t('problem.photo'));
    }
  }
  if (problems.length > 0) return showForm(req, res, values, problems, 400);

  const report: NewReport = {
    label: values.label || null,
    kind: values.kind as NewReport['kind'],
    details: values.details,
    provinceCode: values.province,
    commune: values.commune,
    place: values.place,
    contact: values.contact || null,
  };
  const { receipt } = await createReport(report, photo);
  res.setHeader('Cache-Control', 'no-store');
  renderPage(req, res, 'reports/receipt', { title: t('receiptTitle'), lang, t, receipt, labelHref: report.label }, 201);
}

function fieldName(field: keyof typeof LIMITS, lang: Lang): string {
  const t = translators[lang];
  return field === 'label' ? t('labelScanned') : t(field);
}

const blank = (): Values => ({ label: '', kind: '', details: '', province: '', commune: '', place: '', contact: '' });

function showForm(req: Request, res: Response, values: Values, problems: string[], status: number): void {
  const lang = pickLang(req);
  const t = translators[lang];
  res.setHeader('Cache-Control', 'no-store');
  const switchHref = `/report?lang=${lang === 'vi' ? 'en' : 'vi'}${values.label ? `&label=${encodeURIComponent(values.label)}` : ''}`;
  renderPage(req, res, 'reports/form', { title: t('title'), lang, t, values, problems, kinds: REPORT_KINDS, provinces: provinceList, switchHref }, status);
}

/** The reports, for the programme office and inspectors (they name products and may carry a reporter's contact). */
export function reportsApiRouter(): Router {
  const router = Router();
  router.get('/reports', allow('report.read'), async (req, res) => {
    const q = parseInput(reportListSchema, req.query);
    res.json(await listReports({ status: q.status, province: q.province }, pagingOf(q), callerOf(req)));
  });
  router.get('/reports/:receipt', allow('report.read'), async (req, res) => {
    const receipt = String(req.params.receipt);
    const report = RECEIPT_PATTERN.test(receipt) ? await findReport(receipt, callerOf(req)) : null;
    if (!report) throw notFound('report/not_found', `No report ${receipt}.`);
    res.json(report);
  });
  router.get('/reports/:receipt/photo', allow('report.read'), async (req, res) => {
    const receipt = String(req.params.receipt);
    const photo = RECEIPT_PATTERN.test(receipt) ? await findReportPhoto(receipt, callerOf(req)) : null;
    if (!photo) throw notFound('report/not_found', `Report ${receipt} has no photo.`);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.type('image/jpeg').send(photo);
  });
  return router;
}
