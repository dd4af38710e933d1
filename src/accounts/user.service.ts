import { customAlphabet } from 'nanoid';
import { UserModel, type UserDoc } from './user.model.js';
import { hashPassword, passwordMatches } from './password.js';
import type { Principal, Role, Scope } from '../policy/principal.js';
import { AppError, conflict, invalidInput, notFound } from '../errors/app-error.js';
import { findProvince } from '../reference/admin-units.js';
import type { Page, Paging } from '../paging.js';
import { findProducer } from '../registry/producers/producer.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { accountListFilter, assertMayManageAccount, auditPlaceOf, type AccountFields } from './account-scope.js';

/**
 * People's accounts: who they are, their role and scope, their password. Logins and
 * their throttling are login.service.ts; sessions session.ts; reset links
 * password-reset.service.ts.
 */

export const newUserId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

export type UserView = {
  id: string;
  email: string;
  name: string;
  role: Role;
  producerId: string | null;
  scope: Scope;
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
};

export type NewUser = {
  email: string;
  name: string;
  role: Role;
  producerId?: string | null | undefined;
  province?: string | null | undefined;
  provinces?: readonly string[] | undefined;
  /** Unset: the user has no password until one is set through a reset link. */
  password?: string | undefined;
};

const scopeOf = (d: Pick<UserDoc, 'role' | 'province' | 'provinces'>): Scope =>
  d.role === 'admin' ? { province: d.province ?? null } : d.role === 'inspector' ? { provinces: [...(d.provinces ?? [])] } : {};

const present = (d: UserDoc): UserView => ({
  id: d._id,
  email: d.email,
  name: d.name,
  role: d.role,
  producerId: d.producerId ?? null,
  scope: scopeOf(d),
  disabled: d.disabled,
  hasPassword: Boolean(d.passwordHash),
  createdAt: d.createdAt.toISOString(),
});

/** The fields that say which office manages a user (account-scope.ts). */
export const accountFieldsOf = (u: Pick<UserView, 'role' | 'producerId' | 'scope'>): AccountFields => ({
  role: u.role,
  producerId: u.producerId,
  province: u.scope.province ?? null,
  provinces: u.scope.provinces ?? null,
});

