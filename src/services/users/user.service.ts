import { Op, type Transaction, type WhereOptions } from 'sequelize';
import { getSequelize } from '../../db/sequelize';
import { AppError } from '../../errors';
import { Log, User } from '../../models';
import type { Role } from '../../models/user';
import { offsetOf, type Page } from '../../utils/paging';
import { announceAccountDeleted } from '../accounts/account.events';
import { assertAvailable } from '../auth/auth.service';
import { assertCurrentPassword, changeEmail } from '../accounts/email-change.service';
import { escapeLike } from '../catalogue/car.service';
import type { Principal } from '../auth/principal.service';
import { forgetUser } from '../auth/session-state.cache';
import { announceRevocation, sessionIdsOf } from '../auth/session.service';
import { toPublicProfile, toUserView, type PublicProfile, type UserView } from './user.view';

const RANK: Record<Role, number> = { user: 0, admin: 1, superadmin: 2 };

type Actor = Pick<Principal, 'userId' | 'role'>;

/** Self, an admin acting on a plain user, or a superadmin acting on anyone. */
export function canManage(actor: Actor, target: Pick<User, 'id' | 'role'>): boolean {
  if (actor.userId === target.id) return true;
  if (actor.role === 'superadmin') return true;
  return actor.role === 'admin' && RANK[target.role as Role] === 0;
}

export function isStaff(actor: Actor): boolean {
  return RANK[actor.role] >= RANK.admin;
}

export async function getUser(id: number, transaction?: Transaction): Promise<User> {
  const user = await User.findByPk(id, { transaction });
  if (!user) throw AppError.notFound('User not found');
  return user;
}

export interface ProfileChanges {
  username?: string;
  email?: string;
  address?: string | null;
  quotes?: string | null;
  /** Needed (and checked first) when the caller changes their own email. */
  current_password?: string;
}

/**
 * Self, an admin on a plain user, or a superadmin. Changing one's own email needs the
 * current password, checked before whether the new username or email is taken, so a
 * stolen access token can neither take the account nor probe which emails exist.
 */
export async function updateProfile(actor: Principal, targetId: number, changes: ProfileChanges): Promise<UserView> {
  const target = await getUser(targetId);
  if (!canManage(actor, target)) throw AppError.forbidden('You may only update your own account');
  const { current_password: currentPassword, email, ...fields } = changes;
  const self = actor.userId === target.id;
  const emailChanges = email !== undefined && email !== target.email;
  if (emailChanges && self) await assertCurrentPassword(target.id, currentPassword);
  await assertAvailable({ username: fields.username, email }, target.id);
  await getSequelize().transaction(async (transaction) => {
    await target.update(fields, { transaction });
    if (emailChanges) await changeEmail(target, email, { keepSessionId: self ? actor.sessionId : undefined, transaction });
  });
  forgetUser(target.id);
  return toUserView(target);
}

export interface UserListQuery extends Page {
  q?: string;
}

/** Staff only; `q` matches part of the username or email, `%` and `_` taken literally. */
export async function listUsers(actor: Actor, query: UserListQuery): Promise<{ rows: UserView[]; total: number }> {
  if (!isStaff(actor)) throw AppError.forbidden('Only admins can list users');
  const pattern = query.q ? `%${escapeLike(query.q)}%` : undefined;
  const where: WhereOptions = pattern ? { [Op.or]: [{ username: { [Op.iLike]: pattern } }, { email: { [Op.iLike]: pattern } }] } : {};
  // The page and the total side by side (findAndCountAll runs them one after the other).
  const [rows, total] = await Promise.all([
    User.findAll({ where, order: [['id', 'ASC']], limit: query.limit, offset: offsetOf(query) }),
    User.count({ where }),
  ]);
  return { rows: rows.map(toUserView), total };
}

/** The full user for self and staff, the public profile for everyone else. */
export async function viewUser(viewer: Actor, id: number): Promise<UserView | PublicProfile> {
  const user = await getUser(id);
  return viewer.userId === user.id || isStaff(viewer) ? toUserView(user) : toPublicProfile(user);
}

/** Role changes and deletions take turns, so two superadmins cannot remove each other at once. */
function withRoleLock<T>(work: (t: Transaction) => Promise<T>): Promise<T> {
  const sequelize = getSequelize();
  return sequelize.transaction(async (t) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(727275)', { transaction: t });
    return work(t);
  });
}

/** There is always at least one superadmin: the last one can be neither demoted nor deleted. */
async function assertSuperadminRemains(target: User, t: Transaction): Promise<void> {
  if (target.role !== 'superadmin') return;
  if ((await User.count({ where: { role: 'superadmin' }, transaction: t })) <= 1) {
    throw AppError.conflict('The last superadmin cannot be demoted or deleted');
  }
}

export async function changeRole(actor: Actor, targetId: number, role: Role): Promise<UserView> {
  if (actor.role !== 'superadmin') throw AppError.forbidden('Only a superadmin can change roles');
  const target = await withRoleLock(async (t) => {
    const user = await getUser(targetId, t);
    if (user.role === role) return user;
    await assertSuperadminRemains(user, t);
    return user.update({ role }, { transaction: t });
  });
  forgetUser(target.id);
  return toUserView(target);
}

/**
 * Deletes the account: sessions, refresh tokens, favorites and presence go with it
 * (FK cascades), messages stay with `UserId` null. Every token of theirs dies at once.
 */
export async function deleteUser(actor: Actor, targetId: number): Promise<void> {
  const deleted = await withRoleLock(async (t) => {
    const user = await getUser(targetId, t);
    if (!canManage(actor, user)) throw AppError.forbidden('You may only delete your own account');
    await assertSuperadminRemains(user, t);
    const ids = await sessionIdsOf(user.id, t);
    const log = await Log.findOne({ attributes: ['status'], where: { UserId: user.id }, transaction: t, lock: t.LOCK.UPDATE });
    await user.destroy({ transaction: t });
    return { ids, account: { userId: user.id, username: user.username, wasOn: log?.status === 'on' } };
  });
  forgetUser(targetId);
  announceRevocation(deleted.ids);
  announceAccountDeleted(deleted.account);
}
