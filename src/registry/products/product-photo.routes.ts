import express, { Router } from 'express';
import { actorOf, allow, openRoute } from '../../policy/principal-of-request.js';
import { AppError, notFound } from '../../errors/app-error.js';
import { currentCertificationFor } from '../certifications/certification.reads.js';
import { presentProduct } from './product.presenter.js';
import { photoBytes, removeProductPhoto, setProductPhoto } from './product-photo.service.js';

/** An upload larger than this is refused with 413 `request/too_large` before it is decoded. */
export const PHOTO_UPLOAD_LIMIT = '5mb';
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** The admin API's photo routes: the raw image is the body (only these routes read one that is not JSON). */
export function productPhotoRoutes(router: Router): void {
  const rawImage = express.raw({ type: IMAGE_TYPES, limit: PHOTO_UPLOAD_LIMIT });
  router.put('/products/:id/photo', allow('product.update'), rawImage, async (req, res) => {
    // express.raw leaves the body alone for any other Content-Type.
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new AppError('product/unsupported_image', `Send the image itself as the body, with Content-Type ${IMAGE_TYPES.join(', ')}.`);
    }
    const product = await setProductPhoto(String(req.params.id), req.body, actorOf(req));
    res.json(presentProduct(product, await currentCertificationFor(product._id)));
  });
  router.delete('/products/:id/photo', allow('product.update'), async (req, res) => {
    const product = await removeProductPhoto(String(req.params.id), actorOf(req));
    res.json(presentProduct(product, await currentCertificationFor(product._id)));
  });
}

/** Photos for everyone, at their content-hash address: cacheable for a year, never revalidated. */
export function mediaRouter(): Router {
  const router = Router();
  router.get(
    '/media/products/:file',
    openRoute('site.read', async (req, res) => {
      // <id>.webp is the full photo, <id>-240.webp the page's variant; anything else is no photo.
      const m = /^([0-9a-f]{32})(-240)?\.webp$/.exec(String(req.params.file));
      if (!m) throw notFound('product/photo_not_found', `No photo at ${req.path}.`);
      const bytes = await photoBytes(m[1]!, m[2] ? 'page' : 'full');
      res.set({ 'Content-Type': 'image/webp', 'Cache-Control': 'public, max-age=31536000, immutable' });
      res.send(bytes);
    }),
  );
  return router;
}
