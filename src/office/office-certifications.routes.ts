import type { Request, Response, Router } from 'express';
import type { AccountWeb } from '../accounts/login.routes.js';
import { pickLang } from '../http/language.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { CERT_STATUS_FILTERS, certificationCreateSchema, certificationListSchema, revokeSchema } from '../registry/certifications/certification.schema.js';
import { createCertification, getCertification, listCertifications, revokeCertification, type CertificationRecord } from '../registry/certifications/certification.service.js';
import { getProducer, producersByIds } from '../registry/producers/producer.service.js';
import { getProductFor, productsByIds } from '../registry/products/product.service.js';
import { officeT, type OfficeT } from './office.messages.js';
import { checkForm, formValues, OFFICE_PAGE_SIZE, pageNumber, pagerOf, queryText, refusalOf, type Problem } from './office-forms.js';
import { showOffice } from './office-screen.routes.js';
import { AUTHORITY_CHOICES, CERT_FIELDS, CERT_PATHS, certificationInput, certificationView } from './certification-forms.js';
import { showProductPage } from './office-producers.routes.js';

/**
 * Certifications on the office's screens: the list (by status and stars), one
 * certification with the form to revoke it with a reason, and recording a decision for
 * a product. Re-rating is recording a later decision with other stars: the registry
 * marks the earlier one superseded (createCertification), as the API does.
 */

const CERT_REFUSALS = {
  'certification/score_mismatch': {
    field: 'score',
    message: (t: OfficeT, d: Record<string, unknown>) => t('refused.scoreMismatch', { expected: String(d.expectedStars ?? '?'), score: String(d.score ?? ''), stars: String(d.stars ?? '') }),
  },
  'certification/authority_mismatch': { field: 'authorityLevel', message: (t: OfficeT) => t('refused.authorityMismatch') },
  'certification/authority_name_required': { field: 'authorityName', message: (t: OfficeT) => t('refused.authorityNameRequired') },
  'certification/duplicate_decision': { field: 'decisionNumber', message: (t: OfficeT) => t('refused.duplicateDecision') },
  'certification/already_revoked': { field: null, message: (t: OfficeT) => t('refused.alreadyRevoked') },
};

const STARS = ['1', '2', '3', '4', '5'];

export function officeCertificationRoutes(router: Router, web: AccountWeb): void {
  router.get('/office/certifications', allow('office.read'), async (req, res) => {
    const lang = pickLang(req);
    const t = officeT(lang);
    const status = queryText(req, 'status');
    const stars = queryText(req, 'stars');
    const filter = {
      ...((CERT_STATUS_FILTERS as readonly string[]).includes(status) ? { status } : {}),
      ...(STARS.includes(stars) ? { stars } : {}),
    };
    const page = pageNumber(req);
    const list = await listCertifications(certificationListSchema.parse({ ...filter, page: String(page), limit: String(OFFICE_PAGE_SIZE) }), actorOf(req));
    const [products, producers] = await Promise.all([productsByIds(list.items.map((c) => c.productId)), producersByIds(list.items.map((c) => c.producerId))]);
    const now = new Date();
    const rows = list.items.map((c) => ({
      ...certificationView(c, lang, now),
      productName: products.get(c.productId)?.name.vi ?? c.productId,
      producerName: producers.get(c.producerId)?.name ?? c.producerId,
    }));
    const pager = pagerOf('/office/certifications', { status: filter.status ?? '', stars: filter.stars ?? '' }, page, list.page.offset + list.items.length < list.page.total);
    showOffice(web, req, res, 'certifications', {
      title: t('certificationsTitle'), rows, total: list.page.total, pager,
      form: { status: filter.status ?? '', stars: filter.stars ?? '' }, statuses: CERT_STATUS_FILTERS, stars: STARS,
    });
  });

  router.post('/office/products/:id/certifications', allow('certification.create'), async (req, res) => {
    // Another province's product is refused (403) before the form is read; the 5★ rule is the service's.
    const product = await getProductFor(actorOf(req), String(req.params.id), 'certification.create');
    const values = formValues(req, CERT_FIELDS);
    const t = officeT(pickLang(req));
    const input = certificationInput(values);
    const checked = checkForm(certificationCreateSchema, input, CERT_PATHS, t);
    if (!checked.ok) return showProductPage(web, req, res, product, { certValues: values, certProblems: checked.problems }, 400);
    try {
      await createCertification(product._id, checked.value, actorOf(req));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), CERT_REFUSALS);
      // The score mismatch names what the form sent, so the message can repeat it.
      if (refusal.problem.field === 'score') refusal.problem.message = CERT_REFUSALS['certification/score_mismatch'].message(t, { ...((err as { details?: Record<string, unknown> }).details ?? {}), score: checked.value.score, stars: checked.value.stars });
      return showProductPage(web, req, res, product, { certValues: values, certProblems: [refusal.problem] }, refusal.status);
    }
    res.redirect(303, `/office/products/${product._id}?saved=1`);
  });

  router.get('/office/certifications/:id', allow('office.read'), async (req, res) => {
    await showCertification(web, req, res, await getCertification(String(req.params.id)), '', []);
  });

  router.post('/office/certifications/:id/revoke', allow('certification.revoke'), async (req, res) => {
    const cert = await getCertification(String(req.params.id));
    await getProductFor(actorOf(req), cert.productId, 'certification.revoke');
    const { reason } = formValues(req, ['reason']);
    const t = officeT(pickLang(req));
    const checked = checkForm(revokeSchema, { reason }, { reason: 'reason' }, t);
    if (!checked.ok) return showCertification(web, req, res, cert, reason, checked.problems, 400);
    try {
      await revokeCertification(cert._id, checked.value.reason, actorOf(req));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), CERT_REFUSALS);
      return showCertification(web, req, res, cert, reason, [refusal.problem], refusal.status);
    }
    res.redirect(303, `/office/products/${cert.productId}`);
  });
}

async function showCertification(web: AccountWeb, req: Request, res: Response, cert: CertificationRecord, reason: string, problems: Problem[], status = 200): Promise<void> {
  const lang = pickLang(req);
  const t = officeT(lang);
  // Another province's certification is refused (403), as its product's page is.
  const product = await getProductFor(actorOf(req), cert.productId, 'office.read_record');
  const producer = await getProducer(product.producerId);
  const view = certificationView(cert, lang, new Date());
  showOffice(web, req, res, 'certification', { title: t('certificationTitle', { decision: cert.decisionNumber }), cert: view, product, producer, reason, problems, authorityChoices: AUTHORITY_CHOICES }, status);
}
