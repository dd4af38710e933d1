import type { NextFunction, Request, Response } from 'express';
import { httpDuration, httpRequests, type RouteClass } from '../metrics/metrics.js';

/** The class of a request, from its path's first segment: the metrics' label set stays fixed whatever URLs arrive. */
export function routeClassOf(method: string, path: string): RouteClass {
  if (path.startsWith('/01/') || path.startsWith('/p/')) return 'label';
  if (path.startsWith('/api/')) return method === 'GET' || method === 'HEAD' ? 'api_read' : 'api_write';
  if (path.startsWith('/.well-known/')) return 'resolver';
  if (path.startsWith('/static/') || path.startsWith('/media/') || path === '/favicon.ico') return 'static';
  if (path === '/healthz' || path === '/readyz') return 'health';
  if (path === '/' || path.startsWith('/report') || path.startsWith('/batches') || path.startsWith('/docs')) return 'page';
  return 'other';
}

/**
 * Request rate and latency by route class. Mounted only when metrics are on
 * (METRICS_PORT): without them a request pays nothing. The labelled children are made
 * once, so a request costs one listener and two array updates.
 */
export function requestMetrics() {
  const durations = new Map<RouteClass, ReturnType<typeof httpDuration.labels>>();
  const durationOf = (c: RouteClass) => {
    let child = durations.get(c);
    if (!child) durations.set(c, (child = httpDuration.labels({ class: c })));
    return child;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    res.once('finish', () => {
      const c = routeClassOf(req.method, req.originalUrl);
      durationOf(c).observe((performance.now() - start) / 1000);
      httpRequests.inc({ class: c, status: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  };
}
