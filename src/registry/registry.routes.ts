import { Router } from 'express';
import { producerRoutes } from './producers/producer.routes.js';
import { productRoutes } from './products/product.routes.js';
import { productPhotoRoutes } from './products/product-photo.routes.js';
import { certificationRoutes } from './certifications/certification.routes.js';
import { locationRoutes } from './locations/location.routes.js';

/**
 * Admin API of the OCOP registry: producers, products, certifications. Writes need an
 * admin key; reads are public (a household's private contact details only for admins
 * and its own key).
 */
export function registryRouter(): Router {
  const router = Router();
  producerRoutes(router);
  productRoutes(router);
  productPhotoRoutes(router);
  certificationRoutes(router);
  locationRoutes(router);
  return router;
}
