import type { Router } from 'express';
import { actorOf, allow, callerOf } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import { productCreateSchema, productListSchema, productPatchSchema } from './product.schema.js';
import { createProduct, findProduct, getProduct, listProducts, updateProduct } from './product.service.js';
import { createOptionsOf, idempotent } from '../../http/idempotency.js';
import { newId } from '../../ids.js';
import { currentCertificationFor, currentCertificationsFor } from '../certifications/certification.reads.js';
import { presentProduct } from './product.presenter.js';
import { GROUP_LIST_VERSIONS, PRODUCT_GROUP_LISTS, CURRENT_GROUP_LIST_VERSION } from '../../reference/product-groups.js';
import { publicRecord } from '../import-visibility.js';

export function productRoutes(router: Router): void {
  router.get('/product-groups', allow('reference.read'), (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400');
    res.json({
      currentVersion: CURRENT_GROUP_LIST_VERSION,
      versions: GROUP_LIST_VERSIONS.map((version) => ({ version, groups: PRODUCT_GROUP_LISTS[version] })),
    });
  });

  const recover = async (id: string) => {
    const product = await findProduct(id);
    return product && { status: 201, location: `/api/v1/products/${product._id}`, body: presentProduct(product, await currentCertificationFor(product._id)) };
  };
  router.post('/products', allow('product.create'), idempotent({ reserveId: newId, recover }), async (req, res) => {
    const product = await createProduct(parseInput(productCreateSchema, req.body), actorOf(req), createOptionsOf(req));
    res.status(201).location(`/api/v1/products/${product._id}`).json(presentProduct(product, null));
  });

  router.get('/products', allow('product.read'), async (req, res) => {
    const page = await listProducts(parseInput(productListSchema, req.query), callerOf(req));
    const current = await currentCertificationsFor(page.items.map((p) => p._id));
    res.json({ items: page.items.map((p) => presentProduct(p, current.get(p._id) ?? null)), page: page.page });
  });

  router.get('/products/:id', allow('product.read'), async (req, res) => {
    const product = publicRecord(await getProduct(String(req.params.id)), 'product/not_found', 'product');
    res.json(presentProduct(product, await currentCertificationFor(product._id)));
  });

  router.patch('/products/:id', allow('product.update'), async (req, res) => {
    const product = await updateProduct(String(req.params.id), parseInput(productPatchSchema, req.body), actorOf(req));
    res.json(presentProduct(product, await currentCertificationFor(product._id)));
  });
}
