import mongoose, { Schema, type InferSchemaType } from 'mongoose';

import { ROLES } from '../policy/principal.js';

/** An API key. Only a SHA-256 of its secret is stored: the key itself is shown once. */
const apiKeySchema = new Schema(
  {
    _id: { type: String, required: true }, // the public key id, part of the key text
    secretHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    /** Set for role producer: the one producer this key may act for. */
    producerId: { type: String, default: null },
    label: { type: String, required: true, maxlength: 200 },
    /**
     * Role admin: the province office the key acts for (its code), null for the national
     * office. Role inspector: the provinces it works in, absent for a nationwide key.
     * A provincial office's keys always carry its province (api-key.service.ts). For a
     * key bound to a user the account decides; these copy it for the office's lists.
     */
    province: { type: String, default: null },
    provinces: { type: [String], default: undefined },
    /**
     * A key a user made for themselves on /account: it acts as that user (role and
     * producer read from the account on every use) and stops working when the user is
     * disabled. Null for the machine keys admins make over the API.
     */
    userId: { type: String, default: null },
    /** The user who made the key while logged in, when one did. */
    createdBy: { type: String, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
apiKeySchema.index({ role: 1 });
apiKeySchema.index({ userId: 1 });

export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema>;
export const ApiKeyModel = mongoose.model('ApiKey', apiKeySchema, 'api_keys');
