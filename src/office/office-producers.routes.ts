import type { Request, Response, Router } from 'express';
import type { AccountWeb } from '../accounts/login.routes.js';
import { pickLang } from '../http/language.js';
import { actorOf, allow } from '../policy/principal-of-request.js';
import { producerCreateSchema, producerListSchema, producerPatchSchema } from '../registry/producers/producer.schema.js';
import { createProducer, getProducerFor, listProducers, updateProducer, type ProducerRecord } from '../registry/producers/producer.service.js';
import { productCreateSchema, productPatchSchema } from '../registry/products/product.schema.js';
import { createProduct, getProductFor, listProducts, updateProduct, type ProductRecord } from '../registry/products/product.service.js';
import { certificationsOfProduct, currentCertificationFor, currentCertificationsFor } from '../registry/certifications/certification.reads.js';
import { CURRENT_GROUP_LIST_VERSION, findProductGroup } from '../reference/product-groups.js';
import { officeT } from './office.messages.js';
import { checkForm, formValues, OFFICE_PAGE_SIZE, pageNumber, pagerOf, queryText, refusalOf, type Problem } from './office-forms.js';
import { showOffice } from './office-screen.routes.js';
import {
  blankProducer, blankProduct, CURRENT_GROUPS, PRODUCER_FIELDS, PRODUCER_KIND_LIST, PRODUCER_PATHS, PRODUCT_FIELDS, PRODUCT_PATHS,
  producerInput, producerValues, productCreateInput, productPatchInput, productValues, type ProducerValues, type ProductValues,
} from './producer-forms.js';
import { AUTHORITY_CHOICES, blankCertification, certificationView } from './certification-forms.js';

/**
 * The office's producers and their products: a searchable, paged list of producers,
 * a form to register one, a producer's page (edit form and products), a form to add a
 * product, and a product's page (edit form, certifications: office-certifications.routes.ts).
 * Writes go through the registry's services with the API's own schemas.
 */

const PRODUCER_REFUSALS = {
  'producer/duplicate_registration': { field: 'registrationNumber', message: (t: ReturnType<typeof officeT>) => t('refused.duplicateRegistration') },
};
const PRODUCT_REFUSALS = {
  'product/invalid_gtin': { field: 'gtin', message: (t: ReturnType<typeof officeT>) => t('refused.invalidGtin') },
  'product/duplicate_gtin': { field: 'gtin', message: (t: ReturnType<typeof officeT>) => t('refused.duplicateGtin') },
  'product/gtin_locked': { field: 'gtin', message: (t: ReturnType<typeof officeT>) => t('refused.gtinLocked') },
};

export function officeProducerRoutes(router: Router, web: AccountWeb): void {
  router.get('/office/producers', allow('office.read'), async (req, res) => {
    const t = officeT(pickLang(req));
    const q = queryText(req, 'q');
    const page = pageNumber(req);
    const list = await listProducers(producerListSchema.parse({ ...(q ? { q } : {}), page: String(page), limit: String(OFFICE_PAGE_SIZE) }), actorOf(req));
    const pager = pagerOf('/office/producers', { q }, page, list.page.offset + list.items.length < list.page.total);
    showOffice(web, req, res, 'producers', { title: t('producersTitle'), producers: list.items, total: list.page.total, q, pager });
  });

  router.get('/office/producers/new', allow('producer.create'), (req, res) => {
    showProducerForm(web, req, res, null, blankProducer(), []);
  });

  router.post('/office/producers', allow('producer.create'), async (req, res) => {
    const values = formValues(req, PRODUCER_FIELDS);
    const t = officeT(pickLang(req));
    const checked = checkForm(producerCreateSchema, producerInput(values), PRODUCER_PATHS, t);
    if (!checked.ok) return showProducerForm(web, req, res, null, values, checked.problems, 400);
    let producer: ProducerRecord;
    try {
      producer = await createProducer(checked.value, actorOf(req));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), PRODUCER_REFUSALS);
      return showProducerForm(web, req, res, null, values, [refusal.problem], refusal.status);
    }
    res.redirect(303, `/office/producers/${producer._id}`);
  });

  // Each page and form of a record asks first whether the caller reaches it (403 for another province's).
  router.get('/office/producers/:id', allow('office.read'), async (req, res) => {
    const producer = await getProducerFor(actorOf(req), String(req.params.id), 'office.read_record');
    await showProducerForm(web, req, res, producer, producerValues(producer), []);
  });

  router.post('/office/producers/:id', allow('producer.update'), async (req, res) => {
    const producer = await getProducerFor(actorOf(req), String(req.params.id), 'producer.update');
    const values = formValues(req, PRODUCER_FIELDS);
    const t = officeT(pickLang(req));
    const checked = checkForm(producerPatchSchema, producerInput(values), PRODUCER_PATHS, t);
    if (!checked.ok) return showProducerForm(web, req, res, producer, values, checked.problems, 400);
    try {
      await updateProducer(producer._id, checked.value, actorOf(req));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), PRODUCER_REFUSALS);
      return showProducerForm(web, req, res, producer, values, [refusal.problem], refusal.status);
    }
    res.redirect(303, `/office/producers/${producer._id}?saved=1`);
  });

  router.get('/office/producers/:id/products/new', allow('product.create'), async (req, res) => {
    const producer = await getProducerFor(actorOf(req), String(req.params.id), 'product.create');
    showProductForm(web, req, res, producer, null, blankProduct(), []);
  });

  router.post('/office/producers/:id/products', allow('product.create'), async (req, res) => {
    const producer = await getProducerFor(actorOf(req), String(req.params.id), 'product.create');
    const values = formValues(req, PRODUCT_FIELDS);
    const t = officeT(pickLang(req));
    const checked = checkForm(productCreateSchema, productCreateInput(producer._id, values), PRODUCT_PATHS, t);
    if (!checked.ok) return showProductForm(web, req, res, producer, null, values, checked.problems, 400);
    let product: ProductRecord;
    try {
      product = await createProduct(checked.value, actorOf(req));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), PRODUCT_REFUSALS);
      return showProductForm(web, req, res, producer, null, values, [refusal.problem], refusal.status);
    }
    res.redirect(303, `/office/products/${product._id}`);
  });

  router.get('/office/products/:id', allow('office.read'), async (req, res) => {
    const product = await getProductFor(actorOf(req), String(req.params.id), 'office.read_record');
    await showProductPage(web, req, res, product, { values: productValues(product), problems: [] });
  });

  router.post('/office/products/:id', allow('product.update'), async (req, res) => {
    const product = await getProductFor(actorOf(req), String(req.params.id), 'product.update');
    const values = formValues(req, PRODUCT_FIELDS);
    const t = officeT(pickLang(req));
    const checked = checkForm(productPatchSchema, productPatchInput(product, values), PRODUCT_PATHS, t);
    if (!checked.ok) return showProductPage(web, req, res, product, { values, problems: checked.problems }, 400);
    try {
      await updateProduct(product._id, checked.value, actorOf(req));
    } catch (err) {
      const refusal = refusalOf(err, pickLang(req), PRODUCT_REFUSALS);
      return showProductPage(web, req, res, product, { values, problems: [refusal.problem] }, refusal.status);
    }
    res.redirect(303, `/office/products/${product._id}?saved=1`);
  });
}

