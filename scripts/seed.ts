/**
 * `npm run seed`: loads the demo data into the configured database if its registry is
 * empty (MONGODB_URI, or the embedded FerretDB in DATA_DIR when unset).
 */
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db.js';
import { Keyring } from '../src/labels/signing/keyring.js';
import { loadDemoDataIfEmpty } from '../src/seed.js';

const config = loadConfig();
const database = await openDatabase(config, console.log);
try {
  const started = Date.now();
  const seeded = await loadDemoDataIfEmpty({ keyring: Keyring.open(config), publicBaseUrl: config.publicBaseUrl });
  if (seeded) {
    console.log(`demo data loaded in ${Date.now() - started} ms: ${JSON.stringify(seeded.counts)}`);
    console.log(`demo labels:\n${seeded.sampleUrls.join('\n')}`);
    console.log(`demo accounts (passwords shown once):\n${seeded.accounts.map((a) => `${a.email} ${a.password} ${a.what}`).join('\n')}`);
  } else {
    console.log('the registry already has data: nothing loaded');
  }
} finally {
  await database.close();
}
