/**
 * Label signing keys from the shell, the same operations as the admin API:
 *   npm run keys -- list
 *   npm run keys -- rotate
 *   npm run keys -- revoke <kid> --reason "key file leaked"
 * Connects like the server (MONGODB_URI, or the embedded FerretDB in DATA_DIR) and
 * reads private keys from SIGNING_KEY_JWK or DATA_DIR/keys. Changes are audited as
 * actor "cli".
 */
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db.js';
import type { Principal } from '../src/policy/principal.js';
import { Keyring } from '../src/labels/signing/keyring.js';
import { listKeys, revokeKey, rotateKey } from '../src/labels/signing/signing-keys.service.js';
import { AppError } from '../src/errors/app-error.js';

const usage = 'usage: npm run keys -- list | rotate | revoke <kid> --reason "why"';
const cli: Principal = Object.freeze({ keyId: 'cli', role: 'admin', producerId: null });

const [command, ...rest] = process.argv.slice(2);
if (!command || !['list', 'rotate', 'revoke'].includes(command)) {
  console.error(usage);
  process.exit(2);
}
const reasonAt = rest.indexOf('--reason');
const reason = reasonAt >= 0 ? rest[reasonAt + 1]?.trim() : undefined;
const kid = rest.find((a, i) => !a.startsWith('--') && i !== reasonAt + 1);
if (command === 'revoke' && (!kid || !reason || reason.length < 3)) {
  console.error(`revoke needs a key id and a reason of at least 3 characters\n${usage}`);
  process.exit(2);
}

const config = loadConfig();
const keyring = Keyring.open(config);
const db = await openDatabase(config, (m) => console.error(m));
let status = 0;
try {
  if (command === 'rotate') {
    const { kid: created } = await rotateKey(keyring, cli);
    console.log(`new signing key ${created} (labels show ${created.slice(0, 8)}); the previous active keys are retired and still verify`);
  } else if (command === 'revoke') {
    await revokeKey(keyring, cli, kid!, reason!);
    console.log(`revoked ${kid}: labels signed with it now read as revoked`);
  }
  const keys = await listKeys(keyring);
  for (const k of keys) console.log(`${k.shortKid}  ${k.status.padEnd(8)} ${k.canSignHere ? 'private key here' : '                '}  ${k.kid}`);
} catch (err) {
  console.error(err instanceof AppError ? `${err.code}: ${err.message}` : err);
  status = 1;
} finally {
  await db.close();
}
process.exit(status);
