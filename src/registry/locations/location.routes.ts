import type { Router } from 'express';
import { actorOf, allow } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import { notFound } from '../../errors/app-error.js';
import { locationCreateSchema, locationListSchema } from './location.schema.js';
import { createLocation, findLocation, listLocations } from './location.service.js';
import { presentLocation } from './location.presenter.js';

/** Registered locations (GLN / SGLN → commune): see docs/epcis.md §2. */
export function locationRoutes(router: Router): void {
  router.post('/locations', allow('location.create'), async (req, res) => {
    const location = await createLocation(parseInput(locationCreateSchema, req.body), actorOf(req));
    res.status(201).location(`/api/v1/locations/${encodeURIComponent(location._id)}`).json(presentLocation(location));
  });

  router.get('/locations', allow('location.read'), async (req, res) => {
    const page = await listLocations(parseInput(locationListSchema, req.query));
    res.json({ items: page.items.map(presentLocation), page: page.page });
  });

  router.get('/locations/:id', allow('location.read'), async (req, res) => {
    const location = await findLocation(String(req.params.id));
    if (!location) throw notFound('location/not_found', `No registered location ${String(req.params.id)}.`);
    res.json(presentLocation(location));
  });
}
