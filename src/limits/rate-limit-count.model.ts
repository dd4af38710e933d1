import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One shared count of a rate limit: requests of one key (an API key, a client address)
 * in the current window. The documents are written by rate-limiter-flexible's
 * RateLimiterMongo (`{key, points, expire}`); this model exists for the indexes and the
 * sweep of expired counts. FerretDB has no TTL index, so nothing removes them by itself.
 */
const rateLimitCountSchema = new Schema(
  {
    /** `<limit name>:<key>`, e.g. `api_key_reads:key:AbC…` or `api_ip_reads:ip:203.0.113.7`. */
    key: { type: String, required: true },
    points: { type: Number, required: true },
    /** End of the window; the library starts a new one on the same document after it. */
    expire: { type: Date, default: null },
  },
  { versionKey: false },
);
// The library finds a count by `key`; concurrent first requests of a key rely on this index to make one document.
rateLimitCountSchema.index({ key: 1 }, { unique: true });
rateLimitCountSchema.index({ expire: 1 });

export type RateLimitCountDoc = InferSchemaType<typeof rateLimitCountSchema>;
export const RATE_LIMIT_COLLECTION = 'rate_limits';
export const RateLimitCountModel = mongoose.model('RateLimitCount', rateLimitCountSchema, RATE_LIMIT_COLLECTION);
