/**
 * Runs the project's embedded FerretDB on its own (the app starts it by itself when
 * MONGODB_URI is unset). `npm run db -- --build-only` just builds the binary.
 */
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { ensureFerretBinary, startFerretDB, withDatabase } from '../src/ferretdb.js';

const config = loadConfig();
if (process.argv.includes('--build-only')) {
  console.log(ensureFerretBinary(console.log));
} else {
  const db = await startFerretDB({
    backend: { kind: 'sqlite', dir: path.join(config.dataDir, 'db') },
    port: config.embeddedDbPort,
    log: console.log,
  });
  console.log(`FerretDB (SQLite in ${config.dataDir}/db) at ${withDatabase(db.uri, 'ocop')} — Ctrl-C stops it`);
  const stop = () => void db.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
