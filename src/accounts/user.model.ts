import mongoose, { Schema, type InferSchemaType } from 'mongoose';

import { ROLES } from '../policy/principal.js';

/**
 * A person's account. Only an argon2id hash of the password is stored (password.ts).
 * `generation` goes up whenever every session of the user must end (log out
 * everywhere, a new password, disabling): a session remembers the generation it was
 * made in and is worth nothing once they differ.
 */
const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The login name, lowercased. */
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    role: { type: String, enum: ROLES, required: true },
    /** Role producer: the one producer this user acts for (several users may share it). */
    producerId: { type: String, default: null },
    /** Role admin: the province's office (its code), or null for the national office. */
    province: { type: String, default: null },
    /** Role inspector: the provinces they inspect in. */
    provinces: { type: [String], default: [] },
    /** Null until the user sets one through a reset link. */
    passwordHash: { type: String, default: null },
    disabled: { type: Boolean, required: true, default: false },
    generation: { type: Number, required: true, default: 0 },
    createdAt: { type: Date, required: true, default: () => new Date() },
    passwordChangedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
// Unique on FerretDB too (it enforces unique indexes on both backends).
userSchema.index({ email: 1 }, { unique: true });

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: string };
export const UserModel = mongoose.model('User', userSchema, 'users');

/**
 * A one-time link to set a password. The token is in the link only; `_id` is its
 * SHA-256, so a copy of the database opens nothing. Deleted when used (one delete wins
 * when two arrive at once); expired ones are swept when new ones are made.
 */
const passwordResetSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
passwordResetSchema.index({ expiresAt: 1 });
passwordResetSchema.index({ userId: 1 });

export const PasswordResetModel = mongoose.model('PasswordReset', passwordResetSchema, 'password_resets');

export const SESSION_COLLECTION = 'sessions';

/**
 * The sessions connect-mongo writes (session.ts): declared here only for the index the
 * sweep of ended sessions uses; FerretDB has no TTL index to expire them by itself.
 */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    expires: { type: Date },
    session: { type: Schema.Types.Mixed },
  },
  { versionKey: false, strict: false },
);
sessionSchema.index({ expires: 1 });

export const SessionModel = mongoose.model('Session', sessionSchema, SESSION_COLLECTION);
