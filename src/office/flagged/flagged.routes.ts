import { Router, type Request } from 'express';
import { stringify } from 'csv-stringify/sync';
import { translator } from '../../i18n.js';
import { pickLang } from '../../http/language.js';
import { actorOf, allow } from '../../policy/principal-of-request.js';
import { findProvince, placeName, provinces } from '../../reference/admin-units.js';
import { gtinProblem } from '../../reference/gs1.js';
import { loginInsteadOf401, showScreen, type AccountWeb } from '../../accounts/login.routes.js';
import { flaggedScansForDownload, listFlaggedScans, type FlaggedScan, type FlaggedScanFilter } from '../../verify/scans/flagged-scans.js';
import { flaggedMessages } from './flagged.messages.js';

/**
 * /office/flagged: scans flagged as forged or as suspected copies, filtered by days,
 * product (id or GTIN), province and flag, in pages of 50; /office/flagged.csv the same
 * rows as a CSV file. Filters are a plain GET form, so the page works without scripts
 * and a filtered list is a link that can be shared.
 */

const PAGE_SIZE = 50;
const translators = { vi: translator(flaggedMessages, 'vi'), en: translator(flaggedMessages, 'en') };
type T = (typeof translators)['vi'];
const provinceList = provinces.map((p) => ({ code: p.code, name: p.name }));

type Values = { from: string; to: string; product: string; province: string; kind: string };

function readFilters(req: Request, t: T): { values: Values; filter: FlaggedScanFilter; problems: string[]; page: number } {
  const q = req.query as Record<string, unknown>;
  const text = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).trim().slice(0, 40) : '');
  const values: Values = { from: text('from'), to: text('to'), product: text('product'), province: text('province'), kind: text('kind') };
  const problems: string[] = [];
  const filter: FlaggedScanFilter = {};
  const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
  for (const k of ['from', 'to'] as const) {
    if (!values[k]) continue;
    if (isDay(values[k])) filter[k] = values[k];
    else if (!problems.includes(t('problem.date'))) problems.push(t('problem.date'));
  }
  if (filter.from && filter.to && filter.from > filter.to) problems.push(t('problem.range'));
  if (values.product) {
    const compact = values.product.replace(/[\s-]/g, '');
    if (/^[0-9a-z]{10}$/.test(values.product) && !/^\d+$/.test(values.product)) filter.productId = values.product;
    else if (/^\d{8,14}$/.test(compact) && !gtinProblem(compact)) filter.gtin = compact.padStart(14, '0');
    else problems.push(t('problem.product'));
  }
  if (values.province) {
    if (findProvince(values.province)) filter.province = values.province;
    else problems.push(t('problem.province'));
  }
  if (values.kind === 'forged' || values.kind === 'clone') filter.kind = values.kind;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(text('page'), 10) || 1));
  return { values, filter, problems, page };
}

const queryOf = (values: Values, extra: Record<string, string> = {}) =>
  new URLSearchParams(Object.entries({ ...values, ...extra }).filter(([, v]) => v !== '')).toString();

/** Vietnam time, minutes: what a person in the office reads. */
const vietnamTime = (d: Date) => new Date(d.getTime() + 7 * 60 * 60 * 1000).toISOString().slice(0, 16).replace('T', ' ');

export function flaggedScansRouter(web: AccountWeb): Router {
  const router = Router();

  router.get('/office/flagged', allow('flagged_scan.read'), async (req, res) => {
    const lang = pickLang(req);
    const t = translators[lang];
    const { values, filter, problems, page } = readFilters(req, t);
    const result = problems.length
      ? { items: [], page: { limit: PAGE_SIZE, offset: 0, total: 0 } }
      : await listFlaggedScans(actorOf(req), filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(result.page.total / PAGE_SIZE));
    showScreen(web, req, res, 'office/flagged/list', {
      title: t('title'),
      t,
      values,
      problems,
      provinces: provinceList,
      rows: result.items.map((s) => rowOf(s, t)),
      total: result.page.total,
      page,
      pages,
      previousHref: page > 1 ? `/office/flagged?${queryOf(values, { lang, page: String(page - 1) })}` : null,
      nextHref: page < pages ? `/office/flagged?${queryOf(values, { lang, page: String(page + 1) })}` : null,
      csvHref: `/office/flagged.csv?${queryOf(values)}`,
      switchHref: `/office/flagged?${queryOf(values, { lang: lang === 'vi' ? 'en' : 'vi' })}`,
    }, problems.length ? 400 : 200);
  });

  router.get('/office/flagged.csv', allow('flagged_scan.read'), async (req, res) => {
    const t = translators[pickLang(req)];
    const { filter, problems } = readFilters(req, t);
    if (problems.length) {
      res.status(400).type('text/plain; charset=utf-8').send(`${problems.join('\n')}\n`);
      return;
    }
    const rows = await flaggedScansForDownload(actorOf(req), filter);
    const header = ['time_utc', 'flag', 'verdict', 'serial', 'gtin', 'product_id', 'province', 'place'];
    const body = stringify([header, ...rows.map((s) => [s.time.toISOString(), s.kind, s.verdict, s.serial, s.gtin ?? '', s.productId ?? '', s.province ?? '', s.place ?? ''])]);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', 'attachment; filename="flagged-scans.csv"');
    // A BOM, so that Excel reads the file as UTF-8.
    res.type('text/csv; charset=utf-8').send(`\uFEFF${body}`);
  });

  router.use(loginInsteadOf401(web));
  return router;
}

function rowOf(s: FlaggedScan, t: T) {
  return {
    time: vietnamTime(s.time),
    kind: s.kind,
    kindText: t(`kind.${s.kind}`),
    serial: s.serial,
    gtin: s.gtin,
    productId: s.productId,
    province: s.province ? (findProvince(s.province)?.name ?? s.province) : t('unknown'),
    place: s.place ? (placeName(s.place) ?? s.place) : t('unknown'),
  };
}
