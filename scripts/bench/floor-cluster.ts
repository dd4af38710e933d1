/**
 * The floor of bench:verify-cluster: page-driver.ts's bare Express + helmet page (no
 * database) served by N node:cluster workers, as dist/cluster.js serves the service.
 * How much a second worker adds to it on this machine, with the load generator on the
 * same cores, is what a second worker can add at best to the verification page.
 *
 *   tsx scripts/bench/floor-cluster.ts N      prints "listening PORT" once all N listen
 */
import cluster from 'node:cluster';
import { serveBaseline } from './page-driver.js';

if (cluster.isPrimary) {
  const workers = Math.max(1, Number(process.argv[2] ?? 1));
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === workers) console.log(`listening ${address.port}`);
  });
  for (let i = 0; i < workers; i += 1) cluster.fork();
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  // listen(0) in a worker: the primary hands every worker the same port.
  await serveBaseline({ quiet: true });
}
