import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const KEY_STATUSES = ['active', 'retired', 'revoked'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/**
 * The public half of every label signing key and its status. Private keys are never
 * stored here: they live in a key file or an environment variable.
 * active: may sign and verifies; retired: verifies only; revoked: its labels are untrusted.
 */
const signingKeySchema = new Schema(
  {
    _id: { type: String, required: true }, // RFC 7638 thumbprint
    shortKid: { type: String, required: true }, // first 8 characters, as printed on labels
    publicJwk: {
      kty: { type: String, required: true },
      crv: { type: String, required: true },
      x: { type: String, required: true },
      y: { type: String, required: true },
    },
    status: { type: String, enum: KEY_STATUSES, required: true, default: 'active' },
    createdAt: { type: Date, required: true, default: () => new Date() },
    retiredAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null, maxlength: 1000 },
  },
  { versionKey: false },
);
signingKeySchema.index({ shortKid: 1 }, { unique: true });

export type SigningKeyDoc = InferSchemaType<typeof signingKeySchema>;
export const SigningKeyModel = mongoose.model('SigningKey', signingKeySchema, 'signing_keys');
