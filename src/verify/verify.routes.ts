import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../config.js';
import { AppError, badRequest, notFound } from '../errors/app-error.js';
import { keepLangChoice, pickLang } from '../http/language.js';
import type { Lang } from '../i18n.js';
import { BoundedMap } from '../bounded-map.js';
import { sendHtml } from '../http/views.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { buildLabelUrl, parseLabelUrl, type LabelQuery } from '../labels/format/label-url.js';
import { findCommune } from '../reference/admin-units.js';
import { LabelPages, type PageLinks } from './page/page-shells.js';
import { malformedPage, malformedReason } from './page/malformed-page.js';
import { labelLinks, linkset, linkTypeOf, type LinkType } from './resolver/links.js';
import { resolverDescription } from './resolver/resolver-description.js';
import { LABEL_FORMAT_PATH, labelFormatDoc } from './resolver/label-format-doc.js';
import { parseDigitalLink, type DigitalLinkProblem } from './resolver/digital-link.js';
import { answerDigitalLink } from './resolver/digital-link-answer.js';
import { decompressDigitalLink, looksCompressed } from './resolver/compressed-link.js';
import { answerPreflight, openToEveryOrigin } from './resolver/resolver-headers.js';
import type { LabelProblem } from '../labels/format/label-url.js';
import type { ScanRecorder } from './scans/scan-recorder.js';
import { verificationJson } from './page/verification-json.js';
import { LabelVerifier, type Verification } from './verify.service.js';
import { openRoute } from '../policy/principal-of-request.js';

const LINKSET_TYPE = 'application/linkset+json';
const ANSWERS = ['html', 'json', LINKSET_TYPE];
const SIGNED_PARAMS = ['s', 'v', 'k', 'sig'];
/** The resolver's paths: GTIN Digital Links (numeric and convenience-alpha spelling) and our own /p/ key. */
export const RESOLVER_PATHS = ['/01/*rest', '/gtin/*rest', '/p/*rest'];
/** How the damaged-label page names a Digital Link's problem. */
const LABEL_PROBLEM_OF: Record<DigitalLinkProblem, LabelProblem> = {
  path: 'path', gtin: 'gtin', lot: 'lot', serial: 'serial', cpv: 'path', tpx: 'path', query: 'path', attribute: 'path',
};

/**
 * The resolver: signed label URLs (/01/…, /p/…) answer with the verification page, the
 * verdict as JSON, an RFC 9264 linkset, or a 307 to one link type; every other GS1
 * Digital Link (/01/…, /gtin/…, compressed) its product's or lot's links
 * (resolver/digital-link-answer.ts); plus the resolver description and the public keys
 * (JWKS) offline verifiers need.
 */
