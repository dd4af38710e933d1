/**
 * Recomputes batches' event hash chains and names the first broken link (an edited
 * timeline page counts: it must agree with the events).
 *   npm run check-chain -- <batchId> [<batchId>…]     or     npm run check-chain -- --all
 * Connects to MONGODB_URI, else to the embedded FerretDB of a running `npm start`
 * (EMBEDDED_DB_PORT), else starts the embedded database itself.
 * Exit code: 0 every chain checks out, 1 a chain is broken, 2 usage or connection error.
 */
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { connectDatabase, disconnectDatabase } from '../src/db.js';
import { startFerretDB, withDatabase, type RunningFerret } from '../src/ferretdb.js';
import { batchIdsWithEvents, verifyBatchChain } from '../src/events/chain/chain-store.js';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  console.error('usage: npm run check-chain -- <batchId> [<batchId>…] | --all');
  process.exit(2);
}

const config = loadConfig();
let embedded = null as RunningFerret | null;

async function connect(): Promise<void> {
  if (config.mongodbUri) {
    await connectDatabase(config.mongodbUri);
    return;
  }
  try {
    await mongoose.connect(`mongodb://127.0.0.1:${config.embeddedDbPort}/ocop`, { serverSelectionTimeoutMS: 1500, retryWrites: false });
  } catch {
    embedded = await startFerretDB({ backend: { kind: 'sqlite', dir: path.join(config.dataDir, 'db') } });
    await connectDatabase(withDatabase(embedded.uri, 'ocop'));
  }
}

let exitCode = 0;
try {
  await connect();
  const batchIds = args.includes('--all') ? await batchIdsWithEvents() : args;
  for (const batchId of batchIds) {
    const r = await verifyBatchChain(batchId, { seal: false }); // a check writes nothing
    if (r.ok) {
      console.log(`${batchId}: ok — ${r.count} events, tip ${r.tipHash}`);
    } else {
      exitCode = 1;
      const b = r.brokenAt!;
      console.log(`${batchId}: BROKEN at seq ${b.seq} (eventID ${b.eventID}): ${b.reason} — ${b.message}`);
    }
  }
  if (batchIds.length === 0) console.log('no events stored');
} catch (err) {
  console.error('check-chain failed:', err instanceof Error ? err.message : err);
  exitCode = 2;
} finally {
  await disconnectDatabase().catch(() => {});
  await embedded?.stop();
}
process.exit(exitCode);
