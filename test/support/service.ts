/**
 * The service as it runs in production: the compiled dist/main.js (npm run build) in a
 * process of its own, talking to a test or benchmark database. Benchmarks read its CPU
 * time and peak memory from /proc, so the service needs no hooks for them.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningJwk } from '../../src/labels/signing/key-crypto.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these. */
const TICKS_PER_SECOND = 100;

export type Service = {
  pid: number;
  port: number;
  /** User + system CPU seconds the service has used so far. */
  cpuSeconds(): number;
  /** The service's peak resident memory so far, in MB (VmHWM). */
  peakRssMb(): number;
  /** What the service has written so far, log lines and the bootstrap admin key. */
  output(): string;
  /** Resolves with the output once it matches `pattern` (now or later); rejects after `withinMs`. */
  waitForOutput(pattern: RegExp, withinMs: number): Promise<string>;
  /** SIGTERM, as an operator would: the service flushes buffered scans and exits. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: nothing is flushed. */
  kill(): Promise<void>;
  /** The exit code once exited (null while running, or when killed by a signal). */
  exitCode(): number | null;
};

/**
 * Starts dist/main.js with `env` (on top of a quiet production config); `core` pins it
 * to one CPU, `nodeArgs` go to node (e.g. a profiler's flags).
 */
export async function startService(env: Record<string, string>, opts: { core?: string; nodeArgs?: string[]; entry?: 'main' | 'cluster' } = {}): Promise<Service> {
  const main = path.join(root, 'dist', `${opts.entry ?? 'main'}.js`);
  if (!fs.existsSync(main)) throw new Error('dist/main.js is missing: run npm run build (the bench npm scripts do)');
  const port = await freePort();
  const command = [process.execPath, ...(opts.nodeArgs ?? []), '--enable-source-maps', main];
  const [file, ...args] = opts.core ? ['taskset', '-c', opts.core, ...command] : command;
  const child = spawn(file!, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Log lines (pino writes to stdout); at the quiet default level there are few.
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const output = () => stdout + stderr;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when /healthz answers; a service that exits first shows its error output.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = child.pid!;
  return {
    pid,
    port,
    cpuSeconds: () => processCpuSeconds(pid),
    output,
    waitForOutput(pattern, withinMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output())) return;
          done();
          resolve(output());
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`the service did not write ${pattern} within ${withinMs} ms`));
        }, withinMs);
        const done = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.stderr!.off('data', check);
        };
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        check();
      });
    },
    peakRssMb() {
      const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return Number(kb) / 1024;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    exitCode: () => child.exitCode,
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * For a test: compiles the service (npm run build) and starts it on `mongodbUri` with a
 * fresh signing key, no demo data and the tests' public address.
 */
export async function startBuiltService(mongodbUri: string): Promise<Service> {
  buildService();
  return startServiceOn(mongodbUri, { SIGNING_KEY_JWK: JSON.stringify(generateSigningJwk()) });
}

/** Compiles the service to dist/ (npm run build); once before starting several, since it rewrites dist/. */
export function buildService(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: root, stdio: 'ignore' });
}

/**
 * The compiled service (built already) on `mongodbUri`, as the tests run it: no demo
 * data, the tests' public address, and `env` on top (several instances of one service
 * share SIGNING_KEY_JWK).
 */
export function startServiceOn(
  mongodbUri: string,
  env: Record<string, string>,
  opts: { core?: string; nodeArgs?: string[]; entry?: 'main' | 'cluster' } = {},
): Promise<Service> {
  return startService({ MONGODB_URI: mongodbUri, SEED_DEMO: 'false', DATA_DIR: '.data/test', PUBLIC_BASE_URL: 'https://trace.example.vn', ...env }, opts);
}

/** User + system CPU seconds a process has used so far. */
export function processCpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
