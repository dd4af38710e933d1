import { Router } from 'express';
import { loginInsteadOf401, type AccountWeb } from '../accounts/login.routes.js';
import { pickLang } from '../http/language.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { allow } from '../policy/principal-of-request.js';
import { officeT } from './office.messages.js';
import { showOffice } from './office-screen.routes.js';
import { officeAuditRoutes } from './office-audit.routes.js';
import { officeCertificationRoutes } from './office-certifications.routes.js';
import { officeKeyRoutes } from './office-keys.routes.js';
import { officeProducerRoutes } from './office-producers.routes.js';

/**
 * The programme office's screens for the registry (/office): the home page that links
 * every office area, producers and products, certifications, signing keys, API keys
 * and the audit log. Users are /office/users (src/accounts/office.routes.ts).
 */

/** Every office area the home page links, in its order; some are other features' screens. */
export const OFFICE_AREAS = [
  { key: 'producers', href: '/office/producers' },
  { key: 'certifications', href: '/office/certifications' },
  { key: 'decisions', href: '/office/decisions' },
  { key: 'keys', href: '/office/keys' },
  { key: 'users', href: '/office/users' },
  { key: 'apiKeys', href: '/office/api-keys' },
  { key: 'audit', href: '/office/audit' },
  { key: 'reports', href: '/office/reports' },
  { key: 'findings', href: '/office/findings' },
  { key: 'flagged', href: '/office/flagged' },
] as const;

export function officeRegistryRouter(web: AccountWeb, deps: { keyring: Keyring }): Router {
  const router = Router();
  router.get('/office', allow('office.read'), (req, res) => {
    showOffice(web, req, res, 'home', { title: officeT(pickLang(req))('officeTitle'), areas: OFFICE_AREAS });
  });
  officeProducerRoutes(router, web);
  officeCertificationRoutes(router, web);
  officeKeyRoutes(router, web, deps.keyring);
  officeAuditRoutes(router, web);
  router.use(loginInsteadOf401(web));
  return router;
}
