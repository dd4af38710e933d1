import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { startFerretDB, withDatabase } from '../../src/ferretdb.js';
import { testDatabase } from '../hooks.js';
import { ScanModel } from '../../src/verify/scans/scan.model.js';

/**
 * FerretDB 1.24 makes the indexes a client declares but cannot use them for its own
 * queries; the project's FerretDB adds the ones it can use (scripts/ferretdb/companion.go).
 * What explain says about a lookup by `_id` and by a declared field, on both backends.
 */
const planOf = async (db: mongoose.mongo.Db, collection: string, filter: Record<string, unknown>) =>
  JSON.stringify(((await db.command({ explain: { find: collection, filter }, verbosity: 'queryPlanner' })) as { queryPlanner: unknown }).queryPlanner);

describe('database indexes: what FerretDB hands to its backend uses an index', function () {
  this.timeout(60_000);

  it('when the database is FerretDB on PostgreSQL, then a lookup by _id and an equality on a declared field use an index', async () => {
    // Enough documents that PostgreSQL prefers an index to reading the table.
    const things = mongoose.connection.db!.collection<{ _id: string; code: string }>('index_probe');
    await things.deleteMany({});
    await things.createIndex({ code: 1 });
    await things.insertMany(Array.from({ length: 5_000 }, (_, i) => ({ _id: `T${i}`, code: `C${i % 500}` })));
    await testDatabase().ensureIndexes();
    const db = mongoose.connection.db!;
    expect(await planOf(db, 'index_probe', { _id: 'T4321' })).to.match(/Index Scan/);
    expect(await planOf(db, 'index_probe', { code: 'C17' })).to.match(/Index Scan/);
    expect(await things.countDocuments({ code: 'C17' })).to.equal(10);
  });

  it("when a producer's scans screen reads one product's scans since a date (FerretDB on PostgreSQL), then the product equality uses an index", async () => {
    const tag = `probe${Date.now()}`;
    const scans = Array.from({ length: 5_000 }, (_, i) => ({
      _id: `${tag}-${i}`, serial: `${tag}S${i}`, time: new Date(), place: null, clientHash: 'h', verdict: 'genuine', product: `${tag}-P${i % 500}`, clone: false,
    }));
    await ScanModel.createIndexes();
    await ScanModel.insertMany(scans, { lean: true });
    try {
      await testDatabase().ensureIndexes();
      const filter = { product: `${tag}-P17`, time: { $gte: new Date(Date.now() - 86_400_000) } };
      expect(await planOf(mongoose.connection.db!, 'scans', filter)).to.match(/Index Scan/);
      expect(await ScanModel.countDocuments(filter)).to.equal(10);
    } finally {
      await ScanModel.deleteMany({ serial: { $regex: `^${tag}S` } });
    }
  });

  it('when the database is FerretDB on SQLite (the npm start default), then a lookup by _id uses an index', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-db-')), 'db');
    const ferret = await startFerretDB({ backend: { kind: 'sqlite', dir } });
    const conn = await mongoose.createConnection(withDatabase(ferret.uri, 'ocop')).asPromise();
    try {
      await conn.collection<{ _id: string }>('labels').insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: `L${i}` })));
      await ferret.ensureIndexes();
      // The first statement after another connection changed the schema is planned on the old one.
      expect(await conn.collection('labels').findOne({ _id: 'L7' as never })).to.deep.equal({ _id: 'L7' });
      expect(await planOf(conn.db!, 'labels', { _id: 'L7' })).to.match(/SEARCH \S+ USING INDEX/);
    } finally {
      await conn.close();
      await ferret.stop();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
