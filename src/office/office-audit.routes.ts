import type { Router } from 'express';
import { z } from 'zod';
import type { AccountWeb } from '../accounts/login.routes.js';
import { listAudit, type AuditFilter } from '../audit/audit.service.js';
import { formatInstant } from '../display-dates.js';
import { pickLang } from '../http/language.js';
import { listProvinces } from '../policy/policy.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { officeT } from './office.messages.js';
import { checkForm, OFFICE_PAGE_SIZE, pageNumber, pagerOf, queryText } from './office-forms.js';
import { showOffice } from './office-screen.routes.js';

/**
 * The audit log reader: who (a user, or one key or session), which action, which
 * record, which province, which days (Vietnam's calendar), newest first and paged. A
 * filter that is not well formed is said next to its field, and nothing is listed. A
 * provincial office reads its province's entries only (naming another province: 403);
 * the national office every entry, national ones and those older than provinces too.
 */

const day = z.iso.date();
const auditQuery = z
  .object({
    who: z.string().regex(/^[0-9A-Za-z:_-]{1,60}$/).optional(),
    by: z.enum(['user', 'key']),
    action: z.string().regex(/^[a-z_]{2,40}\.[a-z_]{2,40}$/).optional(),
    record: z.string().regex(/^[0-9A-Za-z_-]{1,60}$/).optional(),
    province: z.string().regex(/^\d{2}$/).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['range'], message: 'from after to' });

const AUDIT_PATHS = { who: 'who', action: 'action', record: 'record', province: 'auditProvince', from: 'from', to: 'to', range: 'range' };

/** Midnight in Vietnam (UTC+7) at the start of the day. */
const startOfVietnamDay = (d: string, plusDays = 0) => new Date(Date.parse(`${d}T00:00:00+07:00`) + plusDays * 86_400_000);

export function officeAuditRoutes(router: Router, web: AccountWeb): void {
  router.get('/office/audit', allow('audit.read'), async (req, res) => {
    const lang = pickLang(req);
    const t = officeT(lang);
    const form = {
      who: queryText(req, 'who', 100),
      by: queryText(req, 'by') === 'key' ? 'key' : 'user',
      action: queryText(req, 'action', 100),
      record: queryText(req, 'record', 100),
      province: queryText(req, 'province', 20),
      from: queryText(req, 'from', 20),
      to: queryText(req, 'to', 20),
    };
    const given = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== ''));
    const checked = checkForm(auditQuery, given, AUDIT_PATHS, t);
    const page = pageNumber(req);
    const base = { title: t('auditTitle'), form };
    if (!checked.ok) return showOffice(web, req, res, 'audit', { ...base, rows: [], pager: pagerOf('/office/audit', form, 1, false), problems: checked.problems }, 400);
    const q = checked.value;
    const filter: AuditFilter = {
      ...(q.who ? (q.by === 'key' ? { actor: q.who } : { userId: q.who.replace(/^user:/, '') }) : {}),
      action: q.action,
      targetId: q.record,
      provinces: listProvinces(actorOf(req), 'audit.read', q.province),
      from: q.from ? startOfVietnamDay(q.from) : undefined,
      to: q.to ? startOfVietnamDay(q.to, 1) : undefined,
    };
    const list = await listAudit(filter, { limit: OFFICE_PAGE_SIZE, offset: (page - 1) * OFFICE_PAGE_SIZE });
    const rows = list.items.map((e) => ({
      ...e,
      when: formatInstant(e.at, lang),
      detailText: e.details ? JSON.stringify(e.details) : '',
      where: e.provinces.length ? e.provinces.join(', ') : t('auditNational'),
    }));
    const queryForm = { ...form, by: form.who ? form.by : '' };
    showOffice(web, req, res, 'audit', { ...base, rows, pager: pagerOf('/office/audit', queryForm, page, list.hasMore), problems: [] });
  });
}
