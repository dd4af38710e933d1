import { Router } from 'express';
import { findProvince, normalizeUnitCode, provinces } from './admin-units.js';
import { notFound } from '../errors/app-error.js';
import { allow } from '../policy/principal-of-request.js';

/** The 2025 units change only by law: let browsers and proxies keep them for a day. */
const CACHE = 'public, max-age=86400';

const provinceList = provinces.map((p) => ({ code: p.code, name: p.name, type: p.type, communeCount: p.communes.length }));

/** Administrative units for address pickers: public, cacheable. */
export function referenceRouter(): Router {
  const router = Router();
  router.get('/admin-units/provinces', allow('reference.read'), (_req, res) => {
    res.set('Cache-Control', CACHE).json({ items: provinceList });
  });

  router.get('/admin-units/provinces/:code/communes', allow('reference.read'), (req, res) => {
    const code = normalizeUnitCode(String(req.params.code), 2);
    const province = code ? findProvince(code) : undefined;
    if (!province) throw notFound('admin_unit/province_not_found', `No province with code ${String(req.params.code)} among the 2025 units.`);
    res
      .set('Cache-Control', CACHE)
      .json({ province: { code: province.code, name: province.name }, items: province.communes.map((c) => ({ code: c.code, name: c.name, type: c.type })) });
  });
  return router;
}
