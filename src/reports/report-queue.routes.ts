import { Router, type Request, type Response } from 'express';
import { loginInsteadOf401, showScreen, type AccountWeb } from '../accounts/login.routes.js';
import { formatInstant } from '../display-dates.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { pickLang } from '../http/language.js';
import { translator, type Lang } from '../i18n.js';
import { pagingOf } from '../paging.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { provinces } from '../reference/admin-units.js';
import { MAX_STATUS_NOTE, NEXT_STATUSES, REPORT_KINDS, REPORT_STATUSES, type ReportStatus } from './report-kinds.js';
import { reportQueueMessages } from './report-queue.messages.js';
import { reportListSchema } from './report.schema.js';
import { listReports, setReportStatus } from './report.service.js';

/**
 * The shoppers' reports as a work queue: /inspect/reports for market inspectors and
 * /office/reports for the programme office, the same list with its filters (status,
 * province), and on each report a form moving it on (open → checked → closed) with a
 * note. Both pages post to one route, which comes back to the page it was sent from.
 */

const translators = { vi: translator(reportQueueMessages, 'vi'), en: translator(reportQueueMessages, 'en') };
const tOf = (lang: Lang) => translators[lang];
const PAGES = { inspect: '/inspect/reports', office: '/office/reports' } as const;
type Page = keyof typeof PAGES;
const provinceList = provinces.map((p) => ({ code: p.code, name: p.name }));

async function showQueue(web: AccountWeb, req: Request, res: Response, page: Page, problems: string[] = [], status = 200): Promise<void> {
  const lang = pickLang(req);
  const t = tOf(lang);
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if ((k === 'status' || k === 'province' || k === 'page') && typeof v === 'string' && v.trim()) raw[k] = v.trim();
  let list = null;
  let query: ReturnType<typeof reportListSchema.parse> | null = null;
  try {
    query = parseInput(reportListSchema, { limit: '50', ...raw });
    list = await listReports({ status: query.status, province: query.province }, pagingOf(query), actorOf(req));
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'request/invalid')) throw err;
    const details = (err.details as { problems: { path: string; message: string }[] }).problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    problems = [...problems, t('problem.filters', { details })];
    status = 400;
  }
  const pageNumber = query ? Math.floor(pagingOf(query).offset / query.limit) + 1 : 1;
  const pageHref = (n: number) => {
    const q = new URLSearchParams({ ...(raw.status ? { status: raw.status } : {}), ...(raw.province ? { province: raw.province } : {}), page: String(n), lang });
    return `${PAGES[page]}?${q.toString()}`;
  };
  const reports = (list?.items ?? []).map((r) => ({
    ...r,
    receivedText: formatInstant(new Date(r.createdAt), lang),
    next: NEXT_STATUSES[r.status as ReportStatus],
    history: r.history.map((h) => ({ ...h, atText: formatInstant(new Date(h.at), lang) })),
  }));
  showScreen(web, req, res, 'inspect/reports', {
    title: t(page === 'office' ? 'officeTitle' : 'title'),
    t,
    page,
    path: PAGES[page],
    findingsHref: page === 'office' ? '/office/findings' : '/inspect/findings',
    values: { status: raw.status ?? '', province: raw.province ?? '' },
    statuses: REPORT_STATUSES,
    kinds: REPORT_KINDS,
    provinces: provinceList,
    reports,
    total: list?.page.total ?? 0,
    pageNumber,
    previousHref: list && list.page.offset > 0 ? pageHref(pageNumber - 1) : null,
    nextHref: list && list.page.offset + list.page.limit < list.page.total ? pageHref(pageNumber + 1) : null,
    changed: typeof req.query.changed === 'string' ? req.query.changed : null,
    problems,
    maxNote: MAX_STATUS_NOTE,
  }, status);
}

export function reportQueueRouter(web: AccountWeb): Router {
  const router = Router();
  router.get(PAGES.inspect, allow('report.read'), (req, res) => showQueue(web, req, res, 'inspect'));
  router.get(PAGES.office, allow('office.read_queues'), (req, res) => showQueue(web, req, res, 'office'));

  router.post('/inspect/reports/:receipt/status', allow('report.update_status'), async (req, res) => {
    const lang = pickLang(req);
    const t = tOf(lang);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    const page: Page = text('back') === 'office' ? 'office' : 'inspect';
    const receipt = String(req.params.receipt);
    const to = text('status');
    const note = text('note');
    const problems: string[] = [];
    if (!(REPORT_STATUSES as readonly string[]).includes(to)) problems.push(t('problem.status'));
    if (note.length > MAX_STATUS_NOTE) problems.push(t('problem.note'));
    if (problems.length) return showQueue(web, req, res, page, problems, 400);
    try {
      await setReportStatus(actorOf(req), receipt, to as ReportStatus, note);
    } catch (err) {
      if (err instanceof AppError && err.code === 'report/status_changed') return showQueue(web, req, res, page, [t('problem.changed', { receipt })], 409);
      throw err;
    }
    res.redirect(303, `${PAGES[page]}?changed=${encodeURIComponent(receipt)}&lang=${lang}`);
  });

  router.use(loginInsteadOf401(web));
  return router;
}
