import type { Router } from 'express';
import { requireRole, principalOf } from '../../http/auth.js';
import { parseInput } from '../../errors/validate.js';
import { producerCreateSchema, producerListSchema, producerPatchSchema } from './producer.schema.js';
import { createProducer, getProducer, listProducers, updateProducer } from './producer.service.js';
import { presentProducer } from './producer.presenter.js';
import { viewerOf } from './producer-access.js';

export function producerRoutes(router: Router): void {
  router.post('/producers', requireRole('admin'), async (req, res) => {
    const producer = await createProducer(parseInput(producerCreateSchema, req.body), principalOf(req));
    res.status(201).location(`/api/v1/producers/${producer._id}`).json(presentProducer(producer, principalOf(req)));
  });

  router.get('/producers', async (req, res) => {
    const viewer = await viewerOf(req);
    const page = await listProducers(parseInput(producerListSchema, req.query));
    res.json({ items: page.items.map((p) => presentProducer(p, viewer)), page: page.page });
  });

  router.get('/producers/:id', async (req, res) => {
    const viewer = await viewerOf(req);
    res.json(presentProducer(await getProducer(String(req.params.id)), viewer));
  });

  router.patch('/producers/:id', requireRole('admin'), async (req, res) => {
    const producer = await updateProducer(String(req.params.id), parseInput(producerPatchSchema, req.body), principalOf(req));
    res.json(presentProducer(producer, principalOf(req)));
  });
}
