import type { Router } from 'express';
import { actorOf, allow, callerOf } from '../../policy/principal-of-request.js';
import { parseInput } from '../../errors/validate.js';
import { certificationCreateSchema, certificationListSchema, revokeSchema } from './certification.schema.js';
import { createCertification, getCertification, listCertifications, revokeCertification } from './certification.service.js';
import { presentCertification } from './certification.presenter.js';
import { findCertification } from './certification.reads.js';
import { createOptionsOf, idempotent } from '../../http/idempotency.js';
import { newId } from '../../ids.js';
import { publicRecord } from '../import-visibility.js';

export function certificationRoutes(router: Router): void {
  const recover = async (id: string) => {
    const cert = await findCertification(id);
    return cert && { status: 201, location: `/api/v1/certifications/${cert._id}`, body: presentCertification(cert) };
  };
  router.post('/products/:id/certifications', allow('certification.create'), idempotent({ reserveId: newId, recover }), async (req, res) => {
    const cert = await createCertification(String(req.params.id), parseInput(certificationCreateSchema, req.body), actorOf(req), createOptionsOf(req));
    res.status(201).location(`/api/v1/certifications/${cert._id}`).json(presentCertification(cert));
  });

  router.get('/certifications', allow('certification.read'), async (req, res) => {
    const page = await listCertifications(parseInput(certificationListSchema, req.query), callerOf(req));
    const now = new Date();
    res.json({ items: page.items.map((c) => presentCertification(c, now)), page: page.page });
  });

  router.get('/certifications/:id', allow('certification.read'), async (req, res) => {
    res.json(presentCertification(publicRecord(await getCertification(String(req.params.id)), 'certification/not_found', 'certification')));
  });

  router.post('/certifications/:id/revoke', allow('certification.revoke'), async (req, res) => {
    const { reason } = parseInput(revokeSchema, req.body);
    res.json(presentCertification(await revokeCertification(String(req.params.id), reason, actorOf(req))));
  });
}
