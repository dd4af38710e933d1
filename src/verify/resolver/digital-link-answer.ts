import type { Request, Response } from 'express';
import { canonicalDigitalLinkPath, type DigitalLink } from './digital-link.js';
import { itemLinkOf, itemLinkset, resolveItem, type ResolvedItem } from './item-links.js';
import { linkTypeOf } from './links.js';
import { linkHeader, linksetLinks, LINKSET_TYPE, relOf, type HeaderLink } from './resolver-headers.js';

/**
 * The resolver's answer to a valid GS1 Digital Link that is not a signed label of ours
 * (item-links.ts says which links it has):
 *
 * - `linkType=linkset` (or the deprecated `all`), or `Accept: application/linkset+json`
 *   without a linkType: 200 with the linkset (as `application/json` when the client
 *   prefers plain JSON, the same document);
 * - `linkType={a type}` in any GS1 vocabulary spelling: 307 to that link, from the most
 *   specific level up; a type no level has gets the default link (GS1: redirect to the
 *   default unless the request can be matched to a better link);
 * - else 307 to the default link.
 *
 * Every redirect passes on the request's query string as sent. Every answer carries the
 * `Link` header (linkset, JSON-LD context, the links, and `owl:sameAs` naming the
 * canonical URI when the request spelled it otherwise), `Vary: Accept` and CORS.
 */
export async function answerDigitalLink(req: Request, res: Response, at: { base: string; link: DigitalLink; path: string }): Promise<void> {
  const { base, link, path } = at;
  const item = await resolveItem(base, link);
  const linkTypeParam = link.params.find(([name]) => name === 'linkType')?.[1];
  const linkType = linkTypeParam ? linkTypeOf(linkTypeParam) : null;

  res.setHeader('Vary', 'Accept');
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.setHeader('Link', linkHeader(headerLinks(base, item, path !== canonicalDigitalLinkPath(link))));

  const asked = linkType === 'linkset' || linkType === 'all';
  const accepted = req.headers.accept ? req.accepts([LINKSET_TYPE, 'application/json', 'text/html']) : false;
  if (asked || (!linkType && accepted === LINKSET_TYPE)) {
    const type = accepted === 'application/json' ? 'application/json' : LINKSET_TYPE;
    res.type(type).send(JSON.stringify(itemLinkset(base, item)));
    return;
  }
  const target = (linkType && itemLinkOf(item, linkType)?.href) || item.defaultHref;
  res.redirect(307, withQuery(target, req.originalUrl));
}

/** The target with the request's query string (as sent) put before the target's fragment. */
function withQuery(target: string, requestTarget: string): string {
  const q = requestTarget.indexOf('?');
  if (q < 0 || q === requestTarget.length - 1) return target;
  const hash = target.indexOf('#');
  const [head, fragment] = hash < 0 ? [target, ''] : [target.slice(0, hash), target.slice(hash)];
  return `${head}${head.includes('?') ? '&' : '?'}${requestTarget.slice(q + 1)}${fragment}`;
}

function headerLinks(base: string, item: ResolvedItem, spelledOtherwise: boolean): HeaderLink[] {
  const links = linksetLinks(`${item.anchor}?linkType=linkset`);
  if (spelledOtherwise) links.push({ href: item.anchor, rel: 'owl:sameAs' });
  for (const level of item.levels) {
    for (const [type, of] of Object.entries(level.links)) {
      for (const l of of) links.push({ href: `${base}${l.href}`, rel: relOf(type), type: l.type, hreflang: l.hreflang, title: l.title });
    }
  }
  return links;
}
