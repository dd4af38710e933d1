import mongoose from 'mongoose';

/** One mongoose connection per process; routes and services use the default connection. */
export async function connectDatabase(uri: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  // FerretDB has no transactions; keep retryable writes off so the driver never opens one.
  return mongoose.connect(uri, { serverSelectionTimeoutMS: 5000, retryWrites: false, autoIndex: true });
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** Readiness: the database answers a ping. */
export async function databaseIsReady(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    await db.admin().ping({ timeoutMS: 2000 });
    return true;
  } catch {
    return false;
  }
}

/** Creates every model's indexes; call once after connecting (autoIndex is lazy). */
export async function syncIndexes(): Promise<void> {
  await Promise.all(Object.values(mongoose.models).map((m) => m.createIndexes()));
}
