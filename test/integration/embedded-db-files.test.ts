import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { startFerretDB, withDatabase } from '../../src/ferretdb.js';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('embedded database (FerretDB on SQLite, the npm start default): files only its owner can read', function () {
  this.timeout(60_000);

  it('when the embedded database writes data, then its folder is 0700 and every file in it 0600, also files left readable by an older build', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-db-')), 'db');
    const write = async (doc: { _id: string; name: string }) => {
      const ferret = await startFerretDB({ backend: { kind: 'sqlite', dir } });
      const conn = await mongoose.createConnection(withDatabase(ferret.uri, 'ocop')).asPromise();
      try {
        await conn.collection<{ _id: string; name: string }>('producers').insertOne(doc);
      } finally {
        await conn.close();
        await ferret.stop();
      }
    };
    try {
      await write({ _id: 'p1', name: 'Hợp tác xã thử' });
      expect(modeOf(dir)).to.equal(0o700);
      expect(fs.readdirSync(dir)).to.include('ocop.sqlite');
      for (const f of fs.readdirSync(dir)) expect(modeOf(path.join(dir, f)), f).to.equal(0o600);

      // As an older build left them: readable by everyone.
      fs.chmodSync(dir, 0o755);
      for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
      await write({ _id: 'p2', name: 'Hộ kinh doanh thử' });
      expect(modeOf(dir)).to.equal(0o700);
      for (const f of fs.readdirSync(dir)) expect(modeOf(path.join(dir, f)), f).to.equal(0o600);
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
