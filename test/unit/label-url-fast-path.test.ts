import { expect } from 'chai';
import { Router, type Request, type Response } from 'express';
import { RESOLVER_PATHS, isPrintedLabelUrl } from '../../src/verify/verify.routes.js';

/** Which way Express's own router sends a request: to the label route, elsewhere, or to an error. */
function routerAnswer(method: string, url: string): Promise<string> {
  const router = Router();
  router.get(RESOLVER_PATHS, (_req, res) => void (res.locals.hit = 'label'));
  return new Promise((resolve) => {
    const res = { locals: {} as Record<string, string> } as unknown as Response;
    // The router calls back when no route answered (or on an error); the label route answers at once.
    router(Object.assign(Object.create(null) as Request, { method, url, headers: {} }), res, (err?: unknown) => resolve(err ? 'error' : 'none'));
    if (res.locals.hit) resolve(res.locals.hit);
  });
}

describe('label URLs past the router (verify.routes.ts labelsFirst)', () => {
  const printed = [
    '/01/08936045120019/10/BV2026-01/21/7ZKDXPG942SFJAX7?s=4&v=290905&k=AWWb_tZW&sig=Ofmt2j9E3aKq',
    '/01/08936045120019/10/BV2026-01/21/7ZKDXPG942SFJAX7?s=4&sig=x&lang=en&place=00577',
    '/p/PRD01/10/L1/21/ABCDEFGHIJKLM?s=3&v=290905&k=k&sig=y',
  ];
  const others = ['/01/', '/01', '/01/?s=1', '/01/%ZZ', '/01/%41BC', '/01/a%2Fb?x=1', '/P/a', '/gtin/08936045120019', '/p/', '/pp/a', '/.well-known/jwks.json', '/01//', '/01/x/'];

  it('when a label is scanned as we print it, then it goes straight to the label route', () => {
    for (const url of printed) expect(isPrintedLabelUrl('GET', url), url).to.equal(true);
    expect(isPrintedLabelUrl('HEAD', printed[0]!)).to.equal(true);
  });

  it('when any other request arrives, then it goes through the router', () => {
    expect(isPrintedLabelUrl('POST', printed[0]!)).to.equal(false);
    expect(isPrintedLabelUrl('OPTIONS', printed[0]!)).to.equal(false);
    for (const url of ['/01/', '/01/?s=1', '/01/%ZZ', '/01/%41BC', '/P/a', '/gtin/08936045120019', '/p/']) expect(isPrintedLabelUrl('GET', url), url).to.equal(false);
  });

  it('when a request goes straight to the label route, then the router would have sent it there too', async () => {
    for (const url of [...printed, ...others]) {
      if (isPrintedLabelUrl('GET', url)) expect(await routerAnswer('GET', url), url).to.equal('label');
    }
  });
});
