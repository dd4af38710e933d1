import type { Request, Response, Router } from 'express';
import type { AccountWeb } from '../accounts/login.routes.js';
import { listApiKeys, revokeApiKey } from '../accounts/api-key.service.js';
import { findUser } from '../accounts/user.service.js';
import { formatInstant } from '../display-dates.js';
import { pickLang } from '../http/language.js';
import { kidParam, reasonBody } from '../labels/runs/label-run.schema.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { listKeys, revokeKey, rotateKey } from '../labels/signing/signing-keys.service.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { officeT, type OfficeT } from './office.messages.js';
import { checkForm, formValues, OFFICE_PAGE_SIZE, pageNumber, pagerOf, refusalOf, type Problem } from './office-forms.js';
import { showOffice } from './office-screen.routes.js';

/**
 * Keys on the office's screens: the label signing keys (rotate, revoke with a reason)
 * and every API key of users and machines (revoke). The signing-key and API-key
 * services audit each change.
 */

const KEY_REFUSALS = {
  'key/already_revoked': { field: null, message: (t: OfficeT) => t('refused.keyAlreadyRevoked') },
  'key/rotate_by_environment': { field: null, message: (t: OfficeT) => t('refused.rotateByEnvironment') },
  'api_key/already_revoked': { field: null, message: (t: OfficeT) => t('refused.keyAlreadyRevoked') },
  'api_key/revoke_self': { field: null, message: (t: OfficeT) => t('refused.revokeSelf') },
};

export function officeKeyRoutes(router: Router, web: AccountWeb, keyring: Keyring): void {
  router.get('/office/keys', allow('signing_key.read'), async (req, res) => {
    const rotated = typeof req.query.rotated === 'string' ? req.query.rotated.slice(0, 43) : '';
    await showSigningKeys(web, req, res, keyring, { rotated });
  });

  router.post('/office/keys/rotate', allow('signing_key.rotate'), async (req, res) => {
    let kid: string;
    try {
      ({ kid } = await rotateKey(keyring, actorOf(req)));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), KEY_REFUSALS);
      return showSigningKeys(web, req, res, keyring, { problems: [refusal.problem] }, refusal.status);
    }
    res.redirect(303, `/office/keys?rotated=${encodeURIComponent(kid)}`);
  });

  router.post('/office/keys/:kid/revoke', allow('signing_key.revoke'), async (req, res) => {
    const kid = kidParam.safeParse(req.params.kid);
    const t = officeT(pickLang(req));
    const { reason } = formValues(req, ['reason']);
    if (!kid.success) return showSigningKeys(web, req, res, keyring, { problems: [{ field: null, message: t('problem.unknown', { field: 'kid' }) }] }, 400);
    const checked = checkForm(reasonBody, { reason }, { reason: 'keyReason' }, t);
    if (!checked.ok) return showSigningKeys(web, req, res, keyring, { problems: checked.problems, forKid: kid.data, reason }, 400);
    try {
      await revokeKey(keyring, actorOf(req), kid.data, checked.value.reason);
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), KEY_REFUSALS);
      return showSigningKeys(web, req, res, keyring, { problems: [refusal.problem], forKid: kid.data, reason }, refusal.status);
    }
    res.redirect(303, '/office/keys');
  });

  router.get('/office/api-keys', allow('api_key.read'), async (req, res) => {
    await showApiKeys(web, req, res, []);
  });

  router.post('/office/api-keys/:id/revoke', allow('api_key.revoke'), async (req, res) => {
    try {
      await revokeApiKey(actorOf(req), String(req.params.id));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), KEY_REFUSALS);
      if (refusal.status === 404) throw err;
      return showApiKeys(web, req, res, [refusal.problem], refusal.status);
    }
    const page = pageNumber(req);
    res.redirect(303, page > 1 ? `/office/api-keys?page=${page}` : '/office/api-keys');
  });
}

async function showSigningKeys(
  web: AccountWeb,
  req: Request,
  res: Response,
  keyring: Keyring,
  state: { rotated?: string; problems?: Problem[]; forKid?: string; reason?: string },
  status = 200,
): Promise<void> {
  const t = officeT(pickLang(req));
  const keys = await listKeys(keyring);
  // Newest first: the key signing now, then the retired ones, then the revoked.
  const order = { active: 0, retired: 1, revoked: 2 } as const;
  keys.sort((a, b) => order[a.status] - order[b.status]);
  showOffice(web, req, res, 'keys', { title: t('keysTitle'), keys, rotated: state.rotated ?? '', problems: state.problems ?? [], forKid: state.forKid ?? '', reason: state.reason ?? '' }, status);
}

async function showApiKeys(web: AccountWeb, req: Request, res: Response, problems: Problem[], status = 200): Promise<void> {
  const lang = pickLang(req);
  const t = officeT(lang);
  const page = pageNumber(req);
  const list = await listApiKeys({ limit: OFFICE_PAGE_SIZE, offset: (page - 1) * OFFICE_PAGE_SIZE }, actorOf(req));
  const userIds = [...new Set(list.items.map((k) => k.userId).filter((id): id is string => Boolean(id)))];
  const users = new Map((await Promise.all(userIds.map((id) => findUser(id)))).filter((u) => u !== null).map((u) => [u.id, u]));
  const rows = list.items.map((k) => ({
    ...k,
    user: k.userId ? (users.get(k.userId)?.email ?? k.userId) : null,
    created: formatInstant(new Date(k.createdAt), lang),
    revoked: k.revokedAt ? formatInstant(new Date(k.revokedAt), lang) : null,
  }));
  const pager = pagerOf('/office/api-keys', {}, page, list.page.offset + list.items.length < list.page.total);
  showOffice(web, req, res, 'api-keys', { title: t('apiKeysTitle'), rows, total: list.page.total, pager, page, problems }, status);
}
