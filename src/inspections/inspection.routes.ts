import express, { Router } from 'express';
import { once } from 'node:events';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { pagingOf } from '../paging.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { z } from 'zod';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from './inspection-findings.js';
import { inspectionCsvLines } from './inspection-csv.js';
import { inspectionCreateSchema, inspectionCsvSchema, inspectionIdParams, inspectionListSchema } from './inspection.schema.js';
import { allInspections, attachInspectionPhoto, getInspection, inspectionPhoto, listInspections, recordInspection } from './inspection.service.js';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
export const photoParams = inspectionIdParams.extend({ slot: z.coerce.number().int().min(1).max(MAX_PHOTOS) });

/**
 * The findings log's API (docs/api.md, "Inspections"): the scan page's offline queue
 * sends each inspection here, then its photos; the office, inspectors and producers
 * read the lists. Sessions send X-CSRF-Token on writes (the API's session layer checks it).
 */
export function inspectionsApiRouter(): Router {
  const router = Router();

  router.post('/inspections', allow('inspection.create'), async (req, res) => {
    const input = parseInput(inspectionCreateSchema, req.body);
    const { inspection, created } = await recordInspection(actorOf(req), input);
    res.status(created ? 201 : 200).json(inspection);
  });

  router.get('/inspections', allow('inspection.read'), async (req, res) => {
    const q = parseInput(inspectionListSchema, req.query);
    res.json(await listInspections(actorOf(req), q, pagingOf(q)));
  });

  router.get('/inspections.csv', allow('inspection.read'), async (req, res) => {
    const filter = parseInput(inspectionCsvSchema, req.query);
    const rows = allInspections(actorOf(req), filter);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="inspections.csv"');
    res.setHeader('Cache-Control', 'no-store');
    for await (const line of inspectionCsvLines(rows, actorOf(req).role !== 'producer')) {
      if (res.destroyed) return;
      if (!res.write(line)) await once(res, 'drain');
    }
    res.end();
  });

  router.get('/inspections/:id', allow('inspection.read'), async (req, res) => {
    const { id } = parseInput(inspectionIdParams, req.params);
    res.json(await getInspection(actorOf(req), id));
  });

  const rawImage = express.raw({ type: IMAGE_TYPES, limit: MAX_PHOTO_BYTES });
  router.put('/inspections/:id/photos', allow('inspection.attach_photo'), rawImage, async (req, res) => {
    const { id } = parseInput(inspectionIdParams, req.params);
    // express.raw leaves the body alone for any other Content-Type.
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new AppError('inspection/photo_unreadable', `Send the image itself as the body, with Content-Type ${IMAGE_TYPES.join(', ')}.`);
    }
    const { inspection, created } = await attachInspectionPhoto(actorOf(req), id, req.body);
    res.status(created ? 201 : 200).json(inspection);
  });

  router.get('/inspections/:id/photos/:slot', allow('inspection.read'), async (req, res) => {
    const { id, slot } = parseInput(photoParams, req.params);
    const photo = await inspectionPhoto(actorOf(req), id, slot);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.type('image/jpeg').send(photo);
  });

  return router;
}
