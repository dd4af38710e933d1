import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The project's own FerretDB 1.24 (see scripts/ferretdb/): built from source with Go
 * on first use, started as a child process. Used by `npm start` without MONGODB_URI
 * (SQLite backend) and by the tests and benchmarks (PostgreSQL backend).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'scripts', 'ferretdb');
export const ferretBinary = path.join(root, '.data', 'bin', 'ferretdb');

function newestSourceMtime(): number {
  return Math.max(
    ...fs
      .readdirSync(sourceDir)
      .filter((f) => /\.(go|mod|sum)$/.test(f))
      .map((f) => fs.statSync(path.join(sourceDir, f)).mtimeMs),
  );
}

/** Builds the binary when it is missing or older than its Go sources (≈ 1 min cold). */
export function ensureFerretBinary(log: (msg: string) => void = () => {}): string {
  const stat = fs.statSync(ferretBinary, { throwIfNoEntry: false });
  if (stat && stat.mtimeMs >= newestSourceMtime()) return ferretBinary;
  log('building FerretDB from scripts/ferretdb (first run only, about a minute)…');
  fs.mkdirSync(path.dirname(ferretBinary), { recursive: true });
  execFileSync('go', ['build', '-o', ferretBinary, '.'], { cwd: sourceDir, stdio: ['ignore', 'inherit', 'inherit'] });
  return ferretBinary;
}

export type FerretBackend =
  | { kind: 'sqlite'; dir: string }
  | { kind: 'postgresql'; url: string };

export type RunningFerret = {
  /** mongodb://host:port/ without a database name. */
  uri: string;
  /** The server's process (tests pause it to play a stalled database). */
  pid: number;
  /**
   * Has the server add now any companion index still missing (the indexes FerretDB's own
   * queries can use, which it otherwise adds within seconds: scripts/ferretdb/companion.go),
   * and resolves when that is done.
   */
  ensureIndexes(): Promise<void>;
  stop(): Promise<void>;
};

export async function startFerretDB(opts: {
  backend: FerretBackend;
  port?: number;
  log?: (msg: string) => void;
}): Promise<RunningFerret> {
  const bin = ensureFerretBinary(opts.log);
  const args = ['-listen', `127.0.0.1:${opts.port ?? 0}`, '-handler', opts.backend.kind];
  if (opts.backend.kind === 'sqlite') {
    // FerretDB never creates the folder. Owner only: it holds the whole database (files
    // made by an older build, before the server set its umask, are tightened too).
    fs.mkdirSync(opts.backend.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(opts.backend.dir, 0o700);
    for (const f of fs.readdirSync(opts.backend.dir)) fs.chmodSync(path.join(opts.backend.dir, f), 0o600);
    args.push('-sqlite-url', `file:${opts.backend.dir.replace(/\/?$/, '/')}`);
  } else {
    args.push('-postgresql-url', withCustomPlans(opts.backend.url));
  }
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const indexed: Array<() => void> = [];
  const lines = readline.createInterface({ input: child.stdout });
  const uri = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /^ready (mongodb:\/\/\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
      if (line === 'indexed') for (const done of indexed.splice(0)) done();
    });
    child.once('exit', (code) => reject(new Error(`FerretDB exited with ${code} before listening: ${stderr.trim()}`)));
    child.once('error', reject);
  });
  const ensureIndexes = () =>
    new Promise<void>((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error('FerretDB has stopped'));
      indexed.push(resolve);
      child.kill('SIGUSR1');
    });
  return { uri: uri.replace(/\/?$/, '/'), pid: child.pid!, ensureIndexes, stop: () => stopChild(child) };
}

/**
 * FerretDB sends its queries as prepared statements. After a few runs PostgreSQL may
 * switch a statement to a generic plan, which cannot use the `_id` index for a
 * parameter, and every lookup of that shape then reads the whole table (seen on
 * scan_tallies under bench:verify-cluster: about 270 full scans a second). Planning
 * each query afresh costs little beside that; a URL that sets the mode keeps its own.
 */
function withCustomPlans(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has('plan_cache_mode')) u.searchParams.set('plan_cache_mode', 'force_custom_plan');
  return u.toString();
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Joins a server URI and a database name: mongodb://h:p/ + ocop → mongodb://h:p/ocop */
export function withDatabase(serverUri: string, db: string): string {
  const u = new URL(serverUri);
  u.pathname = `/${db}`;
  return u.toString();
}
