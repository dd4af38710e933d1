/**
 * User accounts from the shell, for the first admin of an empty service and for
 * getting back in:
 *   npm run admin -- create --email a@example.vn --name "Nguyễn Văn A" [--province 01]
 *   npm run admin -- create … --role inspector --provinces 01,79   (or --role producer --producer <id>)
 * The password is read from stdin when it is not a terminal (`… < file`, a pipe);
 * otherwise one is generated and printed once. Connects like the server; the change
 * is audited as actor "cli".
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db.js';
import type { Principal, Role } from '../src/policy/principal.js';
import { ROLES } from '../src/policy/principal.js';
import { createUser } from '../src/accounts/user.service.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../src/accounts/password.js';
import { AppError } from '../src/errors/app-error.js';

const usage = 'usage: npm run admin -- create --email <email> --name <name> [--role admin|producer|inspector] [--province 01] [--provinces 01,79] [--producer <id>]';
const cli: Principal = Object.freeze({ keyId: 'cli', role: 'admin', producerId: null });

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    province: { type: 'string' },
    provinces: { type: 'string' },
    producer: { type: 'string' },
  },
});
if (positionals[0] !== 'create' || !values.email || !values.name || !(ROLES as readonly string[]).includes(values.role ?? '')) {
  console.error(usage);
  process.exit(2);
}

async function readPassword(): Promise<{ password: string; generated: boolean }> {
  if (process.stdin.isTTY) return { password: randomBytes(15).toString('base64url'), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) return { password: randomBytes(15).toString('base64url'), generated: true };
  return { password, generated: false };
}

const { password, generated } = await readPassword();
if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
  console.error(`the password needs ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  process.exit(2);
}

const config = loadConfig();
const db = await openDatabase(config, (m) => console.error(m));
let status = 0;
try {
  const user = await createUser(cli, {
    email: values.email,
    name: values.name,
    role: values.role as Role,
    province: values.province ?? null,
    provinces: values.provinces ? values.provinces.split(',').map((p) => p.trim()).filter(Boolean) : [],
    producerId: values.producer ?? null,
    password,
  });
  console.log(`created ${user.role} ${user.email} (${user.id}); log in at ${config.publicBaseUrl}/login`);
  if (generated) console.log(`password (shown once): ${password}`);
} catch (err) {
  console.error(err instanceof AppError ? `${err.code}: ${err.message}` : err);
  status = 1;
} finally {
  await db.close();
}
process.exit(status);
