import { execFileSync } from 'node:child_process';
import { startFerretDB, withDatabase, type RunningFerret } from '../../src/ferretdb.js';

/**
 * A fresh PostgreSQL database per test run, served by the project's FerretDB.
 * PostgreSQL runs on every machine at 127.0.0.1:5432 with trust auth.
 */
const pgHost = process.env.OCOP_TEST_PGHOST ?? '127.0.0.1';
const pgPort = process.env.OCOP_TEST_PGPORT ?? '5432';
const pgUser = process.env.OCOP_TEST_PGUSER ?? 'postgres';

/**
 * `ferretPid`: the FerretDB serving it. `pause()` stops that process (SIGSTOP), as a
 * stalled database would; `resume()` lets it go on (SIGCONT; nothing when not paused).
 * `ensureIndexes`: its companion indexes added now (see RunningFerret).
 */
export type TestDatabase = { uri: string; ferretPid: number; pause(): void; resume(): void; ensureIndexes(): Promise<void>; drop(): Promise<void> };

export async function createTestDatabase(prefix = 'ocop_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const pgArgs = ['-h', pgHost, '-p', pgPort, '-U', pgUser];
  execFileSync('createdb', [...pgArgs, '-E', 'UTF8', '-T', 'template0', name]);
  let ferret: RunningFerret;
  try {
    ferret = await startFerretDB({
      backend: { kind: 'postgresql', url: `postgres://${pgUser}@${pgHost}:${pgPort}/${name}` },
      log: (m) => console.warn(m),
    });
  } catch (err) {
    execFileSync('dropdb', [...pgArgs, '--if-exists', name]);
    throw err;
  }
  let paused = false;
  const resume = () => {
    if (paused) process.kill(ferret.pid, 'SIGCONT');
    paused = false;
  };
  return {
    uri: withDatabase(ferret.uri, 'ocop'),
    ferretPid: ferret.pid,
    pause() {
      process.kill(ferret.pid, 'SIGSTOP');
      paused = true;
    },
    resume,
    ensureIndexes: () => ferret.ensureIndexes(),
    async drop() {
      resume();
      await ferret.stop();
      execFileSync('dropdb', [...pgArgs, '--if-exists', name]);
    },
  };
}
