import { Router } from 'express';
import { producerRoutes } from './producer.routes.js';
import { productRoutes } from './product.routes.js';
import { certificationRoutes } from './certification.routes.js';
import { adminUnitRoutes } from './admin-units.routes.js';

/**
 * Admin API of the OCOP registry: producers, products, certifications, and the
 * administrative units for address pickers. Writes need an admin key; reads are public
 * (a household's private contact details only for admins and its own key).
 */
export function registryRouter(): Router {
  const router = Router();
  producerRoutes(router);
  productRoutes(router);
  certificationRoutes(router);
  adminUnitRoutes(router);
  return router;
}
