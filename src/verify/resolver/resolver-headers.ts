import type { Response } from 'express';
import { GS1_VOC } from './links.js';

/**
 * HTTP headers every resolver answer carries (GS1 resolver standard): CORS open to every
 * origin, so a web page elsewhere can read a link or a linkset, and the `Link` header that
 * exposes the linkset and the links even when redirecting.
 */
export const LINKSET_TYPE = 'application/linkset+json';

/** The JSON-LD context of the GS1 Web vocabulary, for clients reading linksets as linked data. */
export const GS1_JSONLD_CONTEXT = 'https://ref.gs1.org/voc/data/gs1Voc.jsonld';

/** What a browser may read of an answer from another origin (Location and Link are not safelisted). */
const EXPOSED = 'Link, Location, Content-Type';

export function openToEveryOrigin(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
}

/** The answer to a CORS preflight (OPTIONS) on a resolver path: GET and HEAD, with any request headers. */
export function answerPreflight(res: Response, requestedHeaders: string | undefined): void {
  openToEveryOrigin(res);
  res.setHeader('Allow', 'GET, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
  // Any header a client asks for (Accept, Accept-Language…): nothing here depends on credentials.
  if (requestedHeaders) res.setHeader('Access-Control-Allow-Headers', requestedHeaders.replace(/[^\w\-, ]/g, ''));
  res.setHeader('Access-Control-Max-Age', '86400');
  res.setHeader('Cache-Control', 'public, max-age=86400');
  res.status(204).end();
}

export type HeaderLink = { href: string; rel: string; type?: string | undefined; title?: string | undefined; hreflang?: string[] | undefined };

/** A header parameter value: quoted, ASCII only (a title's Vietnamese half is left to the linkset). */
const quoted = (v: string) => `"${v.split(' / ')[0]!.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '')}"`;

/** One RFC 8288 Link header value from links; link types as GS1 Web vocabulary URIs. */
export function linkHeader(links: HeaderLink[]): string {
  return links
    .map((l) => {
      let v = `<${l.href}>; rel="${l.rel}"`;
      if (l.type) v += `; type="${l.type}"`;
      if (l.hreflang?.length) v += l.hreflang.map((h) => `; hreflang="${h}"`).join('');
      if (l.title) v += `; title=${quoted(l.title)}`;
      return v;
    })
    .join(', ');
}

/** The links every answer exposes: its linkset and the vocabulary's JSON-LD context. */
export function linksetLinks(linksetHref: string): HeaderLink[] {
  return [
    { href: linksetHref, rel: 'linkset', type: LINKSET_TYPE },
    { href: GS1_JSONLD_CONTEXT, rel: 'http://www.w3.org/ns/json-ld#context', type: 'application/ld+json' },
  ];
}

/** A link type of the GS1 Web vocabulary as a relation URI. */
export const relOf = (type: string) => `${GS1_VOC}${type}`;
