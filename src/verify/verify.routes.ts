import { Router } from 'express';
import type { Config } from '../config.js';
import { badRequest, notFound } from '../errors/app-error.js';
import { keepLangChoice, pickLang } from '../http/language.js';
import { BoundedMap } from '../bounded-map.js';
import { sendHtml } from '../http/views.js';
import type { Keyring } from '../labels/signing/keyring.js';
import { buildLabelUrl, parseLabelUrl, type LabelQuery } from '../labels/format/label-url.js';
import { findCommune } from '../reference/admin-units.js';
import { LabelPages } from './page/page-shells.js';
import { malformedPage, malformedReason } from './page/malformed-page.js';
import { labelLinks, linkset, linkTypeOf, type LinkType } from './resolver/links.js';
import { resolverDescription } from './resolver/resolver-description.js';
import { LABEL_FORMAT_PATH, labelFormatDoc } from './resolver/label-format-doc.js';
import { gtinOnlyTarget } from './resolver/gtin-link.js';
import type { ScanRecorder } from './scans/scan-recorder.js';
import { verificationJson } from './page/verify.presenter.js';
import { LabelVerifier } from './verify.service.js';
import { openRoute } from '../policy/principal-of-request.js';

const LINKSET_TYPE = 'application/linkset+json';
const ANSWERS = ['html', 'json', LINKSET_TYPE];
const SIGNED_PARAMS = ['s', 'v', 'k', 'sig'];

/**
 * The resolver: label URLs (/01/…, /p/…) answer with the verification page, the
 * verdict as JSON, an RFC 9264 linkset, or a 307 to one link type; plus the
 * resolver description and the public keys (JWKS) offline verifiers need.
 */
export function verifyRouter(deps: { config: Config; keyring: Keyring; scans: ScanRecorder; verifier?: LabelVerifier }): Router {
  const { config, keyring, scans } = deps;
  const verifier = deps.verifier ?? new LabelVerifier({ config, keyring, scans });
  const pages = new LabelPages();
  // Browsers send a handful of distinct Accept values: each is negotiated once (bounded: odd ones cannot grow it).
  const answerByAccept = new BoundedMap<string, string | false>(500);
  // A label URL read once is read the same way again (parsing is pure): a shelf of one batch, a
  // reload or a copied label costs a lookup instead of a parse. Bounded: distinct URLs sent by a
  // flood only cycle it (≈ 1 KB an entry).
  const parsedUrls = new BoundedMap<string, ReturnType<typeof parseLabelUrl>>(5_000);
  const router = Router();

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

  // Every path under /01/ and /p/ is ours: anything that is not a well-formed label is a 400.
  router.get(['/01/*rest', '/p/*rest'], openRoute('verify.read', async (req, res) => {
    // The URL read as a browser and the offline check (public/label-check.js) read it,
    // not through Express's req.path and req.query: one reading, one verdict.
    const parsed = parsedUrls.remember(req.originalUrl, () => parseLabelUrl(req.originalUrl));
    const query = parsed.query;
    if (!parsed.ok && parsed.problem === 'path' && !SIGNED_PARAMS.some((name) => name in query)) {
      // A GTIN alone names a product, not a label: its page in the public registry. With a
      // label's signature parameters it is a label cut short, and stays a malformed label.
      const target = await gtinOnlyTarget(req.path, req.originalUrl.slice(req.originalUrl.split('?', 1)[0]!.length));
      if (target) {
        res.redirect(307, target);
        return;
      }
    }
    if (!parsed.ok) {
      // A person holding a damaged label gets a verdict; a machine, the stable code.
      const answer = req.headers.accept ? req.accepts(ANSWERS) : 'html';
      const wantsPage = !query.linkType && answer !== 'json' && answer !== LINKSET_TYPE;
      if (!wantsPage) throw badRequest('label/malformed_uri', parsed.reason, { problem: parsed.problem, reason: malformedReason(parsed.problem) });
      const lang = pickLang(req, query);
      keepLangChoice(req, res, query);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Vary', 'Accept, Accept-Language, Cookie');
      const links = { switchHref: withLang(req.originalUrl, lang === 'vi' ? 'en' : 'vi', query), reportHref: reportHref(req.originalUrl) };
      sendHtml(res, Buffer.from(malformedPage(req.originalUrl, parsed.problem, lang, links)), 400);
      return;
    }

    const recordScan = req.method === 'GET';
    const scan = recordScan
      ? { ...scans.clientOf(req.ip ?? '', req.headers['user-agent'] ?? ''), place: placeOf(query.place) }
      : null;
    const verified = verifier.verify(parsed.label, scan);
    // A label scanned before is decided synchronously: no await, no extra turn of the event loop.
    const verification = verified instanceof Promise ? await verified : verified;
    const lang = pickLang(req, query);
    keepLangChoice(req, res, query);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Accept, Accept-Language, Cookie');

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
    // The language switch must keep the signed query, or the other language would be a malformed URI.
    const signed = buildLabelUrl('', parsed.label);
    sendHtml(res, pages.render(verification, lang, { switchHref: `${signed}&lang=${lang === 'vi' ? 'en' : 'vi'}`, reportHref: reportHref(signed) }));
  }));

  return router;
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
