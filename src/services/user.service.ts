import { Op, type Transaction, type WhereOptions } from 'sequelize';
import { getSequelize } from '../db/sequelize';
import { AppError } from '../errors';
import { User } from '../models';
import type { Role } from '../models/user';
import { offsetOf, type Page } from '../utils/paging';
import { assertAvailable } from './auth.service';
import { changeEmail } from './email-verification.service';
import { escapeLike } from './car.service';
import type { Principal } from './principal.service';
import { forgetUser } from './session-state.cache';
import { announceRevocation, sessionIdsOf } from './session.service';
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
}

export async function updateProfile(actor: Principal, targetId: number, changes: ProfileChanges): Promise<UserView> {
  const target = await getUser(targetId);
  if (!canManage(actor, target)) throw AppError.forbidden('You may only update your own account');
  await assertAvailable({ username: changes.username, email: changes.email }, target.id);
  const { email, ...rest } = changes;
  await getSequelize().transaction(async (transaction) => {
    await target.update(rest, { transaction });
    if (email !== undefined) await changeEmail(target, email, transaction);
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
  const { rows, count } = await User.findAndCountAll({ where, order: [['id', 'ASC']], limit: query.limit, offset: offsetOf(query) });
  return { rows: rows.map(toUserView), total: count };
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
  const sessionIds = await withRoleLock(async (t) => {
    const user = await getUser(targetId, t);
    if (!canManage(actor, user)) throw AppError.forbidden('You may only delete your own account');
    await assertSuperadminRemains(user, t);
    const ids = await sessionIdsOf(user.id, t);
    await user.destroy({ transaction: t });
    return ids;
  });
  forgetUser(targetId);
  announceRevocation(sessionIds);
}
