import type { Request, Router } from 'express';
import { actorOf, allow, callerOf } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import { producerCreateSchema, producerListSchema, producerPatchSchema } from './producer.schema.js';
import { createProducer, findProducer, getProducer, listProducers, updateProducer } from './producer.service.js';
import { createOptionsOf, idempotent } from '../../http/idempotency.js';
import { newId } from '../../ids.js';
import { presentProducer } from './producer.presenter.js';
import { publicRecord } from '../import-visibility.js';

export function producerRoutes(router: Router): void {
  const recover = async (id: string, req: Request) => {
    const producer = await findProducer(id);
    return producer && { status: 201, location: `/api/v1/producers/${producer._id}`, body: presentProducer(producer, actorOf(req)) };
  };
  router.post('/producers', allow('producer.create'), idempotent({ reserveId: newId, recover }), async (req, res) => {
    const producer = await createProducer(parseInput(producerCreateSchema, req.body), actorOf(req), createOptionsOf(req));
    res.status(201).location(`/api/v1/producers/${producer._id}`).json(presentProducer(producer, actorOf(req)));
  });

  router.get('/producers', allow('producer.read'), async (req, res) => {
    const viewer = callerOf(req);
    const page = await listProducers(parseInput(producerListSchema, req.query), viewer);
    res.json({ items: page.items.map((p) => presentProducer(p, viewer)), page: page.page });
  });

  router.get('/producers/:id', allow('producer.read'), async (req, res) => {
    const viewer = callerOf(req);
    res.json(presentProducer(publicRecord(await getProducer(String(req.params.id)), 'producer/not_found', 'producer'), viewer));
  });

  router.patch('/producers/:id', allow('producer.update'), async (req, res) => {
    const producer = await updateProducer(String(req.params.id), parseInput(producerPatchSchema, req.body), actorOf(req));
    res.json(presentProducer(producer, actorOf(req)));
  });
}
