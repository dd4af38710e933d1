import { createHash, randomBytes } from 'node:crypto';
import { PasswordResetModel } from './user.model.js';
import { accountFieldsOf, assertMayManageUser, getUser, findUser, setPassword, principalOfUser, type UserView } from './user.service.js';
import { auditPlaceOf } from './account-scope.js';
import type { Principal } from '../policy/principal.js';
import { AppError } from '../errors/app-error.js';
import { recordAudit } from '../audit/audit.service.js';

/**
 * Password reset by an admin: the admin makes a link (`/reset/<token>`), shown once, and
 * hands it to the user, who sets a new password there. The token is 256 random bits;
 * only its SHA-256 is stored. A link works once and for `lifetimeSec`, and making a new
 * link for a user voids their older ones.
 */

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export async function issueResetLink(actor: Principal, userId: string, lifetimeSec: number): Promise<{ token: string; user: UserView; expiresAt: string }> {
  const user = await getUser(userId);
  await assertMayManageUser(actor, 'user.reset_password', user);
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + lifetimeSec * 1000);
  // The sweep of expired links rides on making a new one: FerretDB has no TTL index.
  await PasswordResetModel.deleteMany({ $or: [{ userId }, { expiresAt: { $lt: now } }] });
  await PasswordResetModel.create({ _id: hashToken(token), userId, createdAt: now, expiresAt });
  await recordAudit(actor, 'user.reset_password', { type: 'user', id: userId, ...auditPlaceOf(accountFieldsOf(user)) }, { expiresAt: expiresAt.toISOString() });
  return { token, user, expiresAt: expiresAt.toISOString() };
}

/** The user a link is for while it still works, else null (unknown, used or expired). */
export async function resetLinkUser(token: string): Promise<UserView | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const doc = await PasswordResetModel.findOne({ _id: hashToken(token), expiresAt: { $gt: new Date() } }).lean();
  if (!doc) return null;
  const user = await findUser(doc.userId);
  return user && !user.disabled ? user : null;
}

/**
 * Uses the link: deleting it is the claim, so of two requests with one link only the
 * one whose delete removed it sets a password.
 */
export async function useResetLink(token: string, password: string): Promise<UserView> {
  const user = await resetLinkUser(token);
  const claimed = user ? await PasswordResetModel.deleteOne({ _id: hashToken(token), expiresAt: { $gt: new Date() } }) : null;
  if (!user || claimed?.deletedCount !== 1) {
    throw new AppError('user/reset_link_invalid', 'This password link has been used, has expired or was replaced by a newer one: ask an admin for a new one.');
  }
  await setPassword(principalOfUser(user), user.id, password);
  return user;
}
