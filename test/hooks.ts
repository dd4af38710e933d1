import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../src/db.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

/**
 * Root hooks: one fresh database for the whole run, connected once.
 * Tests do not share state through it: the kit (support/kit.ts) makes unique data,
 * and a test that needs an empty collection clears it itself.
 */
let db: TestDatabase | undefined;

/** The run's database, for a test that starts the service in a process of its own. */
export function testDatabaseUri(): string {
  return testDatabase().uri;
}

export function testDatabase(): TestDatabase {
  if (!db) throw new Error('the test database is not up yet');
  return db;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000); // the first run builds FerretDB
    db = await createTestDatabase();
    await connectDatabase(db.uri);
    await syncIndexes();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    if (mongoose.connection.readyState === 1) await disconnectDatabase();
    await db?.drop();
  },
};