export function verifyRouter(deps: { config: Config; keyring: Keyring; scans: ScanRecorder; verifier?: LabelVerifier }): RequestHandler {
  const { config, keyring, scans } = deps;
  const verifier = deps.verifier ?? new LabelVerifier({ config, keyring, scans });
  const pages = new LabelPages();
  // Browsers send a handful of distinct Accept values: each is negotiated once (bounded: odd ones cannot grow it).
  const answerByAccept = new BoundedMap<string, string | false>(500);
  // A label URL read once is read the same way again (parsing is pure): a shelf of one batch, a
  // reload or a copied label costs a lookup instead of a parse, and the strings its answers
  // carry (SignedForms) are made once too. Bounded: distinct URLs sent by a flood only cycle it
  // (≈ 2 KB an entry).
  const parsedUrls = new BoundedMap<string, ReadUrl>(5_000);
  const router = Router();

  // Every path under /01/, /gtin/ and /p/ is ours: a signed label gets its verification page in
  // one hop; any other valid GS1 Digital Link its product (or lot) links; the rest is a 400.
  // First, so that the hot path tests no other route's path on its way.
  const labelRoute = openRoute('verify.read', (req, res) => {
    openToEveryOrigin(res);
    // The URL read as a browser and the offline check (public/label-check.js) read it,
    // not through Express's req.path and req.query: one reading, one verdict.
    const read = parsedUrls.remember(req.originalUrl, readUrl);
    const { parsed } = read;
    if (!parsed.ok) return answerUnsigned(req, res, parsed);
    const scan = req.method === 'GET'
      ? { ...scans.clientOf(req.ip ?? '', req.headers['user-agent'] ?? ''), place: placeOf(parsed.query.place) }
      : null;
    const verified = verifier.verify(parsed.label, scan);
    // A label scanned before is decided synchronously: the handler returns no promise, and
    // the answer costs no extra turn of the event loop.
    if (verified instanceof Promise) return verified.then((verification) => answerLabel(req, res, read, verification));
    answerLabel(req, res, read, verified);
  });
  router.get(RESOLVER_PATHS, labelRoute);

  /** A URL that is not one of our signed labels: another GS1 Digital Link's links, or the damaged-label verdict. */
  async function answerUnsigned(req: Request, res: Response, parsed: Exclude<ReadUrl['parsed'], { ok: true }>): Promise<void> {
    const query = parsed.query;
    let problem: LabelProblem = parsed.problem;
    let reason = parsed.reason;
    let dlProblem: DigitalLinkProblem | undefined;
    // Not one of our signed labels. With a label's signature parameters it is a label cut
    // short or tampered with, and stays a malformed label (the offline check says the same);
    // without them it may be any GS1 Digital Link, read by the general parser.
    if (!req.path.startsWith('/p/') && !SIGNED_PARAMS.some((name) => name in query)) {
      const [path, rawQuery = ''] = splitTarget(req.originalUrl);
      const dl = parseDigitalLink(path, rawQuery);
      if (dl.ok) {
        await answerDigitalLink(req, res, { base: config.publicBaseUrl, link: dl.link, path });
        return;
      }
      dlProblem = dl.problem;
      problem = LABEL_PROBLEM_OF[dl.problem];
      reason = dl.reason;
    }
    // A person holding a damaged label gets a verdict; a machine, the stable code.
    const answer = req.headers.accept ? req.accepts(ANSWERS) : 'html';
    const wantsPage = !query.linkType && answer !== 'json' && answer !== LINKSET_TYPE;
    if (!wantsPage) {
      throw badRequest('label/malformed_uri', reason, { problem, reason: malformedReason(problem), ...(dlProblem ? { digitalLinkProblem: dlProblem } : {}) });
    }
    const lang = pickLang(req, query);
    keepLangChoice(req, res, query);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept, Accept-Language, Cookie');
    const links = { switchHref: withLang(req.originalUrl, lang === 'vi' ? 'en' : 'vi', query), reportHref: reportHref(req.originalUrl) };
    sendHtml(res, Buffer.from(malformedPage(req.originalUrl, problem, lang, links)), 400);
  }

  /** A signed label's answer: its page, the verdict as JSON, its linkset, or a redirect to one of its links. */
  function answerLabel(req: Request, res: Response, read: ReadUrl, verification: Verification): void {
    const query = read.parsed.query;
    const forms = read.signed!;
    const lang = pickLang(req, query);
    keepLangChoice(req, res, query);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept, Accept-Language, Cookie');
    res.setHeader('Link', forms.link);

    const linkType = typeof query.linkType === 'string' ? linkTypeOf(query.linkType) : null;
    // One content negotiation for the three answers (false: nothing acceptable → the page).
    const accept = req.headers.accept;
    const wanted = linkType ? null : accept ? answerByAccept.remember(accept, () => req.accepts(ANSWERS)) : 'html';
    if (linkType === 'linkset' || linkType === 'all' || wanted === LINKSET_TYPE) {
      res.type(LINKSET_TYPE).send(JSON.stringify(linkset(config.publicBaseUrl, verification)));
      return;
    }
    if (linkType) {
      const link = labelLinks(config.publicBaseUrl, verification)[linkType as LinkType];
      if (!link) throw notFound('resolver/link_type_not_found', `This label has no link of type ${query.linkType as string}.`);
      res.redirect(307, link.href);
      return;
    }
    if (wanted === 'json') {
      const links = labelLinks(config.publicBaseUrl, verification);
      res.json(verificationJson(verification, lang, Object.fromEntries(Object.entries(links).map(([k, l]) => [k, l.href]))));
      return;
    }
    sendHtml(res, pages.renderParts(verification, lang, forms.page[lang]));
  }

  router.get('/.well-known/jwks.json', openRoute('resolver.read', async (_req, res) => {
    const jwks = await keyring.jwks();
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' });
    res.type('application/jwk-set+json').send(JSON.stringify(jwks));
  }));

  router.get('/.well-known/gs1resolver', openRoute('resolver.read', (_req, res) => {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=3600' });
    res.json(resolverDescription(config.publicBaseUrl));
  }));

  // What the description's signature.documentation names: a verifier reads the format there.
  router.get(LABEL_FORMAT_PATH, openRoute('resolver.read', (_req, res) => {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=3600' });
    res.type('text/markdown; charset=utf-8').send(labelFormatDoc());
  }));

  // A CORS preflight on any resolver path (GS1 resolver standard: GET, HEAD and OPTIONS).
  router.options(RESOLVER_PATHS, openRoute('resolver.read', (req, res) => {
    answerPreflight(res, req.headers['access-control-request-headers']);
  }));

  // A compressed GS1 Digital Link (one base64url segment starting with AI 01): read as its
  // uncompressed form; every other one-segment path goes on to the other routes. Last, so that label
  // URLs never try this route.
  const compressedOnly: RequestHandler = (req, _res, next) => next(looksCompressed(String(req.params.compressed)) ? undefined : 'route');
  router.options('/:compressed', compressedOnly, openRoute('resolver.read', (req, res) => {
    answerPreflight(res, req.headers['access-control-request-headers']);
  }));
  router.get(
    '/:compressed',
    compressedOnly,
    openRoute('verify.read', async (req, res) => {
      openToEveryOrigin(res);
      const [path, rawQuery = ''] = splitTarget(req.originalUrl);
      const unpacked = decompressDigitalLink(path.slice(1));
      if (!unpacked.ok && unpacked.unsupported) throw new AppError('resolver/compression_not_supported', unpacked.reason);
      if (!unpacked.ok) throw badRequest('label/malformed_uri', unpacked.reason, { problem: 'path', digitalLinkProblem: 'compressed' });
      const dl = parseDigitalLink(unpacked.path, [unpacked.query, rawQuery].filter(Boolean).join('&'));
      if (!dl.ok) throw badRequest('label/malformed_uri', dl.reason, { problem: LABEL_PROBLEM_OF[dl.problem], digitalLinkProblem: dl.problem });
      await answerDigitalLink(req, res, { base: config.publicBaseUrl, link: dl.link, path });
    }),
  );

  return labelsFirst(router, labelRoute);
}