async function showProducerForm(web: AccountWeb, req: Request, res: Response, producer: ProducerRecord | null, values: ProducerValues, problems: Problem[], status = 200): Promise<void> {
  const t = officeT(pickLang(req));
  const data = { values, problems, kinds: PRODUCER_KIND_LIST, saved: req.query.saved === '1' && status === 200 };
  if (!producer) return showOffice(web, req, res, 'producer-form', { title: t('producerNew'), producer: null, products: [], ...data }, status);
  const products = await listProducts({ producer: producer._id, limit: 100, offset: 0 }, actorOf(req));
  const current = await currentCertificationsFor(products.items.map((p) => p._id));
  const rows = products.items.map((p) => ({ id: p._id, name: p.name.vi, gtin: p.gtin ?? null, stars: current.get(p._id)?.stars ?? null }));
  showOffice(web, req, res, 'producer-form', { title: t('producerEditTitle', { name: producer.name }), producer, products: rows, productTotal: products.page.total, ...data }, status);
}

function showProductForm(web: AccountWeb, req: Request, res: Response, producer: ProducerRecord, product: ProductRecord | null, values: ProductValues, problems: Problem[], status = 200): void {
  const t = officeT(pickLang(req));
  showOffice(web, req, res, 'product-form', { title: t('productNew'), producer, product, values, problems, groups: CURRENT_GROUPS, oldGroup: null }, status);
}

/** A product's page: its edit form, its certifications, and the forms to record or re-rate and to revoke. */
export async function showProductPage(
  web: AccountWeb,
  req: Request,
  res: Response,
  product: ProductRecord,
  forms: { values?: ProductValues; problems?: Problem[]; certValues?: ReturnType<typeof blankCertification>; certProblems?: Problem[] },
  status = 200,
): Promise<void> {
  const lang = pickLang(req);
  const t = officeT(lang);
  const [producer, certs, current] = await Promise.all([getProducerFor(actorOf(req), product.producerId, 'office.read_record'), certificationsOfProduct(product._id), currentCertificationFor(product._id)]);
  const now = new Date();
  const history = certs.sort((a, b) => b.decisionDate.getTime() - a.decisionDate.getTime()).map((c) => certificationView(c, lang, now));
  const old = product.groupListVersion !== CURRENT_GROUP_LIST_VERSION ? findProductGroup(product.groupListVersion, product.group) : undefined;
  showOffice(web, req, res, 'product', {
    title: t('productEditTitle', { name: product.name.vi }),
    producer,
    product,
    values: forms.values ?? productValues(product),
    problems: forms.problems ?? [],
    groups: CURRENT_GROUPS,
    oldGroup: old ? old[lang] : null,
    current: current ? certificationView(current, lang, now) : null,
    history,
    certValues: forms.certValues ?? blankCertification(current?.stars),
    certProblems: forms.certProblems ?? [],
    authorityChoices: AUTHORITY_CHOICES,
    certProblemOf: Object.fromEntries((forms.certProblems ?? []).filter((p) => p.field).map((p) => [p.field, p.message])),
    saved: req.query.saved === '1' && status === 200,
  }, status);
}
