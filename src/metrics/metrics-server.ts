import http from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';
import { registry } from './metrics.js';

export type MetricsServer = { port: number; close(): Promise<void> };

/**
 * The metrics on a listener of their own (METRICS_HOST:METRICS_PORT), never on the
 * public port: Prometheus reaches it from inside, the internet does not. In a cluster the
 * primary serves it, gathering every worker's registry (each worker's series carry a
 * `worker` label, so they stay apart).
 */
export async function serveMetrics(opts: { host: string; port: number; cluster: boolean }): Promise<MetricsServer> {
  const aggregator = opts.cluster ? new client.AggregatorRegistry() : null;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && !req.url?.startsWith('/metrics?'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    const text = aggregator ? aggregator.clusterMetrics() : registry.metrics();
    text.then(
      (body) => res.writeHead(200, { 'Content-Type': aggregator?.contentType ?? registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