/**
 * The router, with the label URLs we print handed straight to their route: GET or HEAD
 * /01/… or /p/… with a path that needs no decoding. The router would hand them to the same
 * route (its first, whose paths match every such URL) after a dispatch that cost a scan
 * about 5 % of its CPU in a profile of bench:verify. Every other request, a path with a
 * percent sign (which the router decodes, or refuses) too, goes through the router. The
 * stack is the router's, so whoever lists the app's routes finds the same ones.
 */
function labelsFirst(router: Router, labelRoute: RequestHandler): RequestHandler & Pick<Router, 'stack'> {
  const front: RequestHandler = (req, res, next) => (isPrintedLabelUrl(req.method, req.url) ? labelRoute(req, res, next) : router(req, res, next));
  return Object.assign(front, { stack: router.stack });
}

/** Whether the label route is the router's answer to this request, for certain (see labelsFirst). */
export function isPrintedLabelUrl(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const prefix = url.startsWith('/01/') ? 4 : url.startsWith('/p/') ? 3 : 0;
  if (prefix === 0 || url.length === prefix || url.charCodeAt(prefix) === 63 /* ? */) return false;
  const query = url.indexOf('?');
  return url.lastIndexOf('%', query < 0 ? url.length : query - 1) < 0;
}

/** A label URL as read (parseLabelUrl), and for a signed label the strings its answers carry. */
type ReadUrl = { parsed: ReturnType<typeof parseLabelUrl>; signed: SignedForms | null };

/** What the answers to one signed label carry, whatever else its URL holds (lang, place). */
type SignedForms = {
  /** The Link header: the linkset's address. */
  link: string;
  /** The page's links in each language. */
  page: Record<Lang, PageLinks>;
};

function readUrl(target: string): ReadUrl {
  const parsed = parseLabelUrl(target);
  if (!parsed.ok) return { parsed, signed: null };
  // The signed URL, rebuilt from its fields: the language switch and the linkset's address keep it.
  // The language switch must keep the signed query, or the other language would be a malformed URI.
  const signed = buildLabelUrl('', parsed.label);
  const report = reportHref(signed);
  return {
    parsed,
    signed: {
      link: `<${signed}&linkType=linkset>; rel="linkset"; type="${LINKSET_TYPE}"`,
      page: { vi: { switchHref: `${signed}&lang=en`, reportHref: report }, en: { switchHref: `${signed}&lang=vi`, reportHref: report } },
    },
  };
}

/** A request target's path and raw query (neither decoded). */
function splitTarget(target: string): [string, string?] {
  const q = target.indexOf('?');
  return q < 0 ? [target] : [target.slice(0, q), target.slice(q + 1)];
}

/** The report form, told which label (path and query as scanned) the report is about. */
const reportHref = (labelTarget: string) => `/report?label=${encodeURIComponent(labelTarget.slice(0, 2000))}`;

/** The same target in the other language: its query kept but for lang (a damaged link has no signed form to rebuild). */
function withLang(target: string, lang: string, query: LabelQuery): string {
  const path = target.split(/[?#]/, 1)[0]!;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name === 'lang') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  params.append('lang', lang);
  return `${path}?${params.toString()}`;
}

/** A commune code the client chose to send; anything else is ignored, never stored. */
function placeOf(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{5}$/.test(value)) return null;
  return findCommune(value) ? value : null;
}
