import { Router, type Request, type Response } from 'express';
import { parseInput } from '../errors/validate.js';
import { translator, type Lang } from '../i18n.js';
import { pickLang } from '../http/language.js';
import { renderPage } from '../http/views.js';
import { openRoute } from '../policy/principal-of-request.js';
import { findProvince, provinces } from '../reference/admin-units.js';
import { CURRENT_GROUP_LIST_VERSION, PRODUCT_GROUP_LISTS } from '../reference/product-groups.js';
import { PRODUCER_KINDS } from '../registry/producers/producer.schema.js';
import { CATALOGUE_SORTS } from './catalogue-search.js';
import type { CatalogueIndex } from './catalogue-index.js';
import { cataloguePageSchema, serialInput, withoutEmpty } from './catalogue.schema.js';
import { catalogueMessages } from './catalogue.messages.js';
import { entryView } from './catalogue.presenter.js';
import { productView, producerView } from './catalogue-pages.presenter.js';
import { labelPathBySerial, producerPage, productPage, searchRegistry } from './catalogue.service.js';

const translators = { vi: translator(catalogueMessages, 'vi'), en: translator(catalogueMessages, 'en') };
const PAGE_SIZE = 20;
const FORM_FIELDS = ['q', 'province', 'commune', 'group', 'stars', 'kind', 'status', 'sort'] as const;
type FormValues = Record<(typeof FORM_FIELDS)[number], string>;

/** The choices of the search form, in the page's language. */
function formOptions(lang: Lang, provinceCode: string) {
  const t = translators[lang];
  return {
    provinces: provinces.map((p) => ({ code: p.code, name: p.name })),
    communes: provinceCode ? (findProvince(provinceCode)?.communes ?? []).map((c) => ({ code: c.code, name: c.name })) : [],
    groups: PRODUCT_GROUP_LISTS[CURRENT_GROUP_LIST_VERSION].map((g) => ({ code: g.code, name: g[lang] })),
    stars: [5, 4, 3, 2, 1].map((n) => ({ code: String(n), name: t('starsN', { n }) })),
    kinds: PRODUCER_KINDS.map((k) => ({ code: k, name: t(`kind.${k}`) })),
    statuses: (['active', 'expired', 'none'] as const).map((s) => ({ code: s, name: t(`status.${s}`) })),
    sorts: CATALOGUE_SORTS.map((s) => ({ code: s, name: t(`sort.${s}`) })),
  };
}

const blankForm = (): FormValues => ({ q: '', province: '', commune: '', group: '', stars: '', kind: '', status: '', sort: '' });

/** The URL of this search with other parameters (a page number, the other language): every search is a link. */
function searchHref(values: FormValues, extra: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const f of FORM_FIELDS) if (values[f]) params.set(f, values[f]);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const qs = params.toString();
  return qs ? `/products?${qs}` : '/products';
}

function page(req: Request, res: Response, view: string, data: Record<string, unknown> & { title: string }, status = 200) {
  const lang = pickLang(req);
  res.setHeader('Cache-Control', 'no-store');
  renderPage(req, res, view, { lang, t: translators[lang], ...data }, status);
}

/**
 * The public registry's pages, server-rendered, no script needed: the home page (search
 * box, filters, "type the serial"), search results (/products?…), a product, a producer,
 * and the serial lookup (/serial?serial=…), which leads to the label's verification page.
 */
export function cataloguePagesRouter(index: CatalogueIndex): Router {
  const router = Router();

  router.get('/', openRoute('site.read', (req, res) => {
    const lang = pickLang(req);
    page(req, res, 'home', { title: translators[lang]('homeTitle'), form: blankForm(), options: formOptions(lang, '') });
  }));

  router.get('/products', openRoute('catalogue.read', async (req, res) => {
    const lang = pickLang(req);
    const query = parseInput(cataloguePageSchema, withoutEmpty(req.query as Record<string, unknown>));
    const result = await searchRegistry(index, { ...query, limit: PAGE_SIZE });
    const form: FormValues = { ...blankForm() };
    for (const f of FORM_FIELDS) {
      const v = query[f];
      if (v !== undefined) form[f] = String(v);
    }
    const current = Math.floor(result.page.offset / PAGE_SIZE) + 1;
    const pages = Math.max(1, Math.ceil(result.page.total / PAGE_SIZE));
    const t = translators[lang];
    page(req, res, 'catalogue/search', {
      title: form.q ? `${form.q} · ${t('searchTitle')}` : t('searchTitle'),
      form,
      options: formOptions(lang, form.province),
      items: result.items.map((e) => entryView(e, lang)),
      total: result.page.total,
      current,
      pages,
      previousHref: current > 1 ? searchHref(form, { page: String(current - 1) }) : null,
      nextHref: current < pages ? searchHref(form, { page: String(current + 1) }) : null,
      switchHref: searchHref(form, { ...(current > 1 ? { page: String(current) } : {}), lang: lang === 'vi' ? 'en' : 'vi' }),
    });
  }));

  router.get('/products/:id', openRoute('catalogue.read', async (req, res) => {
    const lang = pickLang(req);
    const view = productView(await productPage(String(req.params.id)), lang);
    page(req, res, 'catalogue/product', { title: view.name, product: view });
  }));

  router.get('/producers/:id', openRoute('catalogue.read', async (req, res) => {
    const lang = pickLang(req);
    const view = producerView(await producerPage(index, String(req.params.id)), lang);
    page(req, res, 'catalogue/producer', { title: view.name, producer: view });
  }));

  router.get('/serial', openRoute('catalogue.read', async (req, res) => {
    const lang = pickLang(req);
    const t = translators[lang];
    const typed = typeof req.query.serial === 'string' ? req.query.serial.slice(0, 100) : '';
    const parsed = serialInput.safeParse(typed);
    if (parsed.success) {
      const target = await labelPathBySerial(parsed.data);
      if (target) {
        // See Other: the verification page is a different resource from this lookup.
        res.redirect(303, `${target}${lang === 'en' ? '&lang=en' : ''}`);
        return;
      }
    }
    const problem = parsed.success ? t('serialUnknown', { serial: parsed.data }) : t('serialInvalid');
    page(req, res, 'catalogue/serial', { title: t('serialTitle'), serial: typed, problem }, parsed.success ? 404 : 400);
  }));

  return router;
}
