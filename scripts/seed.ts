/**
 * `npm run seed`: loads the demo data into the configured database if its registry is
 * empty (MONGODB_URI, or the embedded FerretDB in DATA_DIR when unset).
 */
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../src/db.js';
import { startFerretDB, withDatabase, type RunningFerret } from '../src/ferretdb.js';
import { loadDemoDataIfEmpty } from '../src/seed.js';

const config = loadConfig();
let embedded: RunningFerret | null = null;
let uri = config.mongodbUri;
if (!uri) {
  embedded = await startFerretDB({ backend: { kind: 'sqlite', dir: path.join(config.dataDir, 'db') }, port: config.embeddedDbPort, log: console.log });
  uri = withDatabase(embedded.uri, 'ocop');
}
try {
  await connectDatabase(uri);
  await syncIndexes();
  const started = Date.now();
  const seeded = await loadDemoDataIfEmpty();
  console.log(seeded ? `demo data loaded in ${Date.now() - started} ms: ${JSON.stringify(seeded)}` : 'the registry already has data: nothing loaded');
} finally {
  await disconnectDatabase();
  await embedded?.stop();
}