/** 403 unless the actor's office manages this user: a provincial office its province's people only. */
export async function assertMayManageUser(actor: Principal, action: 'user.reset_password' | 'user.disable', user: Pick<UserView, 'role' | 'producerId' | 'scope'>): Promise<void> {
  await assertMayManageAccount(actor, action, accountFieldsOf(user));
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** The principal a user acts as, through a session (`user:<id>`) or a key bound to them. */
export function principalOfUser(user: Pick<UserView, 'id' | 'role' | 'producerId' | 'scope'>, keyId = `user:${user.id}`): Principal {
  return { keyId, role: user.role, producerId: user.role === 'producer' ? user.producerId : null, userId: user.id, scope: user.scope };
}

export async function createUser(actor: Principal, input: NewUser): Promise<UserView> {
  const email = normaliseEmail(input.email);
  if (input.role === 'producer') {
    if (!input.producerId) throw new AppError('request/invalid', 'A producer user needs its producerId.', { problems: [{ path: 'producerId', message: 'required for role producer' }] });
    if (!(await findProducer(input.producerId))) throw notFound('producer/not_found', `No producer ${input.producerId}.`);
  }
  const badProvinces = [...(input.role === 'admin' && input.province ? [input.province] : []), ...(input.role === 'inspector' ? (input.provinces ?? []) : [])].filter((p) => !findProvince(p));
  if (badProvinces.length) throw invalidInput(badProvinces.map((p) => ({ path: 'province', message: `${p} is not a province code` })));
  // A provincial office makes accounts of its own province only: its admins, its inspectors, its producers' people.
  await assertMayManageAccount(actor, 'user.create', { role: input.role, producerId: input.producerId ?? null, province: input.province ?? null, provinces: input.provinces ?? null });
  if (await UserModel.exists({ email })) throw conflict('user/email_taken', `There is already an account for ${email}.`);
  const doc = await UserModel.create({
    _id: newUserId(),
    email,
    name: input.name.trim(),
    role: input.role,
    producerId: input.role === 'producer' ? input.producerId : null,
    province: input.role === 'admin' ? (input.province ?? null) : null,
    provinces: input.role === 'inspector' ? [...(input.provinces ?? [])] : [],
    passwordHash: input.password ? await hashPassword(input.password) : null,
    passwordChangedAt: input.password ? new Date() : null,
  });
  const user = present(doc.toObject() as UserDoc);
  await recordAudit(actor, 'user.create', { type: 'user', id: doc._id, ...auditPlaceOf(accountFieldsOf(user)) }, { role: doc.role, producerId: doc.producerId ?? null });
  return user;
}

export async function findUser(id: string): Promise<UserView | null> {
  const doc = await UserModel.findById(id).lean<UserDoc>();
  return doc ? present(doc) : null;
}

export async function getUser(id: string): Promise<UserView> {
  const user = await findUser(id);
  if (!user) throw notFound('user/not_found', `No user ${id}.`);
  return user;
}

/**
 * By email: the office reads the list of its people. A `viewer` kept to a province lists
 * its province's people (account-scope.ts); without one, everyone.
 */
export async function listUsers(paging: Paging, viewer?: Principal | null): Promise<Page<UserView>> {
  const filter = (await accountListFilter(viewer)) ?? {};
  const [docs, total] = await Promise.all([
    UserModel.find(filter).sort({ email: 1 }).skip(paging.offset).limit(paging.limit).lean<UserDoc[]>(),
    UserModel.countDocuments(filter),
  ]);
  return { items: docs.map(present), page: { ...paging, total } };
}

/**
 * The user whose email and password these are, or null, whatever was wrong (no such
 * account, a wrong password, a disabled account, no password yet): the caller says the
 * same to all of them, and the check takes as long.
 */
export async function checkPassword(email: string, password: string): Promise<(UserView & { generation: number }) | null> {
  const doc = await UserModel.findOne({ email: normaliseEmail(email) }).lean<UserDoc>();
  const ok = await passwordMatches(doc?.passwordHash, password);
  if (!doc || !ok || doc.disabled) return null;
  return { ...present(doc), generation: doc.generation };
}

/** The principal of a session made in `generation`: null once the user is gone, disabled or logged out everywhere. */
export async function principalOfSession(userId: string, generation: number): Promise<Principal | null> {
  const doc = await UserModel.findById(userId).lean<UserDoc>();
  if (!doc || doc.disabled || doc.generation !== generation) return null;
  return principalOfUser(present(doc));
}

/** The principal of a key bound to a user: the user's role and producer today, null when the user is disabled or gone. */
export async function principalOfUserKey(userId: string, keyId: string): Promise<Principal | null> {
  const doc = await UserModel.findById(userId).lean<UserDoc>();
  if (!doc || doc.disabled) return null;
  return principalOfUser(present(doc), keyId);
}

/** Whether the user may use the service (the keys bound to them ask this). */
export async function userIsActive(userId: string): Promise<boolean> {
  return Boolean(await UserModel.exists({ _id: userId, disabled: false }));
}

/** Ends every session of the user (the sessions check the generation on every request); returns the new generation. */
export async function endAllSessions(actor: Principal, userId: string): Promise<number> {
  const doc = await UserModel.findOneAndUpdate({ _id: userId }, { $inc: { generation: 1 } }, { returnDocument: 'after' }).lean<UserDoc>();
  if (!doc) throw notFound('user/not_found', `No user ${userId}.`);
  await recordAudit(actor, 'user.end_sessions', { type: 'user', id: userId, ...auditPlaceOf(accountFieldsOf(present(doc))) });
  return doc.generation;
}

/** Disabling ends the user's sessions, and their keys stop working with it (api-key.service.ts asks). */
export async function setUserDisabled(actor: Principal, userId: string, disabled: boolean): Promise<UserView> {
  if (disabled && actor.userId === userId) throw conflict('user/disable_self', 'You cannot disable your own account: ask another admin.');
  const before = await UserModel.findById(userId).lean<UserDoc>();
  if (!before) throw notFound('user/not_found', `No user ${userId}.`);
  await assertMayManageUser(actor, 'user.disable', present(before));
  const doc = await UserModel.findOneAndUpdate({ _id: userId }, { $set: { disabled }, $inc: { generation: 1 } }, { returnDocument: 'after' }).lean<UserDoc>();
  if (!doc) throw notFound('user/not_found', `No user ${userId}.`);
  await recordAudit(actor, disabled ? 'user.disable' : 'user.enable', { type: 'user', id: userId, ...auditPlaceOf(accountFieldsOf(present(doc))) });
  return present(doc);
}

/**
 * Sets a new password and ends every session made before it; returns the new
 * generation, so the session that changed it can carry on.
 */
export async function setPassword(actor: Principal, userId: string, password: string): Promise<number> {
  const passwordHash = await hashPassword(password);
  const doc = await UserModel.findOneAndUpdate(
    { _id: userId },
    { $set: { passwordHash, passwordChangedAt: new Date() }, $inc: { generation: 1 } },
    { returnDocument: 'after' },
  ).lean<UserDoc>();
  if (!doc) throw notFound('user/not_found', `No user ${userId}.`);
  await recordAudit(actor, 'user.set_password', { type: 'user', id: userId, ...auditPlaceOf(accountFieldsOf(present(doc))) });
  return doc.generation;
}

/** A change asked by the user: the current password first. */
export async function changeOwnPassword(actor: Principal, current: string, next: string): Promise<number> {
  if (!actor.userId) throw new AppError('auth/forbidden', 'Only a logged-in user has a password to change.');
  const doc = await UserModel.findById(actor.userId).lean<UserDoc>();
  if (!doc || !(await passwordMatches(doc.passwordHash, current))) {
    throw new AppError('user/wrong_password', 'The current password is not right.');
  }
  return setPassword(actor, actor.userId, next);
}
